package im.parley.eventing.sync;

import com.fasterxml.jackson.annotation.JsonInclude;
import im.parley.eventing.friend.FriendEntry;
import im.parley.eventing.group.GroupInvitation;
import im.parley.eventing.group.GroupMemberChanged;
import im.parley.eventing.message.DeviceRef;
import im.parley.eventing.message.Message;
import java.util.List;

public record SyncResponded(String requestId, DeviceRef target, String nodeId, List<ConversationSummary> conversations,
                            List<Message> messages, @JsonInclude(JsonInclude.Include.NON_EMPTY) List<GroupMemberChanged.Member> members,
                            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> readers,
                            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<FriendEntry> friends,
                            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<GroupInvitation> invitations, boolean hasMore) {

    public SyncResponded {
        members = members == null ? List.of() : members;
        readers = readers == null ? List.of() : readers;
        friends = friends == null ? List.of() : friends;
        invitations = invitations == null ? List.of() : invitations;
    }

    /** An answer carrying messages or conversations only. */
    public SyncResponded(String requestId, DeviceRef target, String nodeId, List<ConversationSummary> conversations,
                         List<Message> messages, boolean hasMore) {
        this(requestId, target, nodeId, conversations, messages, List.of(), List.of(), List.of(), List.of(), hasMore);
    }
}
