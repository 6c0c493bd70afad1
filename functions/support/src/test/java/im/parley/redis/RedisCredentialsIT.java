package im.parley.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import im.parley.quota.RedisDailyQuota;
import im.parley.stack.RedisServer;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The functions' Redis client as production runs it: an ACL user over TLS, with the rule the manifests give the
 * functions (their own keys, nothing dangerous).
 */
class RedisCredentialsIT {

    static final String RULE = "parley-functions on >s3cret-password ~parley:* &parley:* +@all -@dangerous +info";

    static RedisServer server;
    static Vertx vertx;

    @BeforeAll
    static void start() {
        server = RedisServer.secured(RULE, "default off");
        server.start();
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() {
        vertx.close();
        server.stop();
    }

    static Redis client(String uri, String ca) {
        Map<String, String> env = ca == null ? Map.of("PARLEY_REDIS_URI", uri) : Map.of("PARLEY_REDIS_URI", uri, "PARLEY_REDIS_CA_CERT", ca);
        return RedisConnections.fromEnvironment(vertx, (name, fallback) -> env.getOrDefault(name, fallback));
    }

    @Test
    void theFunctionsUserWorksOverTlsOnItsOwnKeysOnly() {
        Redis redis = client(server.tlsUri("parley-functions", "s3cret-password"), server.certificates().certPem().toString());
        assertThat(new RedisDailyQuota(redis, "credentials-it", 1, Clock.systemUTC()).take("ann", "e1")).isTrue();
        assertThatThrownBy(() -> RedisConnections.await(redis.send(Request.cmd(Command.GET).arg("other:key"))))
                .hasMessageContaining("NOPERM");
        assertThatThrownBy(() -> RedisConnections.await(redis.send(Request.cmd(Command.FLUSHALL))))
                .hasMessageContaining("NOPERM");
    }

    @Test
    void readinessAnswersAsTheFunctionsUserAndFailsWhenRedisDoesNot() throws Exception {
        Redis redis = client(server.tlsUri("parley-functions", "s3cret-password"), server.certificates().certPem().toString());
        assertThat(RedisConnections.readiness(redis).probe().toCompletableFuture().get(10, TimeUnit.SECONDS))
                .hasToString("PONG");
        Redis nobody = client("redis://127.0.0.1:" + im.parley.stack.Ports.free(), null);
        assertThatThrownBy(() -> RedisConnections.readiness(nobody).probe().toCompletableFuture().get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class);
    }

    @Test
    void aWrongPasswordOrAnUntrustedServerIsRefused() {
        Redis wrong = client(server.tlsUri("parley-functions", "guess"), server.certificates().certPem().toString());
        assertThatThrownBy(() -> RedisConnections.await(wrong.send(Request.cmd(Command.PING))))
                .hasMessageContaining("WRONGPASS");
        Redis untrusted = client(server.tlsUri("parley-functions", "s3cret-password"), null);
        assertThatThrownBy(() -> RedisConnections.await(untrusted.send(Request.cmd(Command.PING))))
                .isInstanceOf(IllegalStateException.class);
    }
}
