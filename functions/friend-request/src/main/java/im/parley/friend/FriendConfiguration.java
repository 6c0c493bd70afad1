package im.parley.friend;

import com.datastax.oss.driver.api.core.CqlSession;
import im.parley.cassandra.CassandraConfiguration;
import im.parley.delivery.RedisDeliveries;
import im.parley.functions.handlers.Handlers;
import im.parley.quota.RedisDailyQuota;
import im.parley.redis.RedisConfiguration;
import im.parley.rights.RedisPostingRightsCache;
import io.vertx.redis.client.Redis;
import java.time.Clock;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/**
 * The friend-request function. {@code PARLEY_FRIEND_MAX} (default 5,000): the most friends a user may have;
 * {@code PARLEY_FRIEND_REQUEST_TTL} (ISO-8601, default P30D): how long a request stays pending unanswered;
 * {@code PARLEY_FRIEND_REQUESTS_PER_DAY} (default 100): the requests each user may send a day (UTC).
 */
@Configuration(proxyBeanMethods = false)
@Import({RedisConfiguration.class, CassandraConfiguration.class})
public class FriendConfiguration {

    @Bean
    Handlers friendRequest(Redis redis, CqlSession cassandra, Environment env) {
        int max = Integer.parseInt(env.getProperty("PARLEY_FRIEND_MAX", "5000"));
        Duration ttl = Duration.parse(env.getProperty("PARLEY_FRIEND_REQUEST_TTL", "P30D"));
        return new FriendFunction(new CassandraFriendships(cassandra, ttl), new FriendRules(max), new RedisDeliveries(redis),
                new RedisPostingRightsCache(redis), new RedisDailyQuota(redis, "friend-request",
                        Integer.parseInt(env.getProperty("PARLEY_FRIEND_REQUESTS_PER_DAY", "100")), Clock.systemUTC()))
                .handlers();
    }
}
