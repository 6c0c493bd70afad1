package im.parley.sequence;

import im.parley.redis.RedisConnections;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * The seq cache in Redis. Both keys of a conversation share a hash tag, so they live on one Redis Cluster slot
 * and one script can touch both.
 */
public final class RedisSeqCache implements SeqCache {

    /** The counter moves and the clientMsgId is remembered in one step, or the counter is missing. */
    static final String NEXT = """
            if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
            local seq = redis.call('INCR', KEYS[1])
            redis.call('SET', KEYS[2], seq, 'EX', ARGV[1])
            return seq""";

    private final Redis redis;
    private final long dedupeSeconds;

    /** @param dedupe how long a clientMsgId is answered from Redis; after that Cassandra answers */
    public RedisSeqCache(Redis redis, Duration dedupe) {
        this.redis = redis;
        this.dedupeSeconds = Math.max(1, dedupe.toSeconds());
    }

    static String counterKey(String conversationId) {
        return "parley:seq:{" + conversationId + "}";
    }

    static String clientMsgKey(String conversationId, String clientMsgId) {
        return "parley:msgid:{" + conversationId + "}:" + clientMsgId;
    }

    @Override
    public OptionalLong seen(String conversationId, String clientMsgId) {
        Response value = await(redis.send(Request.cmd(Command.GET).arg(clientMsgKey(conversationId, clientMsgId))));
        return value == null ? OptionalLong.empty() : OptionalLong.of(value.toLong());
    }

    @Override
    public OptionalLong next(String conversationId, String clientMsgId) {
        long seq = await(redis.send(Request.cmd(Command.EVAL).arg(NEXT).arg(2).arg(counterKey(conversationId))
                .arg(clientMsgKey(conversationId, clientMsgId)).arg(dedupeSeconds))).toLong();
        return seq < 0 ? OptionalLong.empty() : OptionalLong.of(seq);
    }

    @Override
    public void seed(String conversationId, long highWaterMark) {
        await(redis.send(Request.cmd(Command.SET).arg(counterKey(conversationId)).arg(highWaterMark).arg("NX")));
    }

    @Override
    public void remember(String conversationId, String clientMsgId, long seq) {
        await(redis.send(Request.cmd(Command.SET).arg(clientMsgKey(conversationId, clientMsgId)).arg(seq)
                .arg("EX").arg(dedupeSeconds)));
    }

    private static Response await(Future<Response> future) {
        return RedisConnections.await(future);
    }
}
