package im.parley.stack.push;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Both provider stand-ins with fresh credentials, and the settings that point the push function at them
 * ({@link #environment()}), so tests and {@code ./parley up} run the real push code against real HTTP servers.
 */
public final class PushSandbox implements AutoCloseable {

    /** The app's bundle id, which APNs calls the topic. */
    public static final String TOPIC = "im.parley.sandbox";

    private final Vertx vertx;
    private final FakeApns apns;
    private final FakeFcm fcm;
    private final SandboxCredentials credentials;
    private final SelfSignedTls tls;

    private PushSandbox(Vertx vertx, FakeApns apns, FakeFcm fcm, SandboxCredentials credentials, SelfSignedTls tls) {
        this.vertx = vertx;
        this.apns = apns;
        this.fcm = fcm;
        this.credentials = credentials;
        this.tls = tls;
    }

    public static PushSandbox start(Path dir) throws Exception {
        Files.createDirectories(dir);
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        try {
            FakeFcm fcm = FakeFcm.start(vertx);
            SandboxCredentials credentials = SandboxCredentials.create(dir, fcm.tokenUri().toString());
            fcm.trust(credentials);
            SelfSignedTls tls = SelfSignedTls.create(dir);
            FakeApns apns = FakeApns.start(vertx, tls, credentials);
            return new PushSandbox(vertx, apns, fcm, credentials, tls);
        } catch (Exception e) {
            vertx.close();
            throw e;
        }
    }

    public FakeApns apns() {
        return apns;
    }

    public FakeFcm fcm() {
        return fcm;
    }

    public SandboxCredentials credentials() {
        return credentials;
    }

    /** The push function's settings for these stand-ins. */
    public Map<String, String> environment() {
        return Map.of(
                "PARLEY_APNS_URL", apns.url().toString(),
                "PARLEY_APNS_CA", tls.certificatePem().toString(),
                "PARLEY_APNS_TEAM_ID", credentials.teamId(),
                "PARLEY_APNS_KEY_ID", credentials.keyId(),
                "PARLEY_APNS_KEY", credentials.apnsKey().toString(),
                "PARLEY_APNS_TOPIC", TOPIC,
                "PARLEY_FCM_URL", fcm.url().toString(),
                "PARLEY_FCM_CREDENTIALS", credentials.serviceAccount().toString());
    }

    @Override
    public void close() {
        apns.close();
        fcm.close();
        vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
    }
}
