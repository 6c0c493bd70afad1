package im.parley.receipt;

import com.datastax.oss.driver.api.core.CqlSession;
import im.parley.cassandra.CassandraConfiguration;
import im.parley.membership.CassandraMembers;
import im.parley.presence.RedisPresence;
import im.parley.redis.DeliveryStreams;
import im.parley.redis.RedisConfiguration;
import io.cloudevents.CloudEvent;
import io.vertx.redis.client.Redis;
import java.util.function.Function;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/** The receipt function. {@code PARLEY_RECEIPT_BROADCAST_LIMIT} (default 100): the largest group told of each receipt. */
@Configuration(proxyBeanMethods = false)
@Import({RedisConfiguration.class, CassandraConfiguration.class})
public class ReceiptConfiguration {

    @Bean
    Function<CloudEvent, CloudEvent> receipt(Redis redis, DeliveryStreams streams, CqlSession cassandra, Environment env) {
        int limit = Integer.parseInt(env.getProperty("PARLEY_RECEIPT_BROADCAST_LIMIT", "100"));
        return new ReceiptFunction(new CassandraWatermarks(cassandra), new CassandraMembers(cassandra), new RedisPresence(redis),
                batch -> streams.send(batch, "receipt"), limit);
    }
}
