package im.parley.redis;

import im.parley.eventing.Readiness;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.redis.client.Redis;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * A function's Redis client and the delivery streams, for functions that {@code @Import} it. Functions hosted
 * together in one process get them from a shared parent context instead, so each bean is made only when missing.
 */
@Configuration(proxyBeanMethods = false)
public class RedisConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    Vertx vertx() {
        return Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    Redis redis(Vertx vertx, Environment env) {
        return RedisConnections.fromEnvironment(vertx, env::getProperty);
    }

    @Bean
    @ConditionalOnMissingBean(name = "redisReadiness")
    Readiness redisReadiness(Redis redis) {
        return RedisConnections.readiness(redis);
    }

    @Bean
    @ConditionalOnMissingBean
    DeliveryStreams deliveryStreams(Redis redis) {
        return new DeliveryStreams(redis);
    }
}
