package im.parley.sequence;

import com.datastax.oss.driver.api.core.CqlSession;
import im.parley.cassandra.CassandraSessions;
import io.cloudevents.CloudEvent;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The sequence function and its stores. Settings: {@code PARLEY_REDIS_URI}, {@code PARLEY_DEDUPE_TTL} (ISO-8601,
 * default PT24H) and Cassandra's (see {@link CassandraSessions#fromEnvironment}).
 */
@Configuration(proxyBeanMethods = false)
public class SequenceConfiguration {

    @Bean(destroyMethod = "close")
    Vertx vertx() {
        return Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    }

    @Bean(destroyMethod = "close")
    Redis redis(Vertx vertx, Environment env) {
        return Redis.createClient(vertx, new RedisOptions()
                .setConnectionString(env.getProperty("PARLEY_REDIS_URI", "redis://127.0.0.1:6379"))
                .setMaxPoolSize(16).setMaxPoolWaiting(1024));
    }

    @Bean(destroyMethod = "close")
    CqlSession cassandra(Environment env) {
        return CassandraSessions.fromEnvironment(env::getProperty);
    }

    @Bean
    Function<CloudEvent, CloudEvent> sequence(Redis redis, CqlSession cassandra, Environment env) {
        Duration dedupe = Duration.parse(env.getProperty("PARLEY_DEDUPE_TTL", "PT24H"));
        return new SequenceFunction(new CassandraPostingRights(cassandra),
                new SequenceAllocator(new RedisSeqCache(redis, dedupe), new CassandraSeqLedger(cassandra)), Clock.systemUTC());
    }
}
