package im.parley.receipt;

import im.parley.due.DueSet;
import im.parley.redis.RedisConnections;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Batches in Redis: one hash per conversation, user to seq, kept a day at most; a conversation with a batch
 * waits in {@link #DUE} to be told a window after its first read.
 */
public final class RedisReceiptBatches implements ReceiptBatches {

    /** The sorted set of conversations with reads waiting to be told. */
    public static final String DUE = "parley:receipts:due";

    static final String ADD = """
            local old = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
            if tonumber(ARGV[2]) > old then redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end
            redis.call('EXPIRE', KEYS[1], 86400)
            return 1""";

    /** ARGV: user, seq, user, seq, …: each removed only while its seq is still the one told. */
    static final String TOLD = """
            for i = 1, #ARGV, 2 do
              if redis.call('HGET', KEYS[1], ARGV[i]) == ARGV[i + 1] then redis.call('HDEL', KEYS[1], ARGV[i]) end
            end
            return 1""";

    private final Redis redis;
    private final DueSet due;
    private final Duration window;
    private final Clock clock;

    public RedisReceiptBatches(Redis redis, DueSet due, Duration window, Clock clock) {
        this.redis = redis;
        this.due = due;
        this.window = window;
        this.clock = clock;
    }

    static String key(String conversationId) {
        return "parley:receipts:batch:" + conversationId;
    }

    @Override
    public void add(String conversationId, String userId, long seq) {
        RedisConnections.await(redis.send(Request.cmd(Command.EVAL).arg(ADD).arg(1).arg(key(conversationId)).arg(userId).arg(seq)));
        due.schedule(conversationId, clock.millis() + window.toMillis());
    }

    @Override
    public Map<String, Long> gathered(String conversationId) {
        Response flat = RedisConnections.await(redis.send(Request.cmd(Command.HGETALL).arg(key(conversationId))));
        Map<String, Long> gathered = new LinkedHashMap<>();
        // RESP2 answers a flat list, RESP3 a map.
        for (String user : flat.getKeys()) {
            gathered.put(user, flat.get(user).toLong());
        }
        return gathered;
    }

    @Override
    public void told(String conversationId, Map<String, Long> told) {
        if (told.isEmpty()) {
            return;
        }
        Request request = Request.cmd(Command.EVAL).arg(TOLD).arg(1).arg(key(conversationId));
        told.forEach((user, seq) -> request.arg(user).arg(seq));
        RedisConnections.await(redis.send(request));
    }
}
