package im.parley.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import im.parley.client.Ack;
import im.parley.client.Cursors;
import im.parley.client.Message;
import im.parley.client.ParleyClient;
import im.parley.client.ParleyException;
import im.parley.launcher.WebChat;
import im.parley.stack.CassandraServer;
import im.parley.stack.KafkaServer;
import im.parley.stack.RedisServer;
import im.parley.stack.junit.LocalStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The clients as apps use them, against one whole system over real sockets:
 * <ul>
 *   <li>the JavaScript client (clients/js), built with its own toolchain: its unit tests, its integration tests in
 *       Node (chat, catch-up, a connection cut mid-send), and its reference docs, regenerated and compared;</li>
 *   <li>the web chat page (clients/web) served as ./parley up serves it, in Debian's Chromium driven by
 *       playwright-core: friends chat with typing and read ticks, an offline friend catches up and scrolls back,
 *       a group of three chats; screenshots go to target/web-chat;</li>
 *   <li>the Java client (clients/java): chat, a refusal, catch-up, and a connection dropped mid-send.</li>
 * </ul>
 */
@LocalStack
class ClientsIT {

    private static final Path JS = Path.of("../clients/js");
    private static final Path WEB = Path.of("../clients/web");

    static FullStack stack;
    static WebChat chat;

    @BeforeAll
    static void start(KafkaServer kafka, RedisServer redis, CassandraServer cassandra) throws Exception {
        stack = FullStack.start("clients", kafka, redis, cassandra);
        chat = WebChat.start(0, WEB, JS.resolve("dist"), webSocket(), FullStack.SECRET);
    }

    @AfterAll
    static void stop() {
        if (chat != null) {
            chat.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    static String webSocket() {
        return stack.webSocket().toString();
    }

    @Test
    void theJavaScriptClientPassesItsTestsAgainstTheSystemAndItsDocsAreCurrent() throws Exception {
        if (!Files.isDirectory(JS.resolve("node_modules/typescript"))) {
            run(JS, Map.of(), "npm", "ci", "--no-audit", "--no-fund", "--loglevel=error");
        }
        run(JS, Map.of(), "npm", "run", "build");
        run(JS, Map.of(), "npm", "test");
        // The reference docs are generated from the sources; stale ones fail here, with what to run.
        Path docs = Files.createTempDirectory("js-docs");
        run(JS, Map.of(), "npm", "run", "docs", "--", "--out", docs.toString());
        assertThat(tree(docs)).as("docs/clients/js is stale: run npm run docs in clients/js")
                .isEqualTo(tree(Path.of("../docs/clients/js")));
        run(JS, Map.of("PARLEY_WS_URL", webSocket(), "PARLEY_SECRET", FullStack.SECRET), "npm", "run", "test:integration");
    }

    @Test
    void twoFriendsAndAGroupChatInTheBrowser() throws Exception {
        assertThat(JS.resolve("dist/index.js")).as("the launcher's build makes the client").exists();
        if (!Files.isDirectory(WEB.resolve("node_modules/playwright-core"))) {
            run(WEB, Map.of(), "npm", "ci", "--no-audit", "--no-fund", "--loglevel=error");
        }
        Path shots = Path.of("target/web-chat").toAbsolutePath();
        run(WEB, Map.of("PARLEY_WEB_URL", "http://127.0.0.1:" + chat.port() + "/", "PARLEY_SCREENSHOTS", shots.toString()),
                "npm", "test");
        assertThat(shots.resolve("chat.png")).exists();
        assertThat(shots.resolve("group.png")).exists();
    }

    /** A client whose messages and closes are recorded, and which accepts every friend request. */
    static final class Device implements ParleyClient.Listener {
        final List<Message> seen = new CopyOnWriteArrayList<>();
        final List<Integer> closes = new CopyOnWriteArrayList<>();
        final CountDownLatch friends = new CountDownLatch(1);
        final String user;
        ParleyClient client;

        Device(String user, Cursors cursors) {
            this.user = user;
            this.client = ParleyClient.builder(stack.webSocket(), "d1", () -> FullStack.token(user))
                    .cursors(cursors).backoff(Duration.ofMillis(100), Duration.ofSeconds(1)).listener(this).build();
        }

        @Override
        public void onMessage(Message message) {
            seen.add(message);
        }

        @Override
        public void onClose(int code, String reason, boolean reconnecting) {
            closes.add(code);
        }

        @Override
        public void onFrame(String type, JsonNode data) {
            if (type.equals("friend") && data.path("change").asText().equals("requested")
                    && !data.path("actor").asText().equals(user)) {
                client.friendAccept(data.path("actor").asText());
            } else if (type.equals("friend") && data.path("change").asText().equals("accepted")) {
                friends.countDown();
            }
        }

        void connect() throws Exception {
            client.connect().get(30, TimeUnit.SECONDS);
        }
    }

    static void await(java.util.function.BooleanSupplier check, String what) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!check.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(end);
            Thread.sleep(20);
        }
    }

    static Device befriended(Device a, Device b) throws Exception {
        a.connect();
        b.connect();
        a.client.friendRequest(b.user);
        assertThat(a.friends.await(20, TimeUnit.SECONDS)).as("friends").isTrue();
        return a;
    }

    @Test
    void friendsChatInOrderAndARefusalFailsItsMessage() throws Exception {
        Device ann = new Device("j-ann", Cursors.inMemory());
        Device ben = new Device("j-ben", Cursors.inMemory());
        try {
            befriended(ann, ben);
            List<Long> seqs = new ArrayList<>();
            for (String text : List.of("one", "two", "three")) {
                seqs.add(ann.client.send("d:j-ann:j-ben", text).get(20, TimeUnit.SECONDS).serverSeq());
            }
            assertThat(seqs).containsExactly(1L, 2L, 3L);
            await(() -> ben.seen.size() == 3, "ben's messages");
            assertThat(ben.seen).extracting(Message::content).containsExactly("one", "two", "three");
            CompletableFuture<Ack> stranger = ann.client.send("d:j-ann:j-zed", "hi");
            assertThat(stranger).failsWithin(Duration.ofSeconds(20)).withThrowableOfType(java.util.concurrent.ExecutionException.class)
                    .havingCause().isInstanceOf(ParleyException.class).satisfies(e ->
                            assertThat(((ParleyException) e).code()).isEqualTo("not-friends"));
        } finally {
            ann.client.close();
            ben.client.close();
        }
    }

    @Test
    void aDeviceBackFromAwayCatchesUpAndADroppedConnectionMidSendLosesAndDuplicatesNothing() throws Exception {
        Device cat = new Device("j-cat", Cursors.inMemory());
        Cursors danCursors = Cursors.inMemory();
        Device dan = new Device("j-dan", danCursors);
        try {
            befriended(cat, dan);
            String conversation = "d:j-cat:j-dan";
            cat.client.send(conversation, "before").get(20, TimeUnit.SECONDS);
            await(() -> dan.seen.size() == 1, "the first message");
            dan.client.close();
            for (String text : List.of("while", "you", "were", "away")) {
                cat.client.send(conversation, text).get(20, TimeUnit.SECONDS);
            }
            Device back = new Device("j-dan", danCursors);
            back.connect();
            await(() -> back.seen.size() == 4, "the catch-up");
            assertThat(back.seen).extracting(Message::content).containsExactly("while", "you", "were", "away");

            // Forty sends with the connection dropped after the fifteenth, acks outstanding.
            List<CompletableFuture<Ack>> sending = new ArrayList<>();
            AtomicInteger n = new AtomicInteger();
            for (int i = 0; i < 40; i++) {
                sending.add(cat.client.send(conversation, "m" + n.incrementAndGet()));
                if (i == 14) {
                    cat.client.dropConnection();
                }
            }
            List<Long> seqs = new ArrayList<>();
            for (CompletableFuture<Ack> ack : sending) {
                seqs.add(ack.get(30, TimeUnit.SECONDS).serverSeq());
            }
            assertThat(cat.closes).as("the drop was noticed").isNotEmpty();
            assertThat(Set.copyOf(seqs)).as("each stored once").hasSize(40);
            await(() -> back.seen.size() >= 44, "the forty");
            Thread.sleep(1000);
            List<Message> forty = back.seen.subList(4, back.seen.size());
            assertThat(forty).as("nothing twice").hasSize(40);
            assertThat(forty.stream().map(Message::content).collect(Collectors.toSet())).as("nothing lost")
                    .hasSize(40);
            assertThat(forty).extracting(Message::serverSeq).isSorted()
                    .containsExactlyElementsOf(seqs.stream().sorted().toList());
            back.client.close();
        } finally {
            cat.client.close();
        }
    }

    private static Map<String, String> tree(Path root) throws Exception {
        Map<String, String> files = new java.util.TreeMap<>();
        try (var walk = Files.walk(root)) {
            for (Path f : walk.filter(Files::isRegularFile).toList()) {
                files.put(root.relativize(f).toString(), Files.readString(f));
            }
        }
        return files;
    }

    private static void run(Path dir, Map<String, String> env, String... command) throws Exception {
        Commands.run(dir, env, Duration.ofSeconds(300), List.of(command));
    }
}
