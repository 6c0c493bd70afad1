package im.parley.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.soak.Soak;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The soak at its CI size: 1,200 messages in 4 minutes through every fault kind (the messaging service killed
 * every 30 s; the tier, Redis, Kafka and Cassandra killed once each; Redis put back to an older snapshot;
 * Cassandra and Kafka stopped), then the history checker. It brings up its own servers.
 */
class SoakIT {

    @Test
    void nothingAckedIsLostDuplicatedOrReorderedThroughEveryFault() throws Exception {
        String classpath = String.join(File.pathSeparator, "target/test-classes", "target/classes",
                Files.readString(Path.of("target/test.classpath")).trim());
        assertThat(Soak.run(1_200, Duration.ofMinutes(4), classpath)).as("the checker's verdict (see its report above)")
                .isTrue();
    }
}
