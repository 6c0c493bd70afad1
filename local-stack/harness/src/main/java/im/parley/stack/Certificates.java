package im.parley.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * A self-signed certificate for 127.0.0.1 and localhost, made with the JDK's keytool, for servers that tests run
 * with TLS: as a PKCS12 key store (Kafka) and as PEM files (Redis, and every client's trust).
 *
 * @param keyStore PKCS12, with the key under the alias {@code server}
 * @param password the key store's and the key's password
 * @param certPem  the certificate, which is also the CA clients trust
 * @param keyPem   the private key, PKCS#8
 */
public record Certificates(Path keyStore, String password, Path certPem, Path keyPem) {

    public static Certificates selfSigned(Path dir) {
        String password = "parley-test-" + Long.toHexString(System.nanoTime());
        Path keyStore = dir.resolve("server.p12");
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(keyStore);
            Path keytool = Path.of(JavaRuntime.javaBinary()).resolveSibling("keytool");
            ManagedProcess.run("keytool", List.of(keytool.toString(), "-genkeypair", "-alias", "server", "-keyalg", "RSA",
                    "-keysize", "2048", "-validity", "7", "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                    "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", password, "-keypass", password),
                    dir, dir.resolve("keytool.log"), Duration.ofSeconds(60));
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keyStore)) {
                store.load(in, password.toCharArray());
            }
            Certificate cert = store.getCertificate("server");
            PrivateKey key = (PrivateKey) store.getKey("server", password.toCharArray());
            Path certPem = Files.writeString(dir.resolve("server.crt"), pem("CERTIFICATE", cert.getEncoded()));
            Path keyPem = Files.writeString(dir.resolve("server.key"), pem("PRIVATE KEY", key.getEncoded()));
            return new Certificates(keyStore, password, certPem, keyPem);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the key store keytool made", e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
