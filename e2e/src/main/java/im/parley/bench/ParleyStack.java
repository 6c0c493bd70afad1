package im.parley.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The system as a user runs it: {@code ./parley up} in a process of its own, with its own data directory and
 * ports, and the processes it starts (the launcher JVM that holds the connection tier, the eventing runtime and the
 * functions; Kafka; Redis; Cassandra), each found by the pid it prints.
 */
final class ParleyStack implements AutoCloseable {

    private static final Pattern READY = Pattern.compile("\\[\\d+/\\d+] (.+?)\\s+ready in [\\d.]+ s \\(pid (\\d+)\\)");

    final Path dataDir;
    final int portOffset;
    private final BenchProcess up;
    /** The processes of the stack by part name (Kafka, Redis, Cassandra, and the launcher's parts). */
    final Map<String, Long> pids = new LinkedHashMap<>();

    private ParleyStack(Path dataDir, int portOffset, BenchProcess up) {
        this.dataDir = dataDir;
        this.portOffset = portOffset;
        this.up = up;
    }

    /** Runs {@code ./parley up} (already built) and waits until it says it is up. */
    static ParleyStack up(Path dataDir, int portOffset, Map<String, String> env) throws Exception {
        Map<String, String> environment = new LinkedHashMap<>(env);
        environment.put("PARLEY_SKIP_BUILD", "1");
        BenchProcess up = BenchProcess.start(List.of("./parley", "up", "--data-dir", dataDir.toString(),
                "--port-offset", Integer.toString(portOffset)), environment);
        ParleyStack stack = new ParleyStack(dataDir, portOffset, up);
        try {
            up.await("Parley is up.", 300);
        } catch (RuntimeException e) {
            up.close();
            throw e;
        }
        for (String line : up.output()) {
            Matcher m = READY.matcher(line);
            if (m.find()) {
                stack.pids.put(m.group(1).trim(), Long.parseLong(m.group(2)));
            }
        }
        return stack;
    }

    int webSocketPort() {
        return 18080 + portOffset;
    }

    String kafka() {
        return "127.0.0.1:" + (19092 + portOffset);
    }

    String redis() {
        return "redis://127.0.0.1:" + (16379 + portOffset);
    }

    int cassandraPort() {
        return 19042 + portOffset;
    }

    int runtimeMetricsPort() {
        return 18082 + portOffset;
    }

    String secret() throws IOException {
        return Files.readString(dataDir.resolve("dev-jwt-secret")).trim();
    }

    /** The processes to account CPU to: the launcher (tier, runtime and functions), Kafka, Redis, Cassandra. */
    Map<String, Long> processes() {
        Map<String, Long> processes = new LinkedHashMap<>();
        processes.put("launcher (tier, eventing, functions)", up.pid());
        pids.forEach((part, pid) -> {
            if (pid != up.pid()) {
                processes.put(part, pid);
            }
        });
        return processes;
    }

    long launcherPid() {
        return up.pid();
    }

    @Override
    public void close() {
        up.close();
        // What the stack printed (the runtime's scaling decisions among it), kept beside its data for reading after.
        try {
            Files.write(dataDir.resolve("up.log"), up.output());
        } catch (IOException e) {
            System.err.println("could not keep the stack's output: " + e);
        }
    }
}
