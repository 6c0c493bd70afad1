package im.parley.persist;

import com.datastax.oss.driver.api.core.CqlSession;
import im.parley.cassandra.CassandraSessions;
import io.cloudevents.CloudEvent;
import java.time.Clock;
import java.util.function.Function;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** The persist function and its Cassandra session (settings as in {@link CassandraSessions#fromEnvironment}). */
@Configuration(proxyBeanMethods = false)
public class PersistConfiguration {

    @Bean(destroyMethod = "close")
    CqlSession cassandra(Environment env) {
        return CassandraSessions.fromEnvironment(env::getProperty);
    }

    @Bean
    Function<CloudEvent, CloudEvent> persist(CqlSession cassandra) {
        return new PersistFunction(new CassandraMessageStore(cassandra), Clock.systemUTC());
    }
}
