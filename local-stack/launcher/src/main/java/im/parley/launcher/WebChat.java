package im.parley.launcher;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import im.parley.connection.auth.DevTokens;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

/**
 * The web chat page (clients/web) and the JavaScript client it runs on (clients/js/dist), served on the loopback
 * address with a development sign-in: {@code POST /token} with {@code user=NAME} answers a token minted with the
 * local secret and the WebSocket address. Local only: a deployment signs users in through its identity provider.
 */
public final class WebChat implements AutoCloseable {

    private static final Pattern USER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "map", "application/json");

    private final HttpServer server;

    private WebChat(HttpServer server) {
        this.server = server;
    }

    /**
     * @param page    clients/web
     * @param sdk     clients/js/dist, served under /sdk/
     * @param webSocket the tier's address, such as ws://127.0.0.1:18080/ws
     */
    public static WebChat start(int port, Path page, Path sdk, String webSocket, String secret) throws IOException {
        Path pageRoot = page.toAbsolutePath().normalize();
        Path sdkRoot = sdk.toAbsolutePath().normalize();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "web-chat");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/token", exchange -> token(exchange, webSocket, secret));
        server.createContext("/sdk/", exchange -> file(exchange, sdkRoot, exchange.getRequestURI().getPath().substring(5)));
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            file(exchange, pageRoot, path.equals("/") ? "index.html" : path.substring(1));
        });
        server.start();
        return new WebChat(server);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void token(HttpExchange exchange, String webSocket, String secret) throws IOException {
        if (!exchange.getRequestMethod().equals("POST")) {
            answer(exchange, 405, "text/plain", "POST user=NAME");
            return;
        }
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String user = null;
        for (String pair : body.split("&")) {
            if (pair.startsWith("user=")) {
                user = URLDecoder.decode(pair.substring(5), StandardCharsets.UTF_8).trim();
            }
        }
        if (user == null || !USER.matcher(user).matches()) {
            answer(exchange, 400, "text/plain", "a user name: letters, digits and . _ @ -, up to 64");
            return;
        }
        String token = DevTokens.mint(secret, user, null, Duration.ofHours(24));
        answer(exchange, 200, "application/json", "{\"token\":\"" + token + "\",\"url\":\"" + webSocket + "\"}");
    }

    private static void file(HttpExchange exchange, Path root, String relative) throws IOException {
        Path file = root.resolve(relative).normalize();
        if (!file.startsWith(root) || !Files.isRegularFile(file)) {
            answer(exchange, 404, "text/plain", "not found: " + relative);
            return;
        }
        String name = file.getFileName().toString();
        String type = TYPES.getOrDefault(name.substring(name.lastIndexOf('.') + 1), "application/octet-stream");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        answer(exchange, 200, type, Files.readAllBytes(file));
    }

    private static void answer(HttpExchange exchange, int status, String type, String body) throws IOException {
        answer(exchange, status, type, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void answer(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length);
        try (var out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
