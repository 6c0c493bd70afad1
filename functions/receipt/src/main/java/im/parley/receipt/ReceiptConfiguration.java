package im.parley.receipt;

import com.datastax.oss.driver.api.core.CqlSession;
import im.parley.cassandra.CassandraConfiguration;
import im.parley.delivery.RedisDeliveries;
import im.parley.due.DueSet;
import im.parley.due.DueSweeper;
import im.parley.functions.handlers.Handlers;
import im.parley.membership.CassandraMembers;
import im.parley.membership.Members;
import im.parley.redis.RedisConfiguration;
import io.vertx.redis.client.Redis;
import java.time.Clock;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/**
 * The receipt function and the flusher of batched reads. {@code PARLEY_RECEIPT_BROADCAST_LIMIT} (default 100): the
 * largest group told of each receipt; {@code PARLEY_RECEIPT_BATCH_WINDOW} (ISO-8601, default PT2S): how long a
 * larger group's reads gather before one {@code receipts} frame tells them.
 */
@Configuration(proxyBeanMethods = false)
@Import({RedisConfiguration.class, CassandraConfiguration.class})
public class ReceiptConfiguration {

    @Bean
    DueSet receiptDue(Redis redis) {
        return new DueSet(redis, RedisReceiptBatches.DUE);
    }

    @Bean
    ReceiptBatches receiptBatches(Redis redis, DueSet receiptDue, Environment env) {
        Duration window = Duration.parse(env.getProperty("PARLEY_RECEIPT_BATCH_WINDOW", "PT2S"));
        return new RedisReceiptBatches(redis, receiptDue, window, Clock.systemUTC());
    }

    /** One reader for the function and the flusher, so a group's members are kept once (decision 0054). */
    @Bean
    Members receiptMembers(CqlSession cassandra) {
        return new CassandraMembers(cassandra);
    }

    @Bean(destroyMethod = "close")
    DueSweeper receiptFlusher(DueSet receiptDue, ReceiptBatches batches, Redis redis, Members receiptMembers) {
        ReceiptFlusher flusher = new ReceiptFlusher(batches, receiptMembers, new RedisDeliveries(redis));
        return new DueSweeper(receiptDue, flusher, Clock.systemUTC()).start("receipt-flusher", 200);
    }

    @Bean
    Handlers receipt(Redis redis, ReceiptBatches batches, CqlSession cassandra, Members receiptMembers,
            Environment env) {
        int limit = Integer.parseInt(env.getProperty("PARLEY_RECEIPT_BROADCAST_LIMIT", "100"));
        return new ReceiptFunction(new CassandraWatermarks(cassandra), receiptMembers,
                new RedisDeliveries(redis), limit, batches).handlers();
    }
}
