package im.parley.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The web chat page, served beside the tier it talks to, with a development sign-in. */
final class WebChatPart implements Part {

    private static final Path PAGE = Path.of("clients/web");
    private static final Path SDK = Path.of("clients/js/dist");

    private final int port;
    private final String webSocket;
    private final String secret;
    private WebChat chat;

    WebChatPart(LauncherOptions options, String secret) {
        this.port = options.port(18084);
        this.webSocket = "ws://127.0.0.1:" + options.port(18080) + "/ws";
        this.secret = secret;
    }

    @Override
    public String name() {
        return "Web chat";
    }

    @Override
    public void start() {
        if (!Files.isRegularFile(SDK.resolve("index.js"))) {
            throw new IllegalStateException(SDK + " is not built: run ./parley up without PARLEY_SKIP_BUILD, or npm run build"
                    + " in clients/js");
        }
        try {
            chat = WebChat.start(port, PAGE, SDK, webSocket, secret);
        } catch (Exception e) {
            throw new IllegalStateException("the web chat did not start on port " + port + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void stop() {
        if (chat != null) {
            chat.close();
        }
    }

    @Override
    public long pid() {
        return ProcessHandle.current().pid();
    }

    @Override
    public List<String> endpoints() {
        return List.of("Web chat            http://127.0.0.1:" + port + "/ (sign in as any user name)");
    }
}
