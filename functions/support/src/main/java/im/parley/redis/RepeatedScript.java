package im.parley.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * A script run for several calls in one request: Redis answers the list of the calls' answers, in order. Each call
 * sees only its own KEYS and ARGV, as if it were sent alone; Redis runs them one after another, with nothing in
 * between. It saves Redis a request per call (reading, parsing and dispatching it, and the script's setup) where
 * one piece of work has many items.
 */
public final class RepeatedScript {

    /** One call's keys and args, as {@link RedisScript#call} takes them. */
    public record Call(List<String> keys, List<?> args) {
    }

    private final RedisScript script;

    public RepeatedScript(RedisScript once) {
        // ARGV: the number of calls, each call's key and arg counts, then every call's args; KEYS: every call's keys.
        this.script = new RedisScript("local function call(KEYS, ARGV)\n" + once.source() + "\nend\n" + """
                local calls = tonumber(ARGV[1])
                local k, a = 0, 1 + 2 * calls
                local answers = {}
                for c = 1, calls do
                  local nk, na = tonumber(ARGV[2 * c]), tonumber(ARGV[2 * c + 1])
                  local keys, args = {}, {}
                  for i = 1, nk do keys[i] = KEYS[k + i] end
                  for i = 1, na do args[i] = ARGV[a + i] end
                  k, a = k + nk, a + na
                  answers[c] = call(keys, args) or false
                end
                return answers""");
    }

    /** The calls' answers, in order: one per call. */
    public Future<Response> call(Redis redis, List<Call> calls) {
        List<String> keys = new ArrayList<>();
        List<Object> args = new ArrayList<>();
        args.add(calls.size());
        for (Call call : calls) {
            args.add(call.keys().size());
            args.add(call.args().size());
        }
        for (Call call : calls) {
            keys.addAll(call.keys());
            args.addAll(call.args());
        }
        return script.call(redis, keys, args);
    }
}
