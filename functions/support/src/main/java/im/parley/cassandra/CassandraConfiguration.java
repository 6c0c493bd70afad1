package im.parley.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** A function's Cassandra session ({@link CassandraSessions#fromEnvironment}), for functions that {@code @Import} it. */
@Configuration(proxyBeanMethods = false)
public class CassandraConfiguration {

    @Bean(destroyMethod = "close")
    CqlSession cassandra(Environment env) {
        return CassandraSessions.fromEnvironment(env::getProperty);
    }
}
