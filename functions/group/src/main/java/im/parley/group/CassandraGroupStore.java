package im.parley.group;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.fasterxml.jackson.core.JsonProcessingException;
import im.parley.eventing.Attempt;
import im.parley.eventing.EventJson;
import im.parley.eventing.group.GroupMemberChanged;
import im.parley.eventing.group.GroupMemberChanged.Change;
import im.parley.eventing.group.GroupMemberChanged.Member;
import im.parley.eventing.group.GroupMemberChanged.Role;
import im.parley.eventing.message.ConversationIds;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Groups in {@code groups} (header), {@code group_members}, {@code group_changes} and {@code user_conversations};
 * invitations in {@code group_invitations}.
 */
public final class CassandraGroupStore implements GroupStore {

    /** Member rows written at once: a 10,000-member group is applied in windows, not one huge batch. */
    private static final int WINDOW = 256;

    private final CqlSession session;
    private final PreparedStatement header;
    private final PreparedStatement members;
    private final PreparedStatement change;
    private final PreparedStatement recordChange;
    private final PreparedStatement recordHeader;
    private final PreparedStatement upsertMember;
    private final PreparedStatement setRole;
    private final PreparedStatement deleteMember;
    private final PreparedStatement addConversation;
    private final PreparedStatement deleteConversation;
    private final PreparedStatement applied;
    private final PreparedStatement invite;
    private final PreparedStatement invitation;
    private final PreparedStatement dropInvitation;

    public CassandraGroupStore(CqlSession session) {
        this.session = session;
        this.header = session.prepare("SELECT name, joinable, version, last_event_id, last_applied FROM groups WHERE group_id = ?");
        this.members = session.prepare("SELECT user_id, role FROM group_members WHERE group_id = ?");
        this.change = session.prepare("SELECT change FROM group_changes WHERE group_id = ? AND event_id = ?");
        this.recordChange = session.prepare("INSERT INTO group_changes (group_id, event_id, change) VALUES (?, ?, ?)");
        this.recordHeader = session.prepare("UPDATE groups SET name = ?, owner = ?, joinable = ?, member_count = ?,"
                + " version = ?, last_event_id = ?, last_applied = false WHERE group_id = ?");
        this.upsertMember = session.prepare("INSERT INTO group_members (group_id, user_id, role, joined_at) VALUES (?, ?, ?, ?)");
        this.setRole = session.prepare("UPDATE group_members SET role = ? WHERE group_id = ? AND user_id = ?");
        this.deleteMember = session.prepare("DELETE FROM group_members WHERE group_id = ? AND user_id = ?");
        this.addConversation = session.prepare("INSERT INTO user_conversations (user_id, conversation_id, joined_at) VALUES (?, ?, ?)");
        this.deleteConversation = session.prepare("DELETE FROM user_conversations WHERE user_id = ? AND conversation_id = ?");
        this.applied = session.prepare("UPDATE groups SET last_applied = true WHERE group_id = ?");
        this.invite = session.prepare("INSERT INTO group_invitations (user_id, group_id, inviter, group_name, invited_at)"
                + " VALUES (?, ?, ?, ?, ?)");
        this.invitation = session.prepare("SELECT inviter FROM group_invitations WHERE user_id = ? AND group_id = ?");
        this.dropInvitation = session.prepare("DELETE FROM group_invitations WHERE user_id = ? AND group_id = ?");
    }

    @Override
    public Optional<GroupState> load(String groupId) {
        Row row = session.execute(header.bind(groupId)).one();
        if (row == null || row.isNull("version")) {
            return Optional.empty();
        }
        Map<String, Role> roles = new LinkedHashMap<>();
        for (Row member : session.execute(members.bind(groupId))) {
            roles.put(member.getString("user_id"), Role.of(member.getString("role")));
        }
        String lastEvent = row.getString("last_event_id");
        // The last change is read back only while it is unfinished: then it must be applied before anything else.
        boolean applied = lastEvent == null || row.getBoolean("last_applied");
        GroupMemberChanged last = applied ? null : change(groupId, lastEvent).orElse(null);
        return Optional.of(new GroupState(groupId, row.getString("name"), row.getBoolean("joinable"), roles,
                row.getLong("version"), lastEvent, last, last == null));
    }

    @Override
    public Optional<GroupMemberChanged> change(String groupId, String eventId) {
        Row row = session.execute(change.bind(groupId, eventId)).one();
        try {
            return row == null ? Optional.empty()
                    : Optional.of(EventJson.MAPPER.readValue(row.getString(0), GroupMemberChanged.class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("group change " + groupId + "/" + eventId + " is not readable", e);
        }
    }

    @Override
    public void record(GroupState next) {
        Attempt.ensureLive();
        try {
            session.execute(recordChange.bind(next.groupId(), next.lastEventId(),
                    EventJson.MAPPER.writeValueAsString(next.lastChange())));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        session.execute(recordHeader.bind(next.name(), next.owner(), next.joinable(), next.members().size(),
                next.version(), next.lastEventId(), next.groupId()));
    }

    @Override
    public void apply(GroupMemberChanged change) {
        String groupId = change.groupId();
        String conversation = ConversationIds.group(groupId);
        Instant now = Instant.now();
        List<BoundStatement> writes = new ArrayList<>();
        for (Member member : change.members()) {
            String role = member.role().value();
            if (change.change() == Change.LEFT || change.change() == Change.REMOVED) {
                writes.add(deleteMember.bind(groupId, member.userId()));
                writes.add(deleteConversation.bind(member.userId(), conversation));
            } else if (change.change() == Change.ROLE_CHANGED) {
                writes.add(setRole.bind(role, groupId, member.userId()));
            } else {
                writes.add(upsertMember.bind(groupId, member.userId(), role, now));
                writes.add(addConversation.bind(member.userId(), conversation, now));
                writes.add(dropInvitation.bind(member.userId(), groupId));
            }
        }
        write(writes);
        session.execute(applied.bind(groupId));
    }

    @Override
    public void invite(String groupId, String name, String inviter, Collection<String> users) {
        Instant now = Instant.now();
        write(users.stream().map(user -> invite.bind(user, groupId, inviter, name, now)).toList());
    }

    @Override
    public boolean invited(String groupId, String userId) {
        return session.execute(invitation.bind(userId, groupId)).one() != null;
    }

    @Override
    public void decline(String groupId, String userId) {
        Attempt.ensureLive();
        session.execute(dropInvitation.bind(userId, groupId));
    }

    private void write(List<BoundStatement> writes) {
        for (int from = 0; from < writes.size(); from += WINDOW) {
            Attempt.ensureLive();
            CompletableFuture.allOf(writes.subList(from, Math.min(writes.size(), from + WINDOW)).stream()
                    .map(w -> session.executeAsync(w).toCompletableFuture()).toArray(CompletableFuture[]::new)).join();
        }
    }
}
