package im.parley.group;

import com.datastax.oss.driver.api.core.CqlSession;
import im.parley.cassandra.CassandraConfiguration;
import im.parley.delivery.RedisDeliveries;
import im.parley.functions.handlers.Handlers;
import im.parley.quota.RedisDailyQuota;
import im.parley.redis.RedisConfiguration;
import im.parley.rights.RedisPostingRightsCache;
import im.parley.social.CassandraSocialGraph;
import io.vertx.redis.client.Redis;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/**
 * The group function. {@code PARLEY_GROUP_MAX_MEMBERS} (default 10,000): the largest a group may grow;
 * {@code PARLEY_GROUP_ADD_FRIENDS_ONLY} (default true): whether members add only their friends directly and invite
 * anyone else. A user who blocked someone is never added nor invited by them either way. {@code PARLEY_GROUP_CREATES_PER_DAY} (default 50): the groups
 * each user may create a day (UTC).
 */
@Configuration(proxyBeanMethods = false)
@Import({RedisConfiguration.class, CassandraConfiguration.class})
public class GroupConfiguration {

    @Bean
    Handlers group(Redis redis, CqlSession cassandra, Environment env) {
        int max = Integer.parseInt(env.getProperty("PARLEY_GROUP_MAX_MEMBERS", "10000"));
        boolean friendsOnly = Boolean.parseBoolean(env.getProperty("PARLEY_GROUP_ADD_FRIENDS_ONLY", "true"));
        int createsPerDay = Integer.parseInt(env.getProperty("PARLEY_GROUP_CREATES_PER_DAY", "50"));
        return new GroupFunction(new CassandraGroupStore(cassandra), new Membership(max), new RedisDeliveries(redis),
                new RedisPostingRightsCache(redis), new CassandraSocialGraph(cassandra), friendsOnly,
                new RedisDailyQuota(redis, "group-create", createsPerDay, Clock.systemUTC())).handlers();
    }
}
