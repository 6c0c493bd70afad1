package im.parley.launcher;

import im.parley.connection.ConnectionTier;
import im.parley.connection.TierSettings;
import im.parley.eventing.broker.KafkaSecurity;
import java.time.Duration;
import java.util.List;

/** The connection tier, hosted in the launcher's JVM with a development HS256 secret. */
final class ConnectionTierPart implements Part {

    private final TierSettings settings;
    private ConnectionTier tier;

    ConnectionTierPart(LauncherOptions options, String kafka, String redis, String secret) {
        this.settings = new TierSettings("local-node-1", "127.0.0.1", options.port(18080), options.port(18081), kafka,
                LocalLauncher.NAMESPACE, redis, secret, null, null, null, 64 * 1024, 50, 100, 1 << 20,
                Duration.ofSeconds(25), Duration.ofSeconds(70), Duration.ofSeconds(90), Duration.ofSeconds(5), null, null, 0, 10,
                100, 200, KafkaSecurity.NONE, null);
    }

    @Override
    public String name() {
        return "Connection tier";
    }

    @Override
    public void start() {
        try {
            tier = ConnectionTier.start(settings);
        } catch (Exception e) {
            throw new IllegalStateException("the connection tier did not start: " + e.getMessage(), e);
        }
    }

    @Override
    public void stop() {
        if (tier != null) {
            tier.close();
        }
    }

    @Override
    public long pid() {
        return ProcessHandle.current().pid();
    }

    @Override
    public List<String> endpoints() {
        return List.of(
                "WebSocket           ws://127.0.0.1:" + settings.port() + "/ws?token=<token>&device=<device>",
                "Development token   ./parley token <user>",
                "Health and metrics  http://127.0.0.1:" + settings.adminPort() + "/health/ready, /metrics");
    }
}
