package im.parley.persist;

import com.datastax.oss.driver.api.core.CqlSession;
import im.parley.cassandra.CassandraConfiguration;
import io.cloudevents.CloudEvent;
import java.time.Clock;
import java.util.function.Function;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** The persist function and its Cassandra session. */
@Configuration(proxyBeanMethods = false)
@Import(CassandraConfiguration.class)
public class PersistConfiguration {

    @Bean
    Function<CloudEvent, CloudEvent> persist(CqlSession cassandra) {
        return new PersistFunction(new CassandraMessageStore(cassandra), Clock.systemUTC());
    }
}
