package im.parley.fanout;

import com.datastax.oss.driver.api.core.CqlSession;
import im.parley.broker.BrokerConfiguration;
import im.parley.cassandra.CassandraConfiguration;
import im.parley.delivery.RedisDeliveries;
import im.parley.eventing.broker.BrokerSink;
import im.parley.functions.handlers.Handlers;
import im.parley.membership.CassandraMembers;
import im.parley.redis.RedisConfiguration;
import im.parley.social.CassandraSocialGraph;
import io.vertx.redis.client.Redis;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The fanout function: presence and deliveries in Redis, members and blocks in Cassandra, push requests to the
 * broker.
 */
@Configuration(proxyBeanMethods = false)
@Import({RedisConfiguration.class, CassandraConfiguration.class, BrokerConfiguration.class})
public class FanoutConfiguration {

    @Bean
    Handlers fanout(Redis redis, CqlSession cassandra, BrokerSink broker) {
        return new FanoutFunction(new CassandraMembers(cassandra), new RedisDeliveries(redis), broker,
                new CassandraSocialGraph(cassandra)).handlers();
    }
}
