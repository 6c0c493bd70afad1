package im.parley.connection;

import im.parley.eventing.broker.KafkaSecurity;
import im.parley.eventing.knative.KnativeNames;
import im.parley.stack.KafkaServer;
import im.parley.stack.RedisServer;
import java.time.Duration;
import java.util.List;

/** Tier settings for tests: short heartbeats, small limits, a free port unless one is given. */
final class TestSettings {

    static final String SECRET = "test-secret-that-is-at-least-32-bytes-long";
    static final String NAMESPACE = "parley";
    /** The brokers' topics, as Knative names them: each event goes to its type's. */
    static final List<String> TOPICS = List.of(KnativeNames.brokerTopic(NAMESPACE, "messages"),
            KnativeNames.brokerTopic(NAMESPACE, "default"));

    private final KafkaServer kafka;
    private final RedisServer redis;
    /** The audience production tokens name in tests. */
    static final String AUDIENCE = "parley.im/test";
    private final String node;
    private int port;
    private double rate = 50;
    private int burst = 100;
    private double userRate = 100;
    private int userBurst = 200;
    private int outbound = 1 << 20;
    private String secret = SECRET;
    private String jwksUrl;
    private String tlsCert;
    private String tlsKey;
    private int maxDevices = 10;
    private String redisUri;
    private String redisCa;

    private TestSettings(KafkaServer kafka, RedisServer redis, String node) {
        this.kafka = kafka;
        this.redis = redis;
        this.node = node;
    }

    static TestSettings node(String node, KafkaServer kafka, RedisServer redis) {
        TOPICS.forEach(topic -> kafka.createTopic(topic, 6));
        return new TestSettings(kafka, redis, node);
    }

    TestSettings port(int port) {
        this.port = port;
        return this;
    }

    TestSettings rate(double perSecond, int burst) {
        this.rate = perSecond;
        this.burst = burst;
        this.userRate = Math.max(userRate, perSecond);
        this.userBurst = Math.max(userBurst, burst);
        return this;
    }

    TestSettings userRate(double perSecond, int burst) {
        this.userRate = perSecond;
        this.userBurst = burst;
        return this;
    }

    TestSettings outbound(int bytes) {
        this.outbound = bytes;
        return this;
    }

    TestSettings jwks(String url) {
        this.secret = null;
        this.jwksUrl = url;
        return this;
    }

    /** Redis as production reaches it: an ACL user over TLS. */
    TestSettings redis(String uri, String ca) {
        this.redisUri = uri;
        this.redisCa = ca;
        return this;
    }

    TestSettings maxDevices(int max) {
        this.maxDevices = max;
        return this;
    }

    TestSettings tls(String cert, String key) {
        this.tlsCert = cert;
        this.tlsKey = key;
        return this;
    }

    TierSettings build() {
        return new TierSettings(node, "127.0.0.1", port, 0, kafka.bootstrapServers(), NAMESPACE, redisUri != null ? redisUri : redis.uri(), secret,
                jwksUrl, null, jwksUrl == null ? null : AUDIENCE, 8 * 1024, rate, burst, outbound, Duration.ofSeconds(1), Duration.ofSeconds(3),
                Duration.ofSeconds(30), Duration.ofSeconds(5), tlsCert, tlsKey, 0, maxDevices, userRate, userBurst, KafkaSecurity.NONE, redisCa);
    }

    ConnectionTier start() throws Exception {
        return ConnectionTier.start(build());
    }
}
