package im.parley.sequence;

import im.parley.eventing.message.MessageRejected.Reason;
import im.parley.redis.RedisConnections;
import im.parley.redis.RedisScript;
import im.parley.rights.PostingRightsCache;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;

/**
 * The seq cache in Redis. A conversation's keys (the counter, its clientMsgIds, its posting rights) share a hash
 * tag, so they live on one Redis Cluster slot and one script touches them all in one round trip.
 */
public final class RedisSeqCache implements SeqCache {

    /**
     * KEYS: counter (hash: n, born), clientMsgId, rights (hash: user to right), rights generation.
     * ARGV: user, dedupe seconds, rights seconds, fill right ('' for none), fill generation, seed ('' for none).
     */
    static final RedisScript NEXT = new RedisScript("""
            local seen = redis.call('GET', KEYS[2])
            if seen then return {'dup', tonumber(seen)} end
            local right = redis.call('HGET', KEYS[3], ARGV[1])
            if not right and ARGV[4] ~= '' then
              if (redis.call('GET', KEYS[4]) or '0') == ARGV[5] then
                redis.call('HSET', KEYS[3], ARGV[1], ARGV[4])
                redis.call('EXPIRE', KEYS[3], ARGV[3])
              end
              right = ARGV[4]
            end
            if not right then return {'right', redis.call('GET', KEYS[4]) or '0'} end
            if right ~= 'ok' then return {'refused', right} end
            local now = tonumber(redis.call('TIME')[1])
            if redis.call('TYPE', KEYS[1]).ok == 'string' then
              local n = redis.call('GET', KEYS[1])
              redis.call('DEL', KEYS[1])
              redis.call('HSET', KEYS[1], 'n', n, 'born', 0)
            end
            if redis.call('EXISTS', KEYS[1]) == 0 then
              if ARGV[6] == '' then return {'seed'} end
              -- Seeded from nothing stored: no clientMsgId can have a seq from before, so the counter is not young.
              redis.call('HSET', KEYS[1], 'n', ARGV[6], 'born', ARGV[6] == '0' and 0 or now)
            end
            local seq = redis.call('HINCRBY', KEYS[1], 'n', 1)
            redis.call('SET', KEYS[2], seq, 'EX', ARGV[2])
            local young = now - tonumber(redis.call('HGET', KEYS[1], 'born')) < tonumber(ARGV[2])
            return {'seq', seq, young and 1 or 0}""");

    /** KEYS: counter, clientMsgId. ARGV: the seq to take back, the original seq, dedupe seconds. */
    static final RedisScript UNDO = new RedisScript("""
            if redis.call('HGET', KEYS[1], 'n') == ARGV[1] then redis.call('HINCRBY', KEYS[1], 'n', -1) end
            redis.call('SET', KEYS[2], ARGV[2], 'EX', ARGV[3])
            return 1""");

    /** KEYS: counter, clientMsgId. ARGV: the stored mark. */
    static final RedisScript RESEED = new RedisScript("""
            redis.call('DEL', KEYS[1], KEYS[2])
            redis.call('HSET', KEYS[1], 'n', ARGV[1], 'born', tonumber(redis.call('TIME')[1]))
            return 1""");

    private final Redis redis;
    private final long dedupeSeconds;

    /** @param dedupe how long a clientMsgId is answered from Redis; a resend older than that asks Cassandra */
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
    public Step next(String conversationId, String clientMsgId, String userId, Fill fill, OptionalLong seed) {
        String right = fill == null ? "" : fill.refusal() == null ? PostingRightsCache.ALLOWED : fill.refusal().code();
        Response answer = RedisConnections.await(NEXT.call(redis,
                List.of(counterKey(conversationId), clientMsgKey(conversationId, clientMsgId),
                        PostingRightsCache.rightsKey(conversationId), PostingRightsCache.generationKey(conversationId)),
                List.of(userId, dedupeSeconds, PostingRightsCache.TTL_SECONDS, right, fill == null ? "" : fill.generation(),
                        seed.isPresent() ? Long.toString(seed.getAsLong()) : "")));
        return switch (answer.get(0).toString()) {
            case "dup" -> new Duplicate(answer.get(1).toLong());
            case "seq" -> new Allocated(answer.get(1).toLong(), answer.get(2).toInteger() == 1);
            case "refused" -> new Refused(Reason.ofCode(answer.get(1).toString())
                    .orElseThrow(() -> new IllegalStateException("unknown right cached: " + answer.get(1))));
            case "right" -> new RightUnknown(answer.get(1).toString());
            case "seed" -> new CounterMissing();
            default -> throw new IllegalStateException("unexpected answer from the seq script: " + answer);
        };
    }

    @Override
    public void remember(String conversationId, String clientMsgId, long seq) {
        RedisConnections.await(redis.send(Request.cmd(Command.SET).arg(clientMsgKey(conversationId, clientMsgId)).arg(seq)
                .arg("EX").arg(dedupeSeconds)));
    }

    @Override
    public void forget(String conversationId, String clientMsgId) {
        RedisConnections.await(redis.send(Request.cmd(Command.DEL).arg(clientMsgKey(conversationId, clientMsgId))));
    }

    @Override
    public void reseed(String conversationId, String clientMsgId, long storedMark) {
        RedisConnections.await(RESEED.call(redis, List.of(counterKey(conversationId), clientMsgKey(conversationId, clientMsgId)),
                List.of(storedMark)));
    }

    @Override
    public void undo(String conversationId, String clientMsgId, long seq, long original) {
        RedisConnections.await(UNDO.call(redis, List.of(counterKey(conversationId), clientMsgKey(conversationId, clientMsgId)),
                List.of(seq, original, dedupeSeconds)));
    }
}
