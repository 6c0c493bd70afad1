package im.parley.persist;

import com.datastax.oss.driver.api.core.CqlSession;
import im.parley.cassandra.CassandraConfiguration;
import im.parley.functions.handlers.Handlers;
import im.parley.messages.RecentSeqs;
import im.parley.messages.RecentSeqsConfiguration;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** The persist function, its Cassandra session, and what it tells sequencing in the same service. */
@Configuration(proxyBeanMethods = false)
@Import({CassandraConfiguration.class, RecentSeqsConfiguration.class})
public class PersistConfiguration {

    @Bean
    Handlers persist(CqlSession cassandra, RecentSeqs recent) {
        return new PersistFunction(new CassandraMessageStore(cassandra), recent, Clock.systemUTC()).handlers();
    }
}
