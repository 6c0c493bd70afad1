package im.parley.presence.watch;

import com.datastax.oss.driver.api.core.CqlSession;
import im.parley.cassandra.CassandraConfiguration;
import im.parley.delivery.RedisDeliveries;
import im.parley.due.DueSet;
import im.parley.due.DueSweeper;
import im.parley.functions.handlers.Handlers;
import im.parley.redis.RedisConfiguration;
import im.parley.social.CassandraSocialGraph;
import im.parley.social.SocialGraph;
import io.vertx.redis.client.Redis;
import java.time.Clock;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/**
 * The presence function and its settler. {@code PARLEY_PRESENCE_DEBOUNCE} (ISO-8601, default PT1S): how long changes
 * gather before watchers are told; {@code PARLEY_PRESENCE_MAX_WATCHED} (default 500): the longest explicit watch list.
 */
@Configuration(proxyBeanMethods = false)
@Import({RedisConfiguration.class, CassandraConfiguration.class})
public class PresenceConfiguration {

    @Bean
    PresenceBoard presenceBoard(Redis redis) {
        return new RedisPresenceBoard(redis);
    }

    @Bean
    SocialGraph socialGraph(CqlSession cassandra) {
        return new CassandraSocialGraph(cassandra);
    }

    @Bean
    DueSet presenceDue(Redis redis) {
        return new DueSet(redis, PresenceFunction.DUE);
    }

    @Bean(destroyMethod = "close")
    DueSweeper presenceSettler(DueSet presenceDue, PresenceBoard board, SocialGraph graph, Redis redis) {
        PresenceSettler settler = new PresenceSettler(board, graph, new RedisDeliveries(redis), Clock.systemUTC());
        return new DueSweeper(presenceDue, settler, Clock.systemUTC()).start("presence-settler", 100);
    }

    @Bean
    Handlers presence(PresenceBoard board, DueSet presenceDue, SocialGraph graph, Redis redis, Environment env) {
        Duration debounce = Duration.parse(env.getProperty("PARLEY_PRESENCE_DEBOUNCE", "PT1S"));
        int maxWatched = Integer.parseInt(env.getProperty("PARLEY_PRESENCE_MAX_WATCHED", "500"));
        return new PresenceFunction(board, presenceDue, graph, new RedisDeliveries(redis), debounce, maxWatched,
                Clock.systemUTC()).handlers();
    }
}
