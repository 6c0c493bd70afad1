package im.parley.eventing.runtime.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.fabric8.knative.eventing.v1.SubscriptionsAPIFilter;
import io.fabric8.knative.eventing.v1.SubscriptionsAPIFilterBuilder;
import io.fabric8.knative.eventing.v1.TriggerFilter;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TriggerFiltersTest {

    static final CloudEvent SENT = CloudEventBuilder.v1().withId("1").withSource(URI.create("/parley/nodes/n1"))
            .withType("im.parley.message.sent").withSubject("chat").withExtension("partitionkey", "d:a:b").build();

    static SubscriptionsAPIFilter exact(String attribute, String value) {
        return new SubscriptionsAPIFilterBuilder().withExact(Map.of(attribute, value)).build();
    }

    @Test
    void attributesMatchExactlyAndIgnoreEmptyValues() {
        Map<String, String> attributes = new HashMap<>(Map.of("type", "im.parley.message.sent", "source", ""));
        assertThat(TriggerFilters.of(new TriggerFilter(attributes), null).matches(SENT)).isTrue();
        attributes.put("partitionkey", "d:a:c");
        assertThat(TriggerFilters.of(new TriggerFilter(attributes), null).matches(SENT)).isFalse();
        assertThat(TriggerFilters.of(new TriggerFilter(Map.of("missing", "x")), null).matches(SENT)).isFalse();
        assertThat(TriggerFilters.of(null, null).matches(SENT)).isTrue();
    }

    @Test
    void filtersOverrideAttributesAndAreAnded() {
        TriggerFilter never = new TriggerFilter(Map.of("type", "something.else"));
        assertThat(TriggerFilters.of(never, List.of(exact("type", "im.parley.message.sent"))).matches(SENT)).isTrue();
        assertThat(TriggerFilters.of(null, List.of(exact("type", "im.parley.message.sent"), exact("subject", "other")))
                .matches(SENT)).isFalse();
    }

    @Test
    void everyDialect() {
        assertThat(matches(new SubscriptionsAPIFilterBuilder().withPrefix(Map.of("type", "im.parley.message.")).build())).isTrue();
        assertThat(matches(new SubscriptionsAPIFilterBuilder().withPrefix(Map.of("type", "im.parley.friend.")).build())).isFalse();
        assertThat(matches(new SubscriptionsAPIFilterBuilder().withSuffix(Map.of("type", ".sent")).build())).isTrue();
        assertThat(matches(new SubscriptionsAPIFilterBuilder().withSuffix(Map.of("partitionkey", ":c")).build())).isFalse();
        assertThat(matches(new SubscriptionsAPIFilterBuilder().withAll(exact("subject", "chat"), exact("id", "1")).build())).isTrue();
        assertThat(matches(new SubscriptionsAPIFilterBuilder().withAll(exact("subject", "chat"), exact("id", "2")).build())).isFalse();
        assertThat(matches(new SubscriptionsAPIFilterBuilder().withAny(exact("id", "2"), exact("id", "1")).build())).isTrue();
        assertThat(matches(new SubscriptionsAPIFilterBuilder().withAny(exact("id", "2"), exact("id", "3")).build())).isFalse();
        assertThat(matches(new SubscriptionsAPIFilterBuilder().withNot(exact("id", "1")).build())).isFalse();
        assertThat(matches(new SubscriptionsAPIFilterBuilder().withNot(exact("id", "9")).build())).isTrue();
        assertThat(matches(new SubscriptionsAPIFilterBuilder()
                .withCesql("type = 'im.parley.message.sent' AND partitionkey LIKE 'd:%'").build())).isTrue();
        assertThat(matches(new SubscriptionsAPIFilterBuilder().withCesql("subject = 'other'").build())).isFalse();
    }

    @Test
    void aCesqlExpressionThatFailsOnAnEventDoesNotMatchIt() {
        assertThat(matches(new SubscriptionsAPIFilterBuilder().withCesql("INT(missingext) > 3").build())).isFalse();
    }

    @Test
    void malformedFiltersAreRefusedWithAReason() {
        assertThatThrownBy(() -> TriggerFilters.of(null, List.of(new SubscriptionsAPIFilterBuilder()
                .withExact(Map.of("type", "a")).withPrefix(Map.of("type", "b")).build())))
                .hasMessageContaining("exactly one dialect");
        assertThatThrownBy(() -> TriggerFilters.of(null, List.of(new SubscriptionsAPIFilterBuilder()
                .withExact(Map.of("type", "a", "id", "b")).build()))).hasMessageContaining("exactly one attribute");
        assertThatThrownBy(() -> TriggerFilters.of(null, List.of(new SubscriptionsAPIFilterBuilder()
                .withCesql("type = = 'x'").build()))).hasMessageContaining("does not parse");
    }

    static boolean matches(SubscriptionsAPIFilter filter) {
        return TriggerFilters.of(null, List.of(filter)).matches(SENT);
    }

    @Test
    void aFilterThatDemandsOneTypeSaysWhichSoOtherTypesArePassedOverUndecoded() {
        assertThat(TriggerFilters.of(new TriggerFilter(Map.of("type", "im.parley.message.sent")), null).requiredType())
                .isEqualTo("im.parley.message.sent");
        assertThat(TriggerFilters.of(null, List.of(exact("type", "im.parley.message.sent"))).requiredType())
                .isEqualTo("im.parley.message.sent");
        assertThat(TriggerFilters.of(new TriggerFilter(Map.of("source", "/x")), null).requiredType()).isNull();
        assertThat(TriggerFilters.of(null, List.of(new SubscriptionsAPIFilterBuilder().withPrefix(Map.of("type", "im.parley."))
                .build())).requiredType()).isNull();
        assertThat(TriggerFilters.of(null, null).requiredType()).isNull();
    }
}
