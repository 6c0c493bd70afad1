package im.parley.persist;

import com.datastax.oss.driver.api.core.CqlSession;
import im.parley.cassandra.CassandraConfiguration;
import im.parley.functions.handlers.Handlers;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** The persist function and its Cassandra session. */
@Configuration(proxyBeanMethods = false)
@Import(CassandraConfiguration.class)
public class PersistConfiguration {

    @Bean
    Handlers persist(CqlSession cassandra) {
        return new PersistFunction(new CassandraMessageStore(cassandra), Clock.systemUTC()).handlers();
    }
}
