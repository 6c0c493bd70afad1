package im.parley.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class KafkaServerTest {

    @Test
    void clusterIdsNeverLookLikeAnOption() {
        // About one random id in 64 would start with '-'; 5,000 draws would all but surely meet one.
        assertThat(IntStream.range(0, 5000).mapToObj(i -> KafkaServer.clusterId()))
                .allSatisfy(id -> assertThat(id).hasSize(22).doesNotStartWith("-"));
    }
}
