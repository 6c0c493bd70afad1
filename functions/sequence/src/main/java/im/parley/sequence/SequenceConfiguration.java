package im.parley.sequence;

import com.datastax.oss.driver.api.core.CqlSession;
import im.parley.cassandra.CassandraSessions;
import im.parley.cassandra.CassandraSettings;
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
 * The sequence function and its stores. Settings: {@code PARLEY_REDIS_URI}, {@code PARLEY_CASSANDRA_CONTACT_POINTS}
 * (host:port, comma-separated; the driver finds the other nodes from the first), {@code PARLEY_CASSANDRA_DATACENTER},
 * {@code PARLEY_CASSANDRA_KEYSPACE} and {@code PARLEY_DEDUPE_TTL} (ISO-8601, default PT24H).
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
        String first = env.getProperty("PARLEY_CASSANDRA_CONTACT_POINTS", "127.0.0.1:9042").split(",")[0].trim();
        int colon = first.lastIndexOf(':');
        return CassandraSessions.connectToKeyspace(new CassandraSettings(first.substring(0, colon),
                Integer.parseInt(first.substring(colon + 1)), env.getProperty("PARLEY_CASSANDRA_DATACENTER", "datacenter1"),
                env.getProperty("PARLEY_CASSANDRA_KEYSPACE", "parley"), CassandraSettings.LOCAL_REPLICATION));
    }

    @Bean
    Function<CloudEvent, CloudEvent> sequence(Redis redis, CqlSession cassandra, Environment env) {
        Duration dedupe = Duration.parse(env.getProperty("PARLEY_DEDUPE_TTL", "PT24H"));
        return new SequenceFunction(new CassandraPostingRights(cassandra),
                new SequenceAllocator(new RedisSeqCache(redis, dedupe), new CassandraSeqLedger(cassandra)), Clock.systemUTC());
    }
}
