package im.parley.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import im.parley.cassandra.CassandraConfiguration;
import im.parley.connection.ConnectionTier;
import im.parley.connection.TierSettings;
import im.parley.eventing.Actor;
import im.parley.eventing.EventTypes;
import im.parley.eventing.Events;
import im.parley.eventing.binding.HttpBinding;
import im.parley.eventing.broker.KafkaSecurity;
import im.parley.eventing.group.GroupCreateRequested;
import im.parley.eventing.runtime.trigger.EventingManifests;
import im.parley.eventing.runtime.trigger.TriggerDefinition;
import im.parley.functions.hosting.EventSenders;
import im.parley.functions.hosting.FunctionApplication;
import im.parley.functions.hosting.FunctionDescriptor;
import im.parley.functions.hosting.FunctionHttpServer;
import im.parley.redis.RedisConfiguration;
import im.parley.stack.CassandraServer;
import im.parley.stack.KafkaServer;
import im.parley.stack.Ports;
import im.parley.stack.RedisServer;
import im.parley.stack.junit.LocalStack;
import io.cloudevents.CloudEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * The attacks docs/security.md says are refused, tried through the whole system as an attacker would: tokens and
 * frames over real sockets, events POSTed to every function's HTTP endpoint. The functions run behind their own
 * HTTP servers, as Knative Services do, so every legitimate step here also passes the dispatcher's token check.
 * Each attack is a row of the table this prints (and writes to target/attack-suite.md): attack, expected, result.
 */
@LocalStack
class AttackSuiteIT {

    static final String ISSUER = "https://auth.parley.test/";
    static final String AUDIENCE = "parley.im/chat";
    static final List<String[]> TABLE = new ArrayList<>();

    static FullStack stack;
    static ConnectionTier strict;
    static AnnotationConfigApplicationContext stores;
    static final Map<String, FunctionHttpServer> functions = new LinkedHashMap<>();
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start(KafkaServer kafka, RedisServer redis, CassandraServer cassandra) throws Exception {
        List<String> services = new ArrayList<>(new TreeSet<>(EventingManifests.load(Path.of("../manifests/overlays/local"))
                .triggers().stream().map(TriggerDefinition::service).toList()));
        Map<String, Integer> ports = new HashMap<>();
        Map<String, URI> subscribers = new HashMap<>();
        for (String service : services) {
            ports.put(service, Ports.free());
            subscribers.put(service, URI.create("http://127.0.0.1:" + ports.get(service) + "/"));
        }
        stack = FullStack.start("attacks", kafka, redis, cassandra, subscribers);
        Map<String, Object> settings = new HashMap<>(FullStack.functionEnvironment("attacks", redis, cassandra));
        settings.put("PARLEY_BROKER_INGRESS", stack.eventing.ingressUri().toString());
        stores = new AnnotationConfigApplicationContext();
        stores.getEnvironment().getPropertySources().addFirst(new MapPropertySource("functions", settings));
        stores.register(RedisConfiguration.class, CassandraConfiguration.class);
        stores.refresh();
        Map<String, FunctionDescriptor> descriptors = new HashMap<>();
        FunctionDescriptor.discover(AttackSuiteIT.class.getClassLoader()).forEach(d -> descriptors.put(d.service(), d));
        for (String service : services) {
            Map<String, Object> own = new HashMap<>(settings);
            own.putAll(FullStack.senderSettings(stack.eventing, service));
            functions.put(service, FunctionHttpServer.start(FunctionApplication.start(descriptors.get(service), own, stores),
                    "127.0.0.1", ports.get(service), 8, EventSenders.fromSettings(own)));
        }
        // A node as production sets one up for tokens: an issuer and an audience, 50 frames/s a connection and
        // 100 a user.
        strict = ConnectionTier.start(new TierSettings("attack-strict", "127.0.0.1", Ports.free(), Ports.free(),
                kafka.bootstrapServers(), "parley", redis.uri(), FullStack.SECRET, null, ISSUER, AUDIENCE, 64 * 1024,
                50, 100, 1 << 20, Duration.ofSeconds(25), Duration.ofSeconds(70), Duration.ofSeconds(15),
                Duration.ofSeconds(5), null, null, 0, 10, 100, 200, KafkaSecurity.NONE, null));
        // Functions start cold on two cores; the first round trip waits for that.
        try (Socket a = stack.open("warm-a", "phone"); Socket b = stack.open("warm-b", "phone")) {
            a.send(SocialIT.friend("request", "warm-b"));
            b.await("friend", "change", "requested", Duration.ofSeconds(120));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        StringBuilder table = new StringBuilder("| Attack | Expected | Result |\n|---|---|---|\n");
        TABLE.forEach(row -> table.append("| ").append(String.join(" | ", row)).append(" |\n"));
        System.out.println("\nAttack suite\n" + table);
        Files.writeString(Path.of("target/attack-suite.md"), table);
        if (strict != null) {
            strict.close();
        }
        if (stack != null) {
            stack.close();
        }
        functions.values().forEach(FunctionHttpServer::close);
        if (stores != null) {
            stores.close();
        }
    }

    /** Runs an attack, records what happened, and fails unless it is what the docs promise. */
    static void attack(String attack, String expected, Callable<String> attempt) throws Exception {
        String result;
        try {
            result = attempt.call();
        } catch (AssertionError | Exception e) {
            result = "error: " + e.getMessage();
        }
        TABLE.add(new String[] {attack, expected, result.equals(expected) ? "as expected" : "GOT: " + result});
        assertThat(result).as(attack).isEqualTo(expected);
    }

    static String token(JWSAlgorithm algorithm, byte[] secret, String issuer, String audience, Duration expiresIn,
                        String user) throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader(algorithm), claims(issuer, audience, expiresIn, user));
        jwt.sign(new MACSigner(secret));
        return jwt.serialize();
    }

    static JWTClaimsSet claims(String issuer, String audience, Duration expiresIn, String user) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().subject(user).issuer(issuer).audience(audience).issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(expiresIn))).build();
    }

    static byte[] secret() {
        return FullStack.SECRET.getBytes(StandardCharsets.UTF_8);
    }

    /** The close code the strict node answers a token with, or "welcome". */
    static String tryToken(String token) throws Exception {
        try (Socket socket = Socket.connect(strict.port(), token, "phone")) {
            try {
                socket.await("welcome", "userId", "mallory", Duration.ofSeconds(3));
                return "welcome";
            } catch (AssertionError refused) {
                return "close " + socket.awaitClose(Duration.ofSeconds(10));
            }
        }
    }

    static String frame(String type, String data) {
        return SocialIT.frame(type, data);
    }

    /** The code of the next error frame, with the field it names. */
    static String error(Socket socket) throws InterruptedException {
        return socket.await("error").path("d").path("code").asText();
    }

    @Test
    void tokens() throws Exception {
        String valid = token(JWSAlgorithm.HS256, secret(), ISSUER, AUDIENCE, Duration.ofMinutes(5), "mallory");
        assertThat(tryToken(valid)).as("the control: a good token is welcomed").isEqualTo("welcome");
        attack("Token signed with another key", "close 4401", () -> tryToken(token(JWSAlgorithm.HS256,
                "another-secret-of-at-least-32-bytes!!".getBytes(StandardCharsets.UTF_8), ISSUER, AUDIENCE,
                Duration.ofMinutes(5), "mallory")));
        attack("Expired token (past the 30 s skew)", "close 4401", () -> tryToken(token(JWSAlgorithm.HS256, secret(),
                ISSUER, AUDIENCE, Duration.ofMinutes(-2), "mallory")));
        attack("Unsigned token (alg none)", "close 4401", () -> tryToken(new PlainJWT(claims(ISSUER, AUDIENCE,
                Duration.ofMinutes(5), "mallory")).serialize()));
        attack("Token for another audience", "close 4401", () -> tryToken(token(JWSAlgorithm.HS256, secret(), ISSUER,
                "parley.im/other-app", Duration.ofMinutes(5), "mallory")));
        attack("Token from another issuer", "close 4401", () -> tryToken(token(JWSAlgorithm.HS256, secret(),
                "https://evil.example/", AUDIENCE, Duration.ofMinutes(5), "mallory")));
        attack("No token", "close 4401", () -> tryToken(""));
    }

    @Test
    void frames() throws Exception {
        try (Socket eve = stack.open("eve", "phone")) {
            attack("Spoofed sender in a message", "invalid", () -> {
                eve.send(frame("send", "{\"conversationId\":\"d:eve:zed\",\"clientMsgId\":\"s1\",\"contentType\":\"text\","
                        + "\"content\":\"hi\",\"senderId\":\"zed\"}"));
                return error(eve);
            });
            attack("Oversized field (65-character clientMsgId)", "invalid", () -> {
                eve.send(FullStack.send("d:eve:zed", "c".repeat(65), "hi"));
                return error(eve);
            });
            attack("Unsorted 1:1 id (d:zed:eve)", "invalid", () -> {
                eve.send(FullStack.send("d:zed:eve", "u1", "hi"));
                return error(eve);
            });
        }
        try (Socket eve = stack.open("eve", "tablet")) {
            attack("Oversized frame (70 KiB)", "close 1009", () -> {
                eve.send(FullStack.send("d:eve:zed", "big", "x".repeat(70 * 1024)));
                return "close " + eve.awaitClose(Duration.ofSeconds(10));
            });
        }
    }

    @Test
    void foreignConversations() throws Exception {
        try (Socket bob = stack.open("bob", "phone"); Socket cat = stack.open("cat", "phone");
             Socket eve = stack.open("eve", "laptop")) {
            SocialIT.befriend(bob, "bob", cat, "cat");
            bob.send(frame("group.create", "{\"groupId\":\"private\",\"name\":\"Private\",\"members\":[\"cat\"]}"));
            cat.await("group", "groupId", "private");
            bob.send(FullStack.send("d:bob:cat", "b1", "between us"));
            bob.await("ack", "clientMsgId", "b1");
            bob.send(FullStack.send("g:private", "b2", "members only"));
            bob.await("ack", "clientMsgId", "b2");

            attack("Posting to another pair's 1:1 chat", "not-member", () -> {
                eve.send(FullStack.send("d:bob:cat", "e1", "let me in"));
                return error(eve);
            });
            attack("Posting to a group one is not in", "not-member", () -> {
                eve.send(FullStack.send("g:private", "e2", "let me in"));
                return error(eve);
            });
            attack("Reading another pair's history", "0 messages", () -> {
                eve.send(frame("sync", "{\"requestId\":\"h1\",\"kind\":\"history\",\"conversationId\":\"d:bob:cat\",\"afterSeq\":0}"));
                return eve.await("sync", "requestId", "h1").path("d").path("messages").size() + " messages";
            });
            attack("Reading a foreign group's member list", "0 members", () -> {
                eve.send(frame("sync", "{\"requestId\":\"m1\",\"kind\":\"members\",\"conversationId\":\"g:private\"}"));
                return eve.await("sync", "requestId", "m1").path("d").path("members").size() + " members";
            });
            attack("Reading who read a foreign message", "0 readers", () -> {
                eve.send(frame("sync", "{\"requestId\":\"r1\",\"kind\":\"readers\",\"conversationId\":\"d:bob:cat\",\"seq\":1}"));
                return eve.await("sync", "requestId", "r1").path("d").path("readers").size() + " readers";
            });
            attack("Catch-up naming a foreign conversation's cursor", "0 messages", () -> {
                eve.send(frame("sync", "{\"requestId\":\"c1\",\"kind\":\"catch-up\",\"cursors\":{\"g:private\":0}}"));
                return eve.await("sync", "requestId", "c1").path("d").path("messages").size() + " messages";
            });
        }
    }

    @Test
    void blocks() throws Exception {
        try (Socket ann = stack.open("ann", "phone"); Socket ben = stack.open("ben", "phone");
             Socket kim = stack.open("kim", "phone")) {
            kim.send(SocialIT.friend("block", "ann"));
            kim.await("friend", "change", "blocked");
            attack("Adding a user who blocked you to a group", "NOT_ALLOWED", () -> {
                ann.send(frame("group.create", "{\"groupId\":\"trap\",\"name\":\"Trap\",\"members\":[\"kim\"]}"));
                JsonNode refusal = ann.await("error", "groupId", "trap");
                return refusal.path("d").path("code").asText();
            });
            // ben's group has both (his friends); kim never gets ann's group messages, ben does.
            SocialIT.befriend(ben, "ben", ann, "ann");
            SocialIT.befriend(ben, "ben", kim, "kim");
            ben.send(frame("group.create", "{\"groupId\":\"mixed\",\"name\":\"Mixed\",\"members\":[\"ann\",\"kim\"]}"));
            ann.await("group", "groupId", "mixed");
            kim.await("group", "groupId", "mixed");
            attack("A group message reaching a member who blocked its sender", "ben got it, kim did not", () -> {
                ann.send(FullStack.send("g:mixed", "a1", "hello all"));
                ben.await("msg", "clientMsgId", "a1");
                boolean kimGotIt = kim.drain(Duration.ofSeconds(3), "msg").stream()
                        .anyMatch(m -> m.path("d").path("clientMsgId").asText().equals("a1"));
                return kimGotIt ? "kim got it" : "ben got it, kim did not";
            });
            attack("Watching the presence of a user who blocked you", "no presence of kim", () -> {
                ann.send(frame("presence.watch", "{\"add\":[\"kim\"]}"));
                kim.send(frame("presence.set", "{\"state\":\"away\"}"));
                boolean seen = ann.drain(Duration.ofSeconds(4), "presence").stream()
                        .anyMatch(p -> p.path("d").path("userId").asText().equals("kim"));
                return seen ? "saw kim" : "no presence of kim";
            });
        }
    }

    @Test
    void floodingFromManyDevicesOfOneUser() throws Exception {
        String token = token(JWSAlgorithm.HS256, secret(), ISSUER, AUDIENCE, Duration.ofMinutes(5), "flood");
        List<Socket> devices = new ArrayList<>();
        try {
            for (String device : List.of("d1", "d2", "d3", "d4")) {
                Socket socket = Socket.connect(strict.port(), token, device);
                socket.await("welcome");
                devices.add(socket);
            }
            // 100 each: what each connection's own bucket would take whole, so every refusal is the user's, and
            // none of the four is refused often enough in a row to be closed.
            attack("Flooding from four devices of one user (400 frames at once)",
                    "under 300 taken, the rest refused as the user's", () -> {
                        for (int i = 0; i < 100; i++) {
                            for (Socket device : devices) {
                                device.send("{\"v\":1,\"t\":\"ping\"}");
                            }
                        }
                        int pongs = 0;
                        int refusedAsUser = 0;
                        for (Socket device : devices) {
                            for (JsonNode frame : device.drain(Duration.ofSeconds(2), "pong", "error")) {
                                if (frame.path("t").asText().equals("pong")) {
                                    pongs++;
                                } else if (frame.path("d").path("reason").asText().contains("from your devices together")) {
                                    refusedAsUser++;
                                }
                            }
                        }
                        // Four connections alone would take 4 x 100 at once; the user's bucket holds 200 and refills
                        // 100/s, and the frames are taken within a second.
                        boolean capped = pongs < 300 && refusedAsUser > 0;
                        return capped ? "under 300 taken, the rest refused as the user's"
                                : pongs + " taken, " + refusedAsUser + " refused as the user's";
                    });
        } finally {
            devices.forEach(Socket::close);
        }
    }

    @Test
    void forgedEventsPostedToEachFunction() throws Exception {
        RSAKey attacker = new RSAKeyGenerator(2048).keyID("attacker").generate();
        // A group take-over, as the victim: what a forged event to any function would try.
        CloudEvent forged = Events.create(EventTypes.GROUP_CREATE_REQUESTED, new GroupCreateRequested("stolen", "Stolen",
                List.of("mallory"), false), new Actor("victim", "phone", "attack-node"), URI.create("/parley/nodes/x"));
        for (Map.Entry<String, FunctionHttpServer> function : functions.entrySet()) {
            String audience = "parley.im/functions/" + function.getKey();
            SignedJWT selfSigned = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("attacker").build(),
                    new JWTClaimsSet.Builder().issuer(stack.eventing.ingressUri().toString()).audience(audience)
                            .subject("system:serviceaccount:parley:x-oidc-eventing.knative.dev-trigger")
                            .issueTime(new Date()).expirationTime(Date.from(Instant.now().plusSeconds(300))).build());
            selfSigned.sign(new RSASSASigner(attacker));
            attack("Unauthenticated POST to " + function.getKey(), "401",
                    () -> String.valueOf(post(function.getValue(), forged, null)));
            attack("POST to " + function.getKey() + " with a self-signed dispatcher token", "401",
                    () -> String.valueOf(post(function.getValue(), forged, "Bearer " + selfSigned.serialize())));
        }
    }

    static int post(FunctionHttpServer function, CloudEvent event, String authorization) throws Exception {
        HttpBinding.HttpMessage message = HttpBinding.binary(event);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + function.port() + "/"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(message.body()));
        message.headers().forEach(request::header);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
