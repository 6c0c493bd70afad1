package im.parley.amend;

import com.datastax.oss.driver.api.core.CqlSession;
import im.parley.broker.BrokerConfiguration;
import im.parley.cassandra.CassandraConfiguration;
import im.parley.delivery.RedisDeliveries;
import im.parley.eventing.broker.BrokerSink;
import im.parley.functions.handlers.Handlers;
import im.parley.membership.CassandraGroups;
import im.parley.messages.CassandraMessages;
import im.parley.redis.RedisConfiguration;
import io.vertx.redis.client.Redis;
import java.time.Clock;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/**
 * The amend function. {@code PARLEY_EDIT_WINDOW} (ISO-8601, default PT15M): how long after sending its sender may
 * edit a text message; {@code PARLEY_RECALL_WINDOW} (default PT2H): how long its sender may recall a message. A
 * group's owner and admins recall any message of the group, at any time.
 */
@Configuration(proxyBeanMethods = false)
@Import({RedisConfiguration.class, CassandraConfiguration.class, BrokerConfiguration.class})
public class AmendConfiguration {

    @Bean
    Handlers amend(Redis redis, CqlSession cassandra, BrokerSink broker, Environment env) {
        AmendFunction.Settings settings = new AmendFunction.Settings(
                Duration.parse(env.getProperty("PARLEY_EDIT_WINDOW", "PT15M")),
                Duration.parse(env.getProperty("PARLEY_RECALL_WINDOW", "PT2H")));
        return new AmendFunction(new CassandraMessages(cassandra), new CassandraGroups(cassandra), new RedisDeliveries(redis),
                broker, settings, Clock.systemUTC()).handlers();
    }
}
