package im.parley.eventing.knative;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KnativeNamesTest {

    @Test
    void followKnativesTemplates() {
        assertThat(KnativeNames.brokerTopic("parley", "default")).isEqualTo("knative-broker-parley-default");
        assertThat(KnativeNames.triggerConsumerGroup("parley", "sequence-message-sent"))
                .isEqualTo("knative-trigger-parley-sequence-message-sent");
        assertThatThrownBy(() -> KnativeNames.brokerTopic("", "b")).isInstanceOf(IllegalArgumentException.class);
    }
}
