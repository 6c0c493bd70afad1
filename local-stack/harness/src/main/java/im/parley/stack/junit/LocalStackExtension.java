package im.parley.stack.junit;

import im.parley.stack.CassandraServer;
import im.parley.stack.KafkaServer;
import im.parley.stack.LocalServer;
import im.parley.stack.RedisServer;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/** See {@link LocalStack}. Servers live in the root store, so every test class in the JVM shares them. */
public final class LocalStackExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LocalStackExtension.class);

    private static final Map<Class<?>, Supplier<LocalServer>> SERVERS = Map.of(
            KafkaServer.class, KafkaServer::ephemeral,
            RedisServer.class, RedisServer::ephemeral,
            CassandraServer.class, CassandraServer::ephemeral);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return SERVERS.containsKey(parameter.getParameter().getType());
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(type, t -> new Running(start(SERVERS.get(t).get())), Running.class)
                .server();
    }

    private static LocalServer start(LocalServer server) {
        try {
            server.start();
            return server;
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /** Closed by JUnit when the root context ends. */
    private record Running(LocalServer server) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            server.close();
        }
    }
}
