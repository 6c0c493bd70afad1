package im.parley.sync;

import com.datastax.oss.driver.api.core.CqlSession;
import im.parley.cassandra.CassandraConfiguration;
import im.parley.functions.handlers.Handlers;
import im.parley.membership.CassandraGroups;
import im.parley.messages.CassandraMessages;
import im.parley.redis.DeliveryStreams;
import im.parley.redis.RedisConfiguration;
import im.parley.social.CassandraSocialGraph;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The sync function: history from Cassandra, friends and groups through their owners' interfaces, answers on the
 * requesting node's delivery stream.
 */
@Configuration(proxyBeanMethods = false)
@Import({RedisConfiguration.class, CassandraConfiguration.class})
public class SyncConfiguration {

    @Bean
    Handlers sync(DeliveryStreams streams, CqlSession cassandra) {
        return new SyncFunction(new CassandraHistory(cassandra), new CassandraMessages(cassandra), new CassandraSocialGraph(cassandra),
                new CassandraGroups(cassandra), streams::send).handlers();
    }
}
