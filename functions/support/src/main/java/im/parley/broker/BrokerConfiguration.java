package im.parley.broker;

import im.parley.eventing.broker.BrokerSink;
import im.parley.eventing.broker.HttpBrokerSink;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * How a function sends an event to a broker other than the one its Trigger replies to: through the Kafka Broker's
 * ingress, {@code PARLEY_BROKER_INGRESS} (Knative's by default; the local runtime sets its own), for the brokers of
 * namespace {@code PARLEY_BROKER_NAMESPACE} (default {@code parley}).
 */
@Configuration(proxyBeanMethods = false)
public class BrokerConfiguration {

    /** Shorter than any Trigger's attempt timeout, so that a stuck ingress fails the attempt and it is retried. */
    static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(2);

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    BrokerSink brokerSink(Environment env) {
        return new HttpBrokerSink(URI.create(env.getProperty("PARLEY_BROKER_INGRESS", HttpBrokerSink.KNATIVE_INGRESS.toString())),
                env.getProperty("PARLEY_BROKER_NAMESPACE", "parley"), PUBLISH_TIMEOUT);
    }
}
