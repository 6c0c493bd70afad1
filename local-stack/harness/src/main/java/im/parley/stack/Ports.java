package im.parley.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

public final class Ports {

    private Ports() {
    }

    /** A port free on 127.0.0.1 right now, below the ephemeral range so a client socket cannot take it later. */
    public static int free() {
        for (int attempt = 0; attempt < 200; attempt++) {
            int candidate = 20000 + (int) (Math.random() * 12000);
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(false);
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), candidate));
                return candidate;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new UncheckedIOException(new IOException("no free port found in 20000-31999"));
    }

    public static boolean accepting(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 250);
            return true;
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
    }

    /** Fails fast when something already listens on a port; otherwise a readiness probe would see that server. */
    public static void requireFree(String server, int... ports) {
        for (int port : ports) {
            if (accepting(port)) {
                throw new ServerStartException(server, "port " + port + " is already in use by another process", "");
            }
        }
    }
}
