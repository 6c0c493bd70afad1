package im.parley.eventing.runtime;

import im.parley.eventing.runtime.dispatch.Outbound;
import im.parley.eventing.runtime.identity.SenderIdentity;
import im.parley.eventing.runtime.ingress.BrokerIngress;
import im.parley.eventing.runtime.metrics.MetricsServer;
import im.parley.eventing.runtime.metrics.RuntimeMetrics;
import im.parley.eventing.runtime.scaling.Autoscaler;
import im.parley.eventing.runtime.scaling.GroupAnchor;
import im.parley.eventing.runtime.scaling.LagReader;
import im.parley.eventing.runtime.scaling.TriggerDeployment;
import im.parley.eventing.runtime.subscriber.HttpSubscriber;
import im.parley.eventing.runtime.subscriber.InProcessFunctions;
import im.parley.eventing.runtime.subscriber.SubscriberSource;
import im.parley.eventing.runtime.trigger.EventingManifests;
import im.parley.eventing.runtime.trigger.TriggerDefinition;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Knative Kafka Broker, locally: every Trigger of the manifests is run over a real Kafka with
 * Knative's semantics, and scaled on lag as KEDA would scale it.
 */
public final class EventingRuntime implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EventingRuntime.class);

    private final EventingManifests manifests;
    private final Admin admin;
    private final Outbound outbound;
    private final RuntimeMetrics metrics = new RuntimeMetrics();
    private final InProcessFunctions functions;
    private final ScheduledExecutorService timer;
    private final ScheduledExecutorService scalers;
    private final Map<String, TriggerDeployment> deployments = new LinkedHashMap<>();
    private final List<Autoscaler> autoscalers = new ArrayList<>();
    private final List<String> unresolved = new ArrayList<>();
    private final MetricsServer metricsServer;
    private final BrokerIngress ingress;
    private final SenderIdentity identity;
    private final Vertx vertx;
    /** Keep-alive connections per subscriber host: the most requests in flight to one HTTP function. */
    static final int HTTP_CONNECTIONS_PER_SUBSCRIBER = 100;

    private EventingRuntime(RuntimeSettings settings) {
        this.manifests = EventingManifests.load(settings.manifests());
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers()));
        ensureTopics();
        this.outbound = new Outbound(settings.bootstrapServers());
        this.functions = settings.functions();
        this.timer = Executors.newScheduledThreadPool(2, daemon("eventing-timer"));
        this.scalers = Executors.newScheduledThreadPool(4, daemon("eventing-autoscaler"));
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        HttpClient http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setConnectTimeout(5000),
                new PoolOptions().setHttp1MaxSize(HTTP_CONNECTIONS_PER_SUBSCRIBER));
        // Before any function starts: a function may publish to a broker as soon as it runs.
        this.ingress = settings.ingressPort() < 0 ? null
                : new BrokerIngress(vertx, settings.metricsHost(), settings.ingressPort(), manifests.brokerTopics(), outbound);
        // The issuer of the dispatchers' tokens is served on the ingress, as a cluster serves its own discovery.
        this.identity = ingress == null ? null : new SenderIdentity(ingress.uri().toString(), Clock.systemUTC());
        if (ingress != null) {
            ingress.serveIssuer(identity);
            functions.bindBrokerIngress(ingress.uri());
        }
        LagReader lag = new LagReader(admin, settings.dispatch().autoOffsetReset());
        Set<String> missing = new TreeSet<>();
        if ("latest".equals(settings.dispatch().autoOffsetReset())) {
            anchorGroups();
        }
        for (TriggerDefinition trigger : manifests.triggers()) {
            SubscriberSource source = source(trigger, settings, http);
            var meters = metrics.trigger(trigger.name());
            TriggerDeployment deployment = new TriggerDeployment(trigger, settings.bootstrapServers(), source, outbound,
                    meters, timer, settings.dispatch());
            if (source == null) {
                // Its lag is still watched: events wait in Kafka until the function is there.
                unresolved.add(trigger.name());
                missing.add(trigger.service());
                autoscalers.add(new Autoscaler(deployment, lag, meters, scalers, null));
                continue;
            }
            deployments.put(trigger.name(), deployment);
            deployment.scaleTo(trigger.scaling().autoscaled() ? trigger.scaling().minScale() : 1);
            autoscalers.add(new Autoscaler(deployment, lag, meters, scalers, settings.hpa()));
        }
        if (!missing.isEmpty()) {
            LOG.warn("{} trigger(s) not dispatched: no subscriber here (in-process function or PARLEY_SUBSCRIBER_<SERVICE>) "
                    + "for service(s) {}; their events wait in Kafka", unresolved.size(), missing);
        }
        this.metricsServer = settings.metricsPort() < 0 ? null
                : new MetricsServer(settings.metricsHost(), settings.metricsPort(), metrics, this::ready);
    }

    public static EventingRuntime start(RuntimeSettings settings) {
        return new EventingRuntime(settings);
    }

    private SubscriberSource source(TriggerDefinition trigger, RuntimeSettings settings, HttpClient http) {
        if (trigger.subscriberUri() != null) {
            return SubscriberSource.shared(new HttpSubscriber(trigger.subscriberUri(), http, token(trigger)));
        }
        URI url = settings.subscriberUrls().get(trigger.service());
        if (url != null) {
            return SubscriberSource.shared(new HttpSubscriber(url, http, token(trigger)));
        }
        return functions.hosts(trigger.service()) ? functions.source(trigger.service(), metrics::coldStart) : null;
    }

    /** The token a Trigger's dispatcher presents, when its subscriber names an audience. */
    private Supplier<String> token(TriggerDefinition trigger) {
        if (trigger.audience() == null) {
            return null;
        }
        if (identity == null) {
            throw new IllegalStateException("trigger " + trigger.name() + " names the audience " + trigger.audience()
                    + ", but the runtime issues tokens only with its broker ingress on");
        }
        String subject = SenderIdentity.subject(trigger.namespace(), trigger.name());
        return () -> identity.token(subject, trigger.audience());
    }

    /** Every Trigger's group exists from the start, as in Knative: see {@link GroupAnchor}. */
    private void anchorGroups() {
        Map<String, List<String>> groupsByTopic = manifests.triggers().stream().collect(Collectors.groupingBy(
                TriggerDefinition::topic, Collectors.mapping(TriggerDefinition::consumerGroup, Collectors.toList())));
        groupsByTopic.forEach((topic, groups) -> {
            try {
                GroupAnchor.anchor(admin, topic, groups);
            } catch (ExecutionException | TimeoutException e) {
                LOG.warn("topic {}: consumer groups not anchored: {}", topic, e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted anchoring consumer groups", e);
            }
        });
    }

    private void ensureTopics() {
        for (Map.Entry<String, Integer> topic : manifests.topics().entrySet()) {
            try {
                admin.createTopics(List.of(new NewTopic(topic.getKey(), topic.getValue(), (short) 1))).all()
                        .get(30, TimeUnit.SECONDS);
                LOG.info("created topic {} with {} partitions", topic.getKey(), topic.getValue());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create topic " + topic.getKey() + ": " + e.getCause(), e);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted creating topics", e);
            } catch (TimeoutException e) {
                throw new IllegalStateException("Kafka did not create topic " + topic.getKey() + " within 30 s", e);
            }
        }
    }

    public EventingManifests manifests() {
        return manifests;
    }

    public TriggerDeployment deployment(String trigger) {
        TriggerDeployment deployment = deployments.get(trigger);
        if (deployment == null) {
            throw new IllegalArgumentException("no running trigger " + trigger + "; running: " + deployments.keySet());
        }
        return deployment;
    }

    public List<String> unresolved() {
        return List.copyOf(unresolved);
    }

    public RuntimeMetrics metrics() {
        return metrics;
    }

    public InProcessFunctions functions() {
        return functions;
    }

    /** The brokers' HTTP ingress, or null when the settings ask for none. */
    public URI ingressUri() {
        return ingress == null ? null : ingress.uri();
    }

    public int metricsPort() {
        return metricsServer == null ? -1 : metricsServer.port();
    }

    /** True when every running replica of every Trigger has its partitions. */
    public boolean ready() {
        return deployments.values().stream().allMatch(TriggerDeployment::ready);
    }

    public void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ready()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("triggers not assigned within " + timeout);
            }
            Thread.sleep(20);
        }
    }

    @Override
    public void close() {
        autoscalers.forEach(Autoscaler::close);
        scalers.shutdownNow();
        deployments.values().parallelStream().forEach(d -> d.scaleTo(0));
        timer.shutdownNow();
        outbound.close();
        functions.close();
        if (ingress != null) {
            ingress.close();
        }
        admin.close();
        vertx.close();
        if (metricsServer != null) {
            metricsServer.close();
        }
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    public static void main(String[] args) throws InterruptedException {
        EventingRuntime runtime = start(RuntimeSettings.fromEnvironment(System.getenv()));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            runtime.close();
            stopped.countDown();
        }, "eventing-shutdown"));
        LOG.info("eventing runtime up: {} trigger(s) dispatched, metrics on port {}", runtime.deployments.size(),
                runtime.metricsPort());
        stopped.await();
    }
}
