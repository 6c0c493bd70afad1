package im.parley.sequence;

import com.datastax.oss.driver.api.core.CqlSession;
import im.parley.cassandra.CassandraConfiguration;
import im.parley.functions.handlers.Handlers;
import im.parley.membership.CassandraGroups;
import im.parley.messages.RecentSeqs;
import im.parley.messages.RecentSeqsConfiguration;
import im.parley.redis.RedisConfiguration;
import im.parley.social.CassandraSocialGraph;
import io.vertx.redis.client.Redis;
import java.time.Clock;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/**
 * The sequence function and its stores. {@code PARLEY_DEDUPE_TTL} (ISO-8601, default PT10M): how long Redis answers
 * a retried clientMsgId by itself (a flagged resend, or one after a Redis loss, always asks Cassandra);
 * {@code PARLEY_DIRECT_REQUIRES_FRIENDSHIP} (default true): whether a 1:1 message needs the users to be friends.
 */
@Configuration(proxyBeanMethods = false)
@Import({RedisConfiguration.class, CassandraConfiguration.class, RecentSeqsConfiguration.class})
public class SequenceConfiguration {

    @Bean
    Handlers sequence(Redis redis, CqlSession cassandra, RecentSeqs recent, Environment env) {
        Duration dedupe = Duration.parse(env.getProperty("PARLEY_DEDUPE_TTL", "PT10M"));
        boolean friendsOnly = Boolean.parseBoolean(env.getProperty("PARLEY_DIRECT_REQUIRES_FRIENDSHIP", "true"));
        return new SequenceFunction(new SequenceAllocator(new RedisSeqCache(redis, dedupe), new CassandraSeqLedger(cassandra),
                new GraphPostingRights(new CassandraSocialGraph(cassandra), new CassandraGroups(cassandra), friendsOnly), recent),
                Clock.systemUTC(), dedupe).handlers();
    }
}
