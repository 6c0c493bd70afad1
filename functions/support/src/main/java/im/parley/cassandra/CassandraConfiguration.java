package im.parley.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import im.parley.eventing.Readiness;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * A function's Cassandra session ({@link CassandraSessions#fromEnvironment}), for functions that {@code @Import} it;
 * made only when a shared parent context has none.
 */
@Configuration(proxyBeanMethods = false)
public class CassandraConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    CqlSession cassandra(Environment env) {
        return CassandraSessions.fromEnvironment(env::getProperty);
    }

    @Bean
    @ConditionalOnMissingBean(name = "cassandraReadiness")
    Readiness cassandraReadiness(CqlSession cassandra) {
        return CassandraSessions.readiness(cassandra);
    }
}
