package im.parley.launcher;

import im.parley.cassandra.CassandraConfiguration;
import im.parley.eventing.runtime.subscriber.InProcessFunctions;
import im.parley.eventing.runtime.subscriber.Subscriber;
import im.parley.eventing.runtime.subscriber.SubscriberSource;
import im.parley.functions.hosting.FunctionApplication;
import im.parley.functions.hosting.FunctionDescriptor;
import im.parley.redis.RedisConfiguration;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.LazyInitializationBeanFactoryPostProcessor;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * The function modules on this class path, hosted in this process behind the eventing runtime's port. Each runs
 * while at least one replica of any of its Triggers runs and is stopped when the last one stops; starting one is a
 * cold start. They share one Redis client (one Vert.x) and one Cassandra session, held by a parent context that
 * starts with the first function.
 */
public final class HostedFunctions implements InProcessFunctions {

    private static final Logger LOG = LoggerFactory.getLogger(HostedFunctions.class);
    static final String BROKER_INGRESS = "PARLEY_BROKER_INGRESS";

    private final Map<String, FunctionDescriptor> descriptors;
    private Map<String, Object> properties;
    private final Map<String, Instance> running = new HashMap<>();
    private AnnotationConfigApplicationContext shared;

    public HostedFunctions(List<FunctionDescriptor> functions, Map<String, ?> properties) {
        this.descriptors = functions.stream().collect(Collectors.toMap(FunctionDescriptor::service, Function.identity()));
        this.properties = Map.copyOf(properties);
    }

    /** Every function module on the class path. */
    public static HostedFunctions discover(Map<String, ?> properties) {
        return new HostedFunctions(FunctionDescriptor.discover(HostedFunctions.class.getClassLoader()), properties);
    }

    @Override
    public boolean hosts(String service) {
        return descriptors.containsKey(service);
    }

    @Override
    public SubscriberSource source(String service, BiConsumer<String, Duration> coldStarts) {
        if (!hosts(service)) {
            throw new IllegalArgumentException("no in-process function for service " + service);
        }
        return new SubscriberSource() {
            @Override
            public Subscriber acquire() {
                return HostedFunctions.this.acquire(service, coldStarts);
            }

            @Override
            public void release() {
                HostedFunctions.this.release(service);
            }
        };
    }

    /** Sets {@code PARLEY_BROKER_INGRESS} for the functions, unless their settings name one already. */
    @Override
    public synchronized void bindBrokerIngress(URI ingress) {
        Map<String, Object> bound = new HashMap<>(properties);
        bound.putIfAbsent(BROKER_INGRESS, ingress.toString());
        properties = Map.copyOf(bound);
    }

    @Override
    public synchronized boolean isRunning(String service) {
        return running.containsKey(service);
    }

    private synchronized Subscriber acquire(String service, BiConsumer<String, Duration> coldStarts) {
        Instance instance = running.get(service);
        if (instance == null) {
            FunctionApplication function = FunctionApplication.start(descriptors.get(service), properties, shared());
            coldStarts.accept(service, function.startup());
            LOG.info("function {} started in {} ms", service, function.startup().toMillis());
            ExecutorService executor = executor(service);
            instance = new Instance(function, executor, new FunctionSubscriber(function, executor));
            running.put(service, instance);
        }
        instance.users++;
        return instance.subscriber;
    }

    private synchronized void release(String service) {
        Instance instance = running.get(service);
        if (instance != null && --instance.users == 0) {
            running.remove(service);
            instance.close();
            LOG.info("function {} stopped: no replica left", service);
        }
    }

    /** The store clients every hosted function shares; made with the first function, closed with the last host. */
    private AnnotationConfigApplicationContext shared() {
        if (shared == null) {
            AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
            context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("functions", properties));
            context.register(RedisConfiguration.class, CassandraConfiguration.class);
            // A client is made when the first function that uses it starts, so a function with no store starts
            // without one (the dispatch benchmark's no-op runs with Kafka alone).
            context.addBeanFactoryPostProcessor(new LazyInitializationBeanFactoryPostProcessor());
            context.refresh();
            shared = context;
        }
        return shared;
    }

    private static ExecutorService executor(String service) {
        AtomicInteger threads = new AtomicInteger();
        return Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "function-" + service + "-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public synchronized void close() {
        running.values().forEach(Instance::close);
        running.clear();
        if (shared != null) {
            shared.close();
            shared = null;
        }
    }

    private static final class Instance {
        final FunctionApplication function;
        final ExecutorService executor;
        final Subscriber subscriber;
        int users;

        Instance(FunctionApplication function, ExecutorService executor, Subscriber subscriber) {
            this.function = function;
            this.executor = executor;
            this.subscriber = subscriber;
        }

        void close() {
            executor.shutdown();
            function.close();
        }
    }
}
