package im.parley.stack.push;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PushSandboxTest {

    @Test
    void startsAgainInTheSameDirectoryWithFreshCredentials() throws Exception {
        Path dir = Files.createTempDirectory("sandbox-twice");
        String first;
        try (PushSandbox sandbox = PushSandbox.start(dir)) {
            first = Files.readString(sandbox.credentials().apnsKey());
            assertThat(sandbox.environment()).containsKeys("PARLEY_APNS_URL", "PARLEY_APNS_CA", "PARLEY_FCM_CREDENTIALS");
        }
        try (PushSandbox sandbox = PushSandbox.start(dir)) {
            assertThat(Files.readString(sandbox.credentials().apnsKey())).isNotEqualTo(first);
            assertThat(sandbox.apns().url().getScheme()).isEqualTo("https");
        }
    }
}
