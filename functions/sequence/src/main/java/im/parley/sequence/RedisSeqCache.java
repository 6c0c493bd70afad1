package im.parley.sequence;

import im.parley.eventing.Attempt;
import im.parley.eventing.message.MessageRejected.Reason;
import im.parley.redis.RedisConnections;
import im.parley.redis.RedisScript;
import im.parley.redis.RepeatedScript;
import im.parley.rights.PostingRightsCache;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seq cache in Redis. A conversation's keys (the counter, its clientMsgIds, its posting rights) share a hash
 * tag, so they live on one Redis Cluster slot and one script touches them all in one round trip. The turn key holds
 * the token of the turn that last took the conversation over; every script checks it before it writes.
 */
public final class RedisSeqCache implements SeqCache {

    /**
     * KEYS: counter (hash: n, born, at and prev: when the last two seqs were handed out, in ms, by: the run id of
     * the server that handed out the last, and e: the token of the turn that started or last reseeded it),
     * clientMsgId (its seq, and the e of the counter that handed it out: "seq:e"; a seq found durably has no e),
     * rights (hash: user to right), rights generation, turn.
     * ARGV: user, dedupe seconds, rights seconds, fill right ('' for none), fill generation, seed ('' for none),
     * turn token, '1' when the turn takes the conversation over, a stored seq ('' for none) and the run id that
     * handed it out, the lease in seconds.
     * A server that lost writes it acknowledged is always another process (a restart from an older snapshot or an
     * AOF tail, a replica promoted), so another run id: a counter that stands at the stored seq, handed out by this
     * very server, has lost nothing since. And a server up for no more than a lease vouches only for the counters it
     * handed out from itself: an attempt may still be storing a seq an earlier one handed out (decision 0058). Where
     * INFO is refused, nothing follows, the mark is read instead, and a restart goes unseen.
     */
    static final RedisScript NEXT = new RedisScript("""
            if ARGV[8] == '1' then redis.call('SET', KEYS[5], ARGV[7], 'EX', ARGV[2])
            elseif redis.call('GET', KEYS[5]) ~= ARGV[7] then return {'lost'} end
            local server, up
            local function learn()
              if not server then
                local info = redis.pcall('INFO', 'server')
                local text = type(info) == 'string' and info or ''
                -- One pass over INFO, which lists the run id first (decision 0058 gives the script's cost).
                local id, seconds = string.match(text, 'run_id:(%x+).-uptime_in_seconds:(%d+)')
                server, up = id or string.match(text, 'run_id:(%x+)') or '', tonumber(seconds)
              end
            end
            local function vouches(by)
              learn()
              -- uptime counts whole seconds from a whole second: above the lease, more than a lease has passed
              return server == '' or not up or up > tonumber(ARGV[11]) or by == server
            end
            local seen = redis.call('GET', KEYS[2])
            if seen then
              local had, from = string.match(seen, '^(%d+):?(%x*)$')
              local current = from ~= '' and redis.call('TYPE', KEYS[1]).ok == 'hash'
                  and redis.call('HGET', KEYS[1], 'e') == from and vouches(redis.call('HGET', KEYS[1], 'by'))
              return {'dup', tonumber(had), current and 1 or 0}
            end
            local right = redis.call('HGET', KEYS[3], ARGV[1])
            if not right and ARGV[4] ~= '' then
              if (redis.call('GET', KEYS[4]) or '0') == ARGV[5] then
                redis.call('HSET', KEYS[3], ARGV[1], ARGV[4])
                redis.call('EXPIRE', KEYS[3], ARGV[3])
              end
              right = ARGV[4]
            end
            if not right then return {'right', redis.call('GET', KEYS[4]) or '0'} end
            if right ~= 'ok' then return {'refused', right} end
            learn()
            local time = redis.call('TIME')
            local now = tonumber(time[1])
            if redis.call('TYPE', KEYS[1]).ok == 'string' then
              local n = redis.call('GET', KEYS[1])
              redis.call('DEL', KEYS[1])
              redis.call('HSET', KEYS[1], 'n', n, 'born', 0, 'e', ARGV[7])
            end
            local seeded = false
            if redis.call('EXISTS', KEYS[1]) == 0 then
              if ARGV[6] == '' then return {'seed'} end
              -- Seeded from nothing stored, no attempt can be storing a seq; and no clientMsgId can have a seq from
              -- before, so the counter is not young.
              if ARGV[6] ~= '0' and not vouches(false) then return {'restarted', up} end
              redis.call('HSET', KEYS[1], 'n', ARGV[6], 'born', ARGV[6] == '0' and 0 or now, 'e', ARGV[7])
              seeded = true
            end
            local last = redis.call('HMGET', KEYS[1], 'n', 'by', 'at', 'e')
            if not seeded and not vouches(last[2]) then return {'restarted', up} end
            local epoch = last[4]
            if not epoch then
              epoch = ARGV[7]
              redis.call('HSET', KEYS[1], 'e', epoch)
            end
            local follows = server ~= '' and ARGV[9] ~= '' and last[1] == ARGV[9] and last[2] == server
                and ARGV[10] == server
            local seq = redis.call('HINCRBY', KEYS[1], 'n', 1)
            redis.call('HSET', KEYS[1], 'prev', last[3] or '', 'at', now * 1000 + math.floor(tonumber(time[2]) / 1000),
                'by', server)
            redis.call('SET', KEYS[2], seq .. ':' .. epoch, 'NX', 'EX', ARGV[2])
            local young = now - tonumber(redis.call('HGET', KEYS[1], 'born')) < tonumber(ARGV[2])
            return {'seq', seq, young and 1 or 0, follows and 1 or 0, server}""");

    private static final RepeatedScript NEXT_ALL = new RepeatedScript(NEXT);

    private static final String HELD = "if redis.call('GET', KEYS[3]) ~= ARGV[1] then return 0 end\n";

    /** KEYS: counter, clientMsgId, turn. ARGV: turn token, the seq to take back, the original seq, dedupe seconds. */
    static final RedisScript UNDO = new RedisScript(HELD + """
            if redis.call('HGET', KEYS[1], 'n') == ARGV[2] then redis.call('HINCRBY', KEYS[1], 'n', -1) end
            redis.call('SET', KEYS[2], ARGV[3], 'EX', ARGV[4])
            return 1""");

    /**
     * KEYS: counter, clientMsgId, turn. ARGV: turn token, '1' when the turn's own seq is the last handed out. Returns
     * 0 (turn lost), or 1 and the ms since the last seq handed out to another turn (-1: none known).
     */
    static final RedisScript QUIET = new RedisScript("""
            if redis.call('GET', KEYS[3]) ~= ARGV[1] then return {0} end
            local last = redis.call('HGET', KEYS[1], ARGV[2] == '1' and 'prev' or 'at')
            if not last or last == '' then return {1, -1} end
            local time = redis.call('TIME')
            return {1, tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000) - tonumber(last)}""");

    /** KEYS: counter, clientMsgId, turn. ARGV: turn token, the stored mark. Seqs handed out before are not current. */
    static final RedisScript RESEED = new RedisScript(HELD + """
            redis.call('DEL', KEYS[1], KEYS[2])
            redis.call('HSET', KEYS[1], 'n', ARGV[2], 'born', tonumber(redis.call('TIME')[1]), 'e', ARGV[1])
            return 1""");

    /** KEYS: counter, clientMsgId, turn. ARGV: turn token. A seq handed out again: other turns' quiet counts from now. */
    static final RedisScript RETAKE = new RedisScript(HELD + """
            local time = redis.call('TIME')
            redis.call('HSET', KEYS[1], 'at', tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000))
            return 1""");

    /** KEYS: counter, clientMsgId, turn. ARGV: turn token, the seq ('' to forget), dedupe seconds. */
    static final RedisScript REMEMBER = new RedisScript(HELD + """
            if ARGV[2] == '' then redis.call('DEL', KEYS[2]) else redis.call('SET', KEYS[2], ARGV[2], 'EX', ARGV[3]) end
            return 1""");

    private static final Logger log = LoggerFactory.getLogger(RedisSeqCache.class);

    private final Redis redis;
    private final long dedupeSeconds;
    private final long leaseSeconds;
    private volatile boolean infoRefusedLogged;

    /** @param dedupe how long a clientMsgId is answered from Redis; a resend older than that asks Cassandra */
    public RedisSeqCache(Redis redis, Duration dedupe) {
        this(redis, dedupe, SequenceAllocator.LEASE);
    }

    /** @param lease how long a restarted server hands out no seq from a counter an earlier one left */
    RedisSeqCache(Redis redis, Duration dedupe, Duration lease) {
        this.redis = redis;
        this.dedupeSeconds = Math.max(1, dedupe.toSeconds());
        this.leaseSeconds = Math.max(1, lease.toSeconds());
    }

    static String counterKey(String conversationId) {
        return "parley:seq:{" + conversationId + "}";
    }

    static String clientMsgKey(String conversationId, String clientMsgId) {
        return "parley:msgid:{" + conversationId + "}:" + clientMsgId;
    }

    static String turnKey(String conversationId) {
        return "parley:turn:{" + conversationId + "}";
    }

    @Override
    public Step next(Turn turn, String clientMsgId, String userId, Fill fill, OptionalLong seed, Stored stored) {
        Attempt.ensureLive();
        RepeatedScript.Call call = call(new Next(turn, clientMsgId, userId, fill, seed, stored));
        return step(turn, RedisConnections.await(NEXT.call(redis, call.keys(), call.args())));
    }

    /** The arguments of one {@link #next}, for {@link #nextAll}. */
    public record Next(Turn turn, String clientMsgId, String userId, Fill fill, OptionalLong seed, Stored stored) {
    }

    /**
     * {@link #next} for several turns in one round trip: Redis makes every call, in order, as if each were sent alone.
     * If a turn was lost, {@link TurnLost} is thrown for the first such turn once all the calls are made. For work
     * that sequences many conversations' messages at once.
     */
    public List<Step> nextAll(List<Next> calls) {
        Attempt.ensureLive();
        Response answers = RedisConnections.await(NEXT_ALL.call(redis, calls.stream().map(this::call).toList()));
        List<Step> steps = new ArrayList<>(calls.size());
        TurnLost lost = null;
        for (int i = 0; i < calls.size(); i++) {
            try {
                steps.add(step(calls.get(i).turn(), answers.get(i)));
            } catch (TurnLost e) {
                lost = lost == null ? e : lost; // the other turns are still told what they got
            }
        }
        if (lost != null) {
            throw lost;
        }
        return steps;
    }

    private RepeatedScript.Call call(Next n) {
        String conversationId = n.turn().conversationId();
        Fill fill = n.fill();
        String right = fill == null ? "" : fill.refusal() == null ? PostingRightsCache.ALLOWED : fill.refusal().code();
        return new RepeatedScript.Call(
                List.of(counterKey(conversationId), clientMsgKey(conversationId, n.clientMsgId()),
                        PostingRightsCache.rightsKey(conversationId), PostingRightsCache.generationKey(conversationId),
                        turnKey(conversationId)),
                List.of(n.userId(), dedupeSeconds, PostingRightsCache.TTL_SECONDS, right, fill == null ? "" : fill.generation(),
                        n.seed().isPresent() ? Long.toString(n.seed().getAsLong()) : "", n.turn().token(),
                        n.turn().claims() ? "1" : "0", n.stored() == null ? "" : Long.toString(n.stored().seq()),
                        n.stored() == null ? "" : n.stored().counter(), leaseSeconds));
    }

    /** What the seq script answered for one turn, told to the turn. */
    private Step step(Turn turn, Response answer) {
        if (answer.get(0).toString().equals("lost")) {
            throw new TurnLost(turn);
        }
        turn.started();
        if (answer.get(0).toString().equals("seq")) {
            turn.allocated(true);
            String server = answer.get(4).toString();
            if (server.isEmpty() && !infoRefusedLogged) {
                infoRefusedLogged = true;
                log.warn("Redis refused INFO to this user: every new seq reads the stored mark from Cassandra. Grant"
                        + " +info to the functions' ACL user (docs/security.md) to let the counter vouch for it.");
            }
            turn.counter(server.isEmpty() ? null : server);
        }
        return switch (answer.get(0).toString()) {
            case "dup" -> new Duplicate(answer.get(1).toLong(), answer.get(2).toInteger() == 1);
            case "seq" -> new Allocated(answer.get(1).toLong(), answer.get(2).toInteger() == 1, answer.get(3).toInteger() == 1);
            case "refused" -> new Refused(Reason.ofCode(answer.get(1).toString())
                    .orElseThrow(() -> new IllegalStateException("unknown right cached: " + answer.get(1))));
            case "right" -> new RightUnknown(answer.get(1).toString());
            case "seed" -> new CounterMissing();
            case "restarted" -> new Restarted(answer.get(1).toLong() * 1000);
            default -> throw new IllegalStateException("unexpected answer from the seq script: " + answer);
        };
    }

    @Override
    public void remember(Turn turn, String clientMsgId, long seq) {
        held(turn, REMEMBER, clientMsgId, List.of(turn.token(), seq, dedupeSeconds));
    }

    @Override
    public void retake(Turn turn, String clientMsgId) {
        held(turn, RETAKE, clientMsgId, List.of(turn.token()));
    }

    @Override
    public void forget(Turn turn, String clientMsgId) {
        held(turn, REMEMBER, clientMsgId, List.of(turn.token(), "", dedupeSeconds));
    }

    @Override
    public void reseed(Turn turn, String clientMsgId, long storedMark) {
        held(turn, RESEED, clientMsgId, List.of(turn.token(), storedMark));
        turn.allocated(false);
    }

    @Override
    public long quietMillis(Turn turn) {
        if (turn.claims()) {
            throw new IllegalStateException("turn " + turn + " has not taken its conversation over");
        }
        String c = turn.conversationId();
        Response answer = RedisConnections.await(QUIET.call(redis, List.of(counterKey(c), clientMsgKey(c, ""), turnKey(c)),
                List.of(turn.token(), turn.allocated() ? "1" : "0")));
        if (answer.get(0).toInteger() == 0) {
            throw new TurnLost(turn);
        }
        long quiet = answer.get(1).toLong();
        return quiet < 0 ? Long.MAX_VALUE : quiet;
    }

    @Override
    public void undo(Turn turn, String clientMsgId, long seq, long original) {
        held(turn, UNDO, clientMsgId, List.of(turn.token(), seq, original, dedupeSeconds));
    }

    /** Runs a script that writes only while the turn still holds the conversation. */
    private void held(Turn turn, RedisScript script, String clientMsgId, List<Object> args) {
        if (turn.claims()) {
            throw new IllegalStateException("turn " + turn + " has not taken its conversation over");
        }
        Attempt.ensureLive();
        String c = turn.conversationId();
        Response done = RedisConnections.await(script.call(redis, List.of(counterKey(c), clientMsgKey(c, clientMsgId), turnKey(c)),
                args));
        if (done.toInteger() == 0) {
            throw new TurnLost(turn);
        }
    }
}
