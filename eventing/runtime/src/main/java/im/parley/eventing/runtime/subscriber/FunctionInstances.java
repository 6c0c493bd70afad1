package im.parley.eventing.runtime.subscriber;

import im.parley.eventing.runtime.metrics.RuntimeMetrics;
import im.parley.functions.hosting.FunctionApplication;
import im.parley.functions.hosting.FunctionDescriptor;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-process functions: each runs while at least one replica of any of its Triggers runs, and is
 * stopped when the last one stops. Starting one is a cold start, and is measured.
 */
public final class FunctionInstances implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FunctionInstances.class);

    private final Map<String, FunctionDescriptor> descriptors;
    private final Map<String, Object> properties;
    private final RuntimeMetrics metrics;
    private final Map<String, Instance> running = new ConcurrentHashMap<>();

    public FunctionInstances(Map<String, FunctionDescriptor> descriptors, Map<String, Object> properties, RuntimeMetrics metrics) {
        this.descriptors = Map.copyOf(descriptors);
        this.properties = Map.copyOf(properties);
        this.metrics = metrics;
    }

    public boolean hosts(String service) {
        return descriptors.containsKey(service);
    }

    public SubscriberSource source(String service) {
        if (!hosts(service)) {
            throw new IllegalArgumentException("no in-process function for service " + service);
        }
        return new SubscriberSource() {
            @Override
            public Subscriber acquire() {
                return FunctionInstances.this.acquire(service);
            }

            @Override
            public void release() {
                FunctionInstances.this.release(service);
            }
        };
    }

    public boolean isRunning(String service) {
        return running.containsKey(service);
    }

    private synchronized Subscriber acquire(String service) {
        Instance instance = running.get(service);
        if (instance == null) {
            FunctionApplication function = FunctionApplication.start(descriptors.get(service), properties);
            metrics.coldStart(service, function.startup());
            LOG.info("function {} started in {} ms", service, function.startup().toMillis());
            AtomicInteger threads = new AtomicInteger();
            ExecutorService executor = Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "function-" + service + "-" + threads.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            instance = new Instance(function, executor, new InProcessSubscriber(function, executor));
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

    @Override
    public synchronized void close() {
        running.values().forEach(Instance::close);
        running.clear();
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
