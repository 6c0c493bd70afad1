package im.parley.delivery;

import com.fasterxml.jackson.databind.node.ObjectNode;
import im.parley.eventing.Attempt;
import im.parley.eventing.delivery.DeliveryBatch;
import im.parley.eventing.delivery.DeliveryChannel;
import im.parley.eventing.delivery.Frames;
import im.parley.eventing.message.DeviceRef;
import im.parley.eventing.presence.PresenceRecords;
import im.parley.eventing.tracing.Tracing;
import im.parley.redis.RedisConnections;
import im.parley.redis.RedisScript;
import im.parley.redis.RepeatedScript;
import io.opentelemetry.api.trace.Span;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@link Deliveries} in one Redis round trip: a script reads the users' presence, groups their live devices by node
 * and appends the frame to each node's stream, with the addressed batches. Users go in rounds of {@value #ROUND}
 * (one script call each, all pipelined), so a large group neither blocks Redis for long nor overflows the client.
 * The script touches keys it is not given (the nodes' streams): one Redis, not a cluster, as the manifests deploy.
 */
public final class RedisDeliveries implements Deliveries {

    static final int ROUND = 1_000;

    /**
     * KEYS: the users' presence hashes, then the once key (or none). ARGV: now (ms), the device left out
     * ('user/device' or ''), the frame ('' for none), stream max length, stream key prefix, the user count n, the
     * traceparent ('' for none), the n user ids, then (node, targets, frame) for each addressed entry, then, with a
     * once key, its window in seconds and whether this call marks the frame sent ('1') or leaves that to its caller
     * ('0'). Returns the users with no live device.
     */
    static final RedisScript DELIVER = new RedisScript("""
            local now = tonumber(ARGV[1])
            local n = tonumber(ARGV[6])
            local function add(node, to, frame)
              if ARGV[7] == '' then
                redis.call('XADD', ARGV[5] .. node, 'MAXLEN', '~', ARGV[4], '*', 'to', to, 'frame', frame)
              else
                redis.call('XADD', ARGV[5] .. node, 'MAXLEN', '~', ARGV[4], '*', 'to', to, 'frame', frame, 'trace', ARGV[7])
              end
            end
            local once = KEYS[n + 1]
            local last = #ARGV
            if once then
              last = last - 2
              if redis.call('EXISTS', once) == 1 then ARGV[3] = '' end
            end
            -- Presence is read even for a frame sent before: the caller asks for the offline users' notifications.
            local byNode = {}
            local offline = {}
            for i = 1, n do
              local user = ARGV[7 + i]
              local fields = redis.call('HGETALL', KEYS[i])
              local live = false
              for j = 1, #fields, 2 do
                local node, expires = string.match(fields[j + 1], '^(.*)|(%d+)$')
                if node and tonumber(expires) > now then
                  live = true
                  local target = user .. '/' .. fields[j]
                  if target ~= ARGV[2] then
                    local targets = byNode[node]
                    if not targets then
                      targets = {}
                      byNode[node] = targets
                    end
                    targets[#targets + 1] = target
                  end
                end
              end
              if not live then offline[#offline + 1] = user end
            end
            if ARGV[3] ~= '' then
              for node, targets in pairs(byNode) do
                add(node, table.concat(targets, ','), ARGV[3])
              end
            end
            for k = 8 + n, last, 3 do
              add(ARGV[k], ARGV[k + 1], ARGV[k + 2])
            end
            if once and ARGV[3] ~= '' and ARGV[#ARGV] == '1' then redis.call('SET', once, 1, 'EX', ARGV[#ARGV - 1]) end
            return offline""");

    private static final RepeatedScript DELIVER_ALL = new RepeatedScript(DELIVER);

    private final Redis redis;

    public RedisDeliveries(Redis redis) {
        this.redis = redis;
        RedisConnections.await(DELIVER.load(redis));
    }

    @Override
    public Set<String> toUsers(Collection<String> users, DeviceRef except, ObjectNode frame, String once,
                               List<DeliveryBatch> addressed) {
        Attempt.ensureLive(); // a late delivery would reach devices after frames sent since
        List<RepeatedScript.Call> rounds = rounds(new ToUsers(users, except, frame, once, addressed));
        Set<String> offline = new LinkedHashSet<>();
        for (Response answer : send(rounds.stream().map(r -> DELIVER.request(r.keys(), r.args())).toList())) {
            answer.forEach(user -> offline.add(user.toString()));
        }
        if (once != null && rounds.size() > 1 && frame != null) {
            RedisConnections.await(redis.send(Request.cmd(Command.SET).arg(onceKey(once)).arg(1)
                    .arg("EX").arg(ONCE_WINDOW.toSeconds())));
        }
        return offline;
    }

    /** The arguments of one {@link #toUsers}, for {@link #toUsersAll}. */
    public record ToUsers(Collection<String> users, DeviceRef except, ObjectNode frame, String once,
                          List<DeliveryBatch> addressed) {
    }

    /**
     * {@link #toUsers} for several frames in one round trip, each delivered as if sent alone, in order: for work that
     * delivers many conversations' messages at once. Each goes to at most {@value #ROUND} users; a larger group is
     * refused, to be sent with {@link #toUsers}. Answers each frame's users with no live device.
     */
    public List<Set<String>> toUsersAll(List<ToUsers> deliveries) {
        Attempt.ensureLive();
        List<RepeatedScript.Call> calls = new ArrayList<>(deliveries.size());
        for (ToUsers d : deliveries) {
            if (d.users().size() > ROUND) {
                throw new IllegalArgumentException(d.users().size() + " users, over " + ROUND + ": deliver it alone");
            }
            calls.addAll(rounds(d));
        }
        List<Set<String>> offline = new ArrayList<>(deliveries.size());
        for (Response answer : RedisConnections.await(DELIVER_ALL.call(redis, calls))) {
            Set<String> users = new LinkedHashSet<>();
            answer.forEach(user -> users.add(user.toString()));
            offline.add(users);
        }
        return offline;
    }

    /** The script's calls for one frame: its users in rounds of {@value #ROUND}, the addressed entries in the first. */
    private static List<RepeatedScript.Call> rounds(ToUsers d) {
        String now = Long.toString(System.currentTimeMillis());
        String left = d.except() == null ? "" : DeliveryChannel.Entry.encodeTargets(List.of(d.except()));
        byte[] encoded = d.frame() == null ? new byte[0] : Frames.encode(d.frame());
        String prefix = DeliveryChannel.streamKey("");
        String traceparent = Tracing.traceparent(Span.current());
        String trace = traceparent == null ? "" : traceparent;
        List<String> all = new ArrayList<>(d.users());
        List<RepeatedScript.Call> calls = new ArrayList<>();
        int from = 0;
        do {
            List<String> round = all.subList(from, Math.min(all.size(), from + ROUND));
            List<String> keys = new ArrayList<>(round.size() + 1);
            round.forEach(user -> keys.add(PresenceRecords.key(user)));
            boolean first = from == 0;
            if (d.once() != null) {
                keys.add(onceKey(d.once()));
            }
            List<Object> args = new ArrayList<>(round.size() + 16);
            args.add(now);
            args.add(left);
            args.add(encoded);
            args.add(DeliveryChannel.MAX_LENGTH);
            args.add(prefix);
            args.add(round.size());
            args.add(trace);
            args.addAll(round);
            if (first) {
                for (DeliveryBatch batch : d.addressed()) {
                    for (DeliveryBatch.Item item : batch.items()) {
                        args.add(batch.nodeId());
                        args.add(DeliveryChannel.Entry.encodeTargets(item.targets()));
                        args.add(Frames.encode(item.frame()));
                    }
                }
            }
            if (d.once() != null) {
                args.add(ONCE_WINDOW.toSeconds());
                // One round marks the frame sent itself; several are marked once all have succeeded.
                args.add(all.size() <= ROUND ? "1" : "0");
            }
            calls.add(new RepeatedScript.Call(keys, args));
            from += ROUND;
        } while (from < all.size());
        return calls;
    }

    static String onceKey(String once) {
        return "parley:sent:" + once;
    }

    /** One call on its own (the script is loaded again if Redis lost it); several pipelined. */
    private List<Response> send(List<Request> calls) {
        try {
            return calls.size() == 1 ? List.of(RedisConnections.await(redis.send(calls.get(0))))
                    : RedisConnections.batch(redis, calls);
        } catch (IllegalStateException e) {
            if (e.getMessage() == null || !e.getMessage().contains("NOSCRIPT")) {
                throw e;
            }
            RedisConnections.await(DELIVER.load(redis));
            return calls.size() == 1 ? List.of(RedisConnections.await(redis.send(calls.get(0))))
                    : RedisConnections.batch(redis, calls);
        }
    }
}
