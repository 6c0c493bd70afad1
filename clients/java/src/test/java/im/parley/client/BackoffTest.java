package im.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void delaysAreJitteredUpToADoublingCeilingCappedAndStartOverAfterASuccess() {
        Backoff top = new Backoff(100, 1000, () -> 0.999999);
        assertThat(new long[] {top.next(), top.next(), top.next(), top.next(), top.next()})
                .containsExactly(99, 199, 399, 799, 999);
        top.reset();
        assertThat(top.next()).isEqualTo(99);
        assertThat(new Backoff(100, 1000, () -> 0).next()).as("full jitter reaches down to zero").isZero();
    }
}
