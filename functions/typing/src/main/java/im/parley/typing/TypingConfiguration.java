package im.parley.typing;

import com.datastax.oss.driver.api.core.CqlSession;
import im.parley.cassandra.CassandraConfiguration;
import im.parley.delivery.RedisDeliveries;
import im.parley.functions.handlers.Handlers;
import im.parley.membership.CassandraMembers;
import im.parley.redis.RedisConfiguration;
import im.parley.social.CassandraSocialGraph;
import io.vertx.redis.client.Redis;
import java.time.Clock;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/**
 * The typing function. {@code PARLEY_TYPING_EXPIRY} (ISO-8601, default PT6S): how long a client shows an indicator
 * with no newer one, and the age past which one is dropped; {@code PARLEY_TYPING_INTERVAL} (default PT2S): at most one
 * indicator of each state per user and conversation in it; {@code PARLEY_TYPING_GROUP_LIMIT} (default 100): larger
 * groups are not told; {@code PARLEY_DIRECT_REQUIRES_FRIENDSHIP} (default true), as for 1:1 messages.
 */
@Configuration(proxyBeanMethods = false)
@Import({RedisConfiguration.class, CassandraConfiguration.class})
public class TypingConfiguration {

    @Bean
    Handlers typing(Redis redis, CqlSession cassandra, Environment env) {
        TypingFunction.Settings settings = new TypingFunction.Settings(
                Duration.parse(env.getProperty("PARLEY_TYPING_EXPIRY", "PT6S")),
                Duration.parse(env.getProperty("PARLEY_TYPING_INTERVAL", "PT2S")),
                Integer.parseInt(env.getProperty("PARLEY_TYPING_GROUP_LIMIT", "100")),
                Boolean.parseBoolean(env.getProperty("PARLEY_DIRECT_REQUIRES_FRIENDSHIP", "true")));
        return new TypingFunction(new CassandraMembers(cassandra), new CassandraSocialGraph(cassandra),
                new RedisThrottle(redis), new RedisDeliveries(redis), settings, Clock.systemUTC()).handlers();
    }
}
