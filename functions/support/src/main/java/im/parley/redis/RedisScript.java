package im.parley.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A Lua script run by its SHA1, so the body crosses the wire only when Redis does not know it yet (after a restart
 * or a flush of its script cache): {@code EVALSHA}, and {@code EVAL} once on {@code NOSCRIPT}.
 */
public final class RedisScript {

    private final String source;
    private final String sha;

    public RedisScript(String source) {
        this.source = source;
        try {
            this.sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @param args strings or byte arrays */
    public Future<Response> call(Redis redis, List<String> keys, List<?> args) {
        return redis.send(request(Command.EVALSHA, sha, keys, args)).recover(failure -> {
            if (failure.getMessage() != null && failure.getMessage().startsWith("NOSCRIPT")) {
                return redis.send(request(Command.EVAL, source, keys, args));
            }
            return Future.failedFuture(failure);
        });
    }

    /** The request for a pipeline; scripts sent this way must be loaded already ({@link #load}). */
    public Request request(List<String> keys, List<?> args) {
        return request(Command.EVALSHA, sha, keys, args);
    }

    /** The script's body: what {@link RepeatedScript} runs for each of its calls. */
    String source() {
        return source;
    }

    public Future<Response> load(Redis redis) {
        return redis.send(Request.cmd(Command.SCRIPT).arg("LOAD").arg(source));
    }

    private static Request request(Command command, String script, List<String> keys, List<?> args) {
        Request request = Request.cmd(command).arg(script).arg(keys.size());
        keys.forEach(request::arg);
        for (Object arg : args) {
            if (arg instanceof byte[] bytes) {
                request.arg(io.vertx.core.buffer.Buffer.buffer(bytes));
            } else {
                request.arg(String.valueOf(arg));
            }
        }
        return request;
    }
}
