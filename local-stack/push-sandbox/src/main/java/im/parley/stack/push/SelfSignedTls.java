package im.parley.stack.push;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A self-signed certificate for localhost and 127.0.0.1, made with the JDK's keytool (no extra libraries). */
record SelfSignedTls(Path keyStore, String password, Path certificatePem) {

    static SelfSignedTls create(Path dir) throws IOException, InterruptedException {
        Path store = dir.resolve("tls.p12");
        Path pem = dir.resolve("tls-cert.pem");
        // Fresh each start: keytool would not add to a store left by an earlier one.
        Files.deleteIfExists(store);
        Files.deleteIfExists(pem);
        String password = "sandbox-" + Long.toHexString(System.nanoTime());
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(List.of(keytool, "-genkeypair", "-alias", "sandbox", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "30",
                "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", password, "-keypass", password));
        run(List.of(keytool, "-exportcert", "-rfc", "-alias", "sandbox", "-keystore", store.toString(),
                "-storetype", "PKCS12", "-storepass", password, "-file", pem.toString()));
        return new SelfSignedTls(store, password, pem);
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("keytool failed: " + output);
        }
    }
}
