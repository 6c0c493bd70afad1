package im.parley.eventing.knative;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import im.parley.eventing.EventTypes;
import org.junit.jupiter.api.Test;

class KnativeNamesTest {

    @Test
    void followKnativesTemplates() {
        assertThat(KnativeNames.brokerTopic("parley", "default")).isEqualTo("knative-broker-parley-default");
        assertThat(KnativeNames.brokerTopic("parley", EventTypes.MESSAGE_SENT)).isEqualTo("knative-broker-parley-messages");
        assertThat(KnativeNames.brokerTopic("parley", EventTypes.SYNC_REQUESTED)).isEqualTo("knative-broker-parley-default");
        assertThat(KnativeNames.brokerTopic("parley", EventTypes.DELIVERY_BATCH)).isNull();
        assertThat(KnativeNames.triggerConsumerGroup("parley", "sequence-message-sent"))
                .isEqualTo("knative-trigger-parley-sequence-message-sent");
        assertThatThrownBy(() -> KnativeNames.brokerTopic("", "b")).isInstanceOf(IllegalArgumentException.class);
    }
}
