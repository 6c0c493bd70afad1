package im.parley.messaging;

import im.parley.fanout.FanoutConfiguration;
import im.parley.persist.PersistConfiguration;
import im.parley.sequence.SequenceConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The message path as one service: its function is {@code sequence|persist|fanout}, composed by Spring Cloud
 * Function's catalog. Each function stays its own module and bean with its own tests; composed, they share one
 * Redis client and one Cassandra session, and a message crosses one broker hop instead of three.
 */
@Configuration(proxyBeanMethods = false)
@Import({SequenceConfiguration.class, PersistConfiguration.class, FanoutConfiguration.class})
public class MessagingConfiguration {
}
