package im.parley.presence.watch;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.eventing.presence.PresenceRecords;
import im.parley.eventing.presence.PresenceState;
import im.parley.redis.RedisConnections;
import im.parley.stack.RedisServer;
import im.parley.stack.junit.LocalStack;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The presence board against a real Redis, reading device records in the connection tier's format. */
@LocalStack
class RedisPresenceBoardIT {

    static Vertx vertx;
    static Redis redis;
    static RedisPresenceBoard board;

    @BeforeAll
    static void start(RedisServer server) {
        vertx = Vertx.vertx();
        redis = Redis.createClient(vertx, server.uri());
        board = new RedisPresenceBoard(redis);
    }

    @AfterAll
    static void stop() {
        vertx.close();
    }

    static void connect(String user, String device) {
        RedisConnections.await(redis.send(Request.cmd(Command.HSET).arg(PresenceRecords.key(user)).arg(device)
                .arg(PresenceRecords.value("n1", System.currentTimeMillis() + 60_000))));
    }

    @Test
    void theStateFollowsLiveDevicesAndWhatTheyReport() {
        assertThat(board.current("pia").state()).isEqualTo(PresenceState.OFFLINE);
        connect("pia", "phone");
        connect("pia", "laptop");
        board.report("pia", "phone", PresenceState.AWAY);
        assertThat(board.current("pia")).isEqualTo(new Aggregate(PresenceState.ONLINE, 2));
        board.report("pia", "laptop", PresenceState.AWAY);
        assertThat(board.current("pia").state()).isEqualTo(PresenceState.AWAY);
        board.report("pia", "laptop", PresenceState.ONLINE);
        assertThat(board.current("pia").state()).isEqualTo(PresenceState.ONLINE);
        board.report("pia", "laptop", PresenceState.AWAY);
        board.forget("pia", "phone");
        assertThat(board.current("pia").state()).as("the phone's away mark is forgotten while its record lives")
                .isEqualTo(PresenceState.ONLINE);
        RedisConnections.await(redis.send(Request.cmd(Command.HDEL).arg(PresenceRecords.key("pia")).arg("phone")));
        assertThat(board.current("pia")).as("the tier removed the phone").isEqualTo(new Aggregate(PresenceState.AWAY, 1));
    }

    @Test
    void publishedStatesAndWatchListsRoundTrip() {
        board.publish("rae", new Published(PresenceState.AWAY, 1234));
        assertThat(board.published(List.of("rae", "nobody"))).isEqualTo(Map.of("rae", new Published(PresenceState.AWAY, 1234)));
        List<String> many = IntStream.range(0, 800).mapToObj(i -> "w" + i).toList();
        board.watch("sam", many, List.of());
        board.watch("sam", List.of("rae"), many.subList(0, 700));
        assertThat(board.watching("sam")).hasSize(101).contains("rae", "w799").doesNotContain("w0");
        assertThat(board.watchersOf("rae")).isEqualTo(Set.of("sam"));
        assertThat(board.watchersOf("w0")).isEmpty();
    }
}
