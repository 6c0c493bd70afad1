package im.parley.launcher;

import im.parley.connection.auth.DevTokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;

/** The local stack's HS256 secret, made once per data dir, and the ./parley token command that uses it. */
final class DevSecret {

    private DevSecret() {
    }

    static String load(Path dataDir) {
        Path file = dataDir.resolve("dev-jwt-secret");
        try {
            if (!Files.exists(file)) {
                byte[] bytes = new byte[32];
                new SecureRandom().nextBytes(bytes);
                Files.createDirectories(dataDir);
                Files.writeString(file, HexFormat.of().formatHex(bytes));
            }
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** ./parley token [--data-dir DIR] USER [DEVICE]: prints a 24-hour development token. */
    public static void main(String[] args) {
        Path dataDir = Path.of(".local");
        int i = 0;
        if (args.length >= 2 && args[0].equals("--data-dir")) {
            dataDir = Path.of(args[1]);
            i = 2;
        }
        for (int j = i; j < args.length; j++) {
            if (args[j].startsWith("-")) {
                // An option misspelt is not a user: never mint a token for "--dta-dir".
                System.err.println("unknown option " + args[j] + "; usage: ./parley token [--data-dir DIR] USER [DEVICE]");
                System.exit(2);
            }
        }
        if (args.length - i < 1 || args.length - i > 2) {
            System.err.println("Usage: ./parley token [--data-dir DIR] USER [DEVICE]");
            System.exit(2);
        }
        String device = args.length - i == 2 ? args[i + 1] : null;
        System.out.println(DevTokens.mint(load(dataDir.toAbsolutePath()), args[i], device, Duration.ofHours(24)));
    }
}
