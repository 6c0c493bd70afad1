package im.parley.connection;

import im.parley.connection.admin.AdminServer;
import im.parley.connection.auth.TokenVerifier;
import im.parley.connection.delivery.DeliveryStream;
import im.parley.connection.delivery.DeliveryWriter;
import im.parley.connection.heartbeat.Heartbeats;
import im.parley.connection.ingress.Publisher;
import im.parley.connection.limits.UserRates;
import im.parley.connection.presence.PresenceRegistry;
import im.parley.connection.presence.RedisPresenceRegistry;
import im.parley.connection.server.Node;
import im.parley.connection.server.WebSocketServer;
import im.parley.connection.session.SessionRegistry;
import im.parley.eventing.Events;
import im.parley.eventing.broker.KafkaBrokerSink;
import im.parley.eventing.tracing.Tracing;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import java.io.File;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One connection-tier node: the WebSocket server, its delivery stream, presence and the admin endpoints. */
public final class ConnectionTier implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionTier.class);
    /** Events waiting for the producer thread; past this a frame is answered "unavailable" at once. */
    static final int INGRESS_QUEUE = 100_000;
    /** A frame the broker has not taken within this gets "unavailable", and the client resends. */
    static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(1);

    private final TierSettings settings;
    private final Node node;
    private final Vertx vertx;
    private final WebSocketServer server;
    private final DeliveryStream deliveries;
    private final AdminServer admin;
    private final AtomicBoolean draining = new AtomicBoolean();
    private final int port;
    private final long refreshTimer;

    private ConnectionTier(TierSettings settings) throws Exception {
        this.settings = settings;
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(2)
                .setInternalBlockingPoolSize(2));
        RedisOptions redisOptions = new RedisOptions().setConnectionString(settings.redisUri())
                .setMaxPoolSize(8).setMaxPoolWaiting(100_000);
        if (settings.redisCaCert() != null) {
            redisOptions.setNetClientOptions(new NetClientOptions().setHostnameVerificationAlgorithm("HTTPS")
                    .setPemTrustOptions(new PemTrustOptions().addCertPath(settings.redisCaCert())));
        }
        Redis redis = Redis.createClient(vertx, redisOptions);
        SessionRegistry sessions = new SessionRegistry();
        TierMetrics metrics = new TierMetrics(sessions::size);
        KafkaBrokerSink sink = new KafkaBrokerSink(settings.kafkaBootstrap(), settings.kafkaSecurity(), settings.brokerNamespace(),
                settings.nodeId(), DELIVERY_TIMEOUT);
        metrics.bindProducer(sink.producer());
        Publisher publisher = new Publisher(sink, INGRESS_QUEUE);
        PresenceRegistry presence = new RedisPresenceRegistry(redis, settings.nodeId(), settings.presenceTtl());
        TokenVerifier verifier = settings.jwtSecret() != null
                ? TokenVerifier.hs256(settings.jwtSecret(), settings.jwtIssuer(), settings.jwtAudience())
                : TokenVerifier.rs256(settings.jwksUrl(), settings.jwtIssuer(), settings.jwtAudience());
        this.node = new Node(settings.nodeId(), Events.nodeSource(settings.nodeId()), settings, verifier, sessions,
                publisher, presence, metrics, new Heartbeats(settings.pingInterval()),
                new UserRates(settings.userRatePerSecond(), settings.userRateBurst()), new AtomicInteger());

        DeliveryWriter writer = new DeliveryWriter(sessions, metrics);
        this.deliveries = new DeliveryStream(vertx, redis, settings.nodeId(), writer::deliver, writer::lost);
        deliveries.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        long refreshEvery = Math.max(1000, settings.presenceTtl().toMillis() / 3);
        this.refreshTimer = vertx.setPeriodic(refreshEvery, t -> {
            node.userRates().sweep(System.nanoTime());
            presence.refresh(sessions.devices().toList()).whenComplete((ok, failure) -> {
                if (failure != null) {
                    // The next round retries; entries lapse only if refreshes keep failing for a whole TTL.
                    LOG.warn("presence refresh failed: {}", failure.toString());
                }
            });
        });

        this.server = new WebSocketServer(node);
        this.port = server.start(ssl(settings));
        this.admin = new AdminServer(settings.host(), settings.adminPort(), () -> notReady(sink, redis), metrics::scrape);
    }

    /**
     * Why this node should take no new connections: it is draining, Kafka fails every event it sends, or Redis
     * (presence, delivery streams) does not answer a PING within 2 s. Open sockets stay either way.
     */
    private String notReady(KafkaBrokerSink sink, Redis redis) {
        if (draining.get()) {
            return "draining";
        }
        if (!sink.taking()) {
            return "kafka takes no events";
        }
        try {
            redis.send(Request.cmd(Command.PING)).toCompletionStage().toCompletableFuture().get(2, TimeUnit.SECONDS);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (Exception e) {
            return "redis does not answer (" + e + ")";
        }
    }

    public static ConnectionTier start(TierSettings settings) throws Exception {
        return new ConnectionTier(settings);
    }

    private static SslContext ssl(TierSettings settings) throws SSLException {
        if (settings.tlsCert() == null) {
            return null;
        }
        return SslContextBuilder.forServer(new File(settings.tlsCert()), new File(settings.tlsKey())).build();
    }

    public int port() {
        return port;
    }

    public int adminPort() {
        return admin.port();
    }

    public String nodeId() {
        return settings.nodeId();
    }

    public int connections() {
        return node.sessions().size();
    }

    /**
     * Graceful drain: stop accepting, ask every client to reconnect elsewhere, wait for the sockets to close
     * (each close deregisters presence and emits connection.closed), then let those writes land.
     */
    public void drain() throws InterruptedException {
        if (!draining.compareAndSet(false, true)) {
            return;
        }
        server.stopAccepting();
        server.dismissAll();
        long deadline = System.nanoTime() + settings.drainGrace().toNanos();
        while (node.sessions().size() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        if (!node.awaitQuiet(5, TimeUnit.SECONDS)) {
            LOG.warn("drain ended with {} presence or broker writes still pending", node.inFlight().get());
        }
    }

    @Override
    public void close() {
        try {
            drain();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        vertx.cancelTimer(refreshTimer);
        admin.close();
        server.shutdown();
        deliveries.close();
        node.publisher().close();
        node.presence().close();
        node.metrics().close();
        vertx.close().toCompletionStage().toCompletableFuture().orTimeout(5, TimeUnit.SECONDS).join();
    }

    public static void main(String[] args) throws Exception {
        Tracing.install("parley-connection-tier");
        TierSettings settings = TierSettings.fromEnv(System.getenv());
        ConnectionTier tier = start(settings);
        Runtime.getRuntime().addShutdownHook(new Thread(tier::close, "parley-drain"));
        System.out.printf("connection tier %s listening on ws://%s:%d/ws (admin on %d)%n",
                tier.nodeId(), settings.host(), tier.port(), tier.adminPort());
        Thread.currentThread().join();
    }
}
