package im.parley.redis;

import im.parley.eventing.Attempt;
import im.parley.eventing.Readiness;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BinaryOperator;

/** The functions' Redis client ({@code PARLEY_REDIS_URI}), and how a function waits for it. */
public final class RedisConnections {

    private RedisConnections() {
    }

    /**
     * {@code PARLEY_REDIS_URI}: {@code redis://host:port}, or in production {@code rediss://user:password@host:port}
     * (an ACL user over TLS); {@code PARLEY_REDIS_CA_CERT}: the PEM CA that signed the server's certificate.
     *
     * @param property a setting by name, or the given default
     */
    public static Redis fromEnvironment(Vertx vertx, BinaryOperator<String> property) {
        RedisOptions options = new RedisOptions()
                .setConnectionString(property.apply("PARLEY_REDIS_URI", "redis://127.0.0.1:6379"))
                .setMaxPoolSize(16).setMaxPoolWaiting(1024);
        String ca = property.apply("PARLEY_REDIS_CA_CERT", null);
        if (ca != null) {
            options.setNetClientOptions(new NetClientOptions().setPemTrustOptions(new PemTrustOptions().addCertPath(ca))
                    .setHostnameVerificationAlgorithm("HTTPS"));
        }
        return Redis.createClient(vertx, options);
    }

    /** Commands per round trip: the client queues at most 2,048 (a 10,000-member group once overflowed it). */
    static final int BATCH = 1_000;

    /** Sends the commands in round trips of {@value #BATCH} and waits for all the answers, in order. */
    /** Answers once Redis replies to a PING. */
    public static Readiness readiness(Redis redis) {
        return Readiness.of("redis", () -> redis.send(Request.cmd(Command.PING)).toCompletionStage());
    }

    public static List<Response> batch(Redis redis, List<Request> requests) {
        List<Response> responses = new ArrayList<>(requests.size());
        for (int from = 0; from < requests.size(); from += BATCH) {
            responses.addAll(await(redis.batch(requests.subList(from, Math.min(requests.size(), from + BATCH)))));
        }
        return responses;
    }

    /**
     * Functions run on worker threads and may wait. A Redis failure is an exception, so the event is retried
     * (a 500 in Knative terms), never dropped.
     */
    public static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(Attempt.STORE_REQUEST_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for Redis", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Redis unavailable: " + e.getMessage(), e);
        }
    }
}
