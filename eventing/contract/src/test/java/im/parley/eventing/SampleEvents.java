package im.parley.eventing;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.eventing.message.ContentType;
import im.parley.eventing.message.MessageSent;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;

/** An event that uses every attribute and extension Parley sets, for binding round trips. */
public final class SampleEvents {

    private SampleEvents() {
    }

    public static CloudEvent everyAttribute() {
        CloudEvent base = Events.create(EventTypes.MESSAGE_SENT,
                new MessageSent("d:alice:bob", "c-42", ContentType.TEXT, "héllo ✓ \"quoted\""),
                new Actor("alice", "phone", "node-1"), Events.nodeSource("node-1"));
        return CloudEventBuilder.v1(base)
                .withSubject("d:alice:bob")
                .withExtension("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
                .withExtension("tracestate", "parley=1")
                .build();
    }

    /** Every attribute, every extension and the data bytes are equal. */
    public static void assertSameEvent(CloudEvent actual, CloudEvent expected) {
        assertThat(actual.getSpecVersion()).isEqualTo(expected.getSpecVersion());
        assertThat(actual.getId()).isEqualTo(expected.getId());
        assertThat(actual.getSource()).isEqualTo(expected.getSource());
        assertThat(actual.getType()).isEqualTo(expected.getType());
        assertThat(actual.getTime()).isEqualTo(expected.getTime());
        assertThat(actual.getSubject()).isEqualTo(expected.getSubject());
        assertThat(actual.getDataSchema()).isEqualTo(expected.getDataSchema());
        assertThat(actual.getDataContentType()).isEqualTo(expected.getDataContentType());
        assertThat(actual.getExtensionNames()).containsExactlyInAnyOrderElementsOf(expected.getExtensionNames());
        for (String name : expected.getExtensionNames()) {
            assertThat(String.valueOf(actual.getExtension(name))).as(name)
                    .isEqualTo(String.valueOf(expected.getExtension(name)));
        }
        assertThat(actual.getData().toBytes()).isEqualTo(expected.getData().toBytes());
    }
}
