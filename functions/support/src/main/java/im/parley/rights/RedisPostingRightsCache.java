package im.parley.rights;

import im.parley.redis.RedisConnections;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.List;

/**
 * {@link PostingRightsCache} in Redis: the generation is bumped before the entries go, in one round trip. The
 * generation outlives any entry filled against it, then lapses too.
 */
public final class RedisPostingRightsCache implements PostingRightsCache {

    private final Redis redis;

    public RedisPostingRightsCache(Redis redis) {
        this.redis = redis;
    }

    @Override
    public void forget(String conversationId) {
        RedisConnections.await(redis.batch(List.of(
                Request.cmd(Command.INCR).arg(PostingRightsCache.generationKey(conversationId)),
                Request.cmd(Command.EXPIRE).arg(PostingRightsCache.generationKey(conversationId)).arg(2 * TTL_SECONDS),
                Request.cmd(Command.DEL).arg(PostingRightsCache.rightsKey(conversationId)))));
    }
}
