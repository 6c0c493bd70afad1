package im.parley.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Debian's redis-server, run on a free port. Persistent mode keeps an append-only file in the data dir. A secured
 * one also listens with TLS (a self-signed certificate) for ACL users, as production Redis does; its plaintext
 * port stays open to the test itself.
 */
public final class RedisServer extends ProcessServer {

    static final String INSTALL_HINT = "redis-server is not installed. Run ./parley setup, or as root: "
            + "apt-get update && apt-get install -y redis-server";

    private final int port;
    private final boolean persistent;
    /** The TLS port, or 0 for none. */
    private final int tlsPort;
    private final List<String> users;
    private Certificates certificates;

    public RedisServer(DataDir dir, int port, boolean persistent) {
        this(dir, port, persistent, 0, List.of());
    }

    private RedisServer(DataDir dir, int port, boolean persistent, int tlsPort, List<String> users) {
        super(dir, "redis.log", Duration.ofSeconds(10));
        this.port = port;
        this.persistent = persistent;
        this.tlsPort = tlsPort;
        this.users = users;
    }

    public static RedisServer ephemeral() {
        return new RedisServer(DataDir.temporary("redis"), Ports.free(), false);
    }

    /** @param users ACL rules, one per user, such as {@code "app on >secret ~app:* +@all"} */
    public static RedisServer secured(String... users) {
        return new RedisServer(DataDir.temporary("redis"), Ports.free(), false, Ports.free(), List.of(users));
    }

    /** The TLS listener of a secured server, as a user. */
    public String tlsUri(String user, String password) {
        if (tlsPort == 0) {
            throw new IllegalStateException("not a secured Redis");
        }
        return "rediss://" + user + ":" + password + "@127.0.0.1:" + tlsPort;
    }

    /** The TLS listener's certificate, which clients trust as their CA. */
    public Certificates certificates() {
        return certificates;
    }

    @Override
    public String name() {
        return "Redis";
    }

    public int port() {
        return port;
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** The redis-server binary, or a clear error saying how to install it. */
    static Path binary() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path candidate = Path.of(dir, "redis-server");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        for (String fixed : new String[] {"/usr/bin/redis-server", "/usr/local/bin/redis-server", "/usr/sbin/redis-server"}) {
            if (Files.isExecutable(Path.of(fixed))) {
                return Path.of(fixed);
            }
        }
        throw new ServerStartException("Redis", INSTALL_HINT, "");
    }

    @Override
    public void start() {
        Ports.requireFree(name(), port);
        List<String> command = new ArrayList<>(List.of(binary().toString(),
                "--port", String.valueOf(port), "--bind", "127.0.0.1", "--protected-mode", "no",
                "--dir", dataDir().toString(), "--daemonize", "no", "--logfile", "", "--save", ""));
        if (tlsPort != 0) {
            Ports.requireFree(name(), tlsPort);
            certificates = Certificates.selfSigned(dataDir().resolve("tls"));
            command.addAll(List.of("--tls-port", String.valueOf(tlsPort), "--tls-cert-file", certificates.certPem().toString(),
                    "--tls-key-file", certificates.keyPem().toString(), "--tls-ca-cert-file", certificates.certPem().toString(),
                    "--tls-auth-clients", "no"));
            // Each word its own argument: redis-server quotes an argument with spaces into a single word.
            users.forEach(user -> {
                command.add("--user");
                command.addAll(List.of(user.split(" ")));
            });
        }
        if (persistent) {
            command.addAll(List.of("--appendonly", "yes", "--appendfsync", "everysec"));
        } else {
            command.addAll(List.of("--appendonly", "no"));
        }
        // A secured server may turn its default user off: then NOAUTH is the answer of a Redis that is up.
        process.start(command, Map.of(), dataDir(), () -> {
            String reply = command("PING");
            return "+PONG".equals(reply) || reply.startsWith("-NOAUTH");
        }, Duration.ofSeconds(20));
    }

    /** Sends one inline command and returns the first reply line, e.g. +PONG or +OK. */
    public String command(String inline) {
        return command(port, inline);
    }

    /** The same, for any Redis on this machine. */
    public static String command(int port, String inline) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write((inline + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) != -1 && c != '\n') {
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            return line.toString();
        } catch (IOException e) {
            throw new IllegalStateException("Redis at " + port + " did not answer " + inline + ": " + e.getMessage(), e);
        }
    }

    /** Loses every key, as a failover to an empty replica would. */
    public void flushAll() {
        String reply = command("FLUSHALL");
        if (!"+OK".equals(reply)) {
            throw new IllegalStateException("FLUSHALL answered " + reply);
        }
    }

    @Override
    public String toString() {
        return "Redis at " + uri();
    }
}
