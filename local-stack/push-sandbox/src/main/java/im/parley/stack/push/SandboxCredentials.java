package im.parley.stack.push;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.Map;

/**
 * Fresh credentials in the providers' own formats: an APNs auth key (a PKCS#8 P-256 key, as the .p8 file Apple
 * issues) and an FCM service-account JSON file with an RSA key.
 */
public record SandboxCredentials(String teamId, String keyId, Path apnsKey, ECPublicKey apnsPublicKey,
                                 String projectId, String clientEmail, Path serviceAccount, RSAPublicKey fcmPublicKey) {

    static SandboxCredentials create(Path dir, String tokenUri) throws IOException, GeneralSecurityException {
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair apns = ec.generateKeyPair();
        Path p8 = dir.resolve("AuthKey_SANDBOX01.p8");
        Files.writeString(p8, pem(apns.getPrivate()));

        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        KeyPair fcm = rsa.generateKeyPair();
        String projectId = "parley-sandbox";
        String email = "push@" + projectId + ".iam.gserviceaccount.com";
        Path json = dir.resolve("service-account.json");
        Files.writeString(json, new ObjectMapper().writeValueAsString(Map.of(
                "type", "service_account", "project_id", projectId, "private_key_id", "sandbox",
                "private_key", pem(fcm.getPrivate()), "client_email", email, "token_uri", tokenUri)));
        return new SandboxCredentials("SANDBOXTEAM", "SANDBOX01", p8, (ECPublicKey) apns.getPublic(), projectId, email,
                json, (RSAPublicKey) fcm.getPublic());
    }

    private static String pem(PrivateKey key) {
        return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }
}
