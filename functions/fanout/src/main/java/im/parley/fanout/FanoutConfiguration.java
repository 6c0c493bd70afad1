package im.parley.fanout;

import com.datastax.oss.driver.api.core.CqlSession;
import im.parley.cassandra.CassandraSessions;
import io.cloudevents.CloudEvent;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import java.util.function.Function;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** The fanout function: presence and deliveries in Redis ({@code PARLEY_REDIS_URI}), members in Cassandra. */
@Configuration(proxyBeanMethods = false)
public class FanoutConfiguration {

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
    Function<CloudEvent, CloudEvent> fanout(Redis redis, CqlSession cassandra) {
        return new FanoutFunction(new CassandraMembers(cassandra), new RedisPresence(redis), new RedisDeliveries(redis));
    }
}
