package im.parley.launcher;

import im.parley.stack.push.PushSandbox;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Local stand-ins for APNs and FCM, with fresh credentials each start, so offline notifications work end to end
 * on this machine: the push function sends to them exactly as it would to Apple and Google.
 */
final class PushSandboxPart implements Part {

    private final Path dir;
    private PushSandbox sandbox;

    PushSandboxPart(Path dir) {
        this.dir = dir;
    }

    @Override
    public String name() {
        return "Push sandbox";
    }

    @Override
    public void start() {
        try {
            sandbox = PushSandbox.start(dir);
        } catch (Exception e) {
            throw new IllegalStateException("the push sandbox did not start: " + e.getMessage(), e);
        }
    }

    /** The push function's settings for the stand-ins; empty before start. */
    Map<String, String> environment() {
        return sandbox == null ? Map.of() : sandbox.environment();
    }

    @Override
    public void stop() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @Override
    public long pid() {
        return ProcessHandle.current().pid();
    }

    @Override
    public List<String> endpoints() {
        return List.of("APNs sandbox        " + sandbox.apns().url() + " (HTTP/2, TLS)",
                "FCM sandbox         " + sandbox.fcm().url());
    }
}
