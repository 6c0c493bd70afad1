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

    @Test
    void aMessageGoesAgainAfterADoublingWaitAtMostTheCap() {
        assertThat(new long[] {Backoff.resendMs(1, 1_000, 60_000), Backoff.resendMs(2, 1_000, 60_000),
                Backoff.resendMs(3, 1_000, 60_000)}).containsExactly(1_000, 2_000, 4_000);
        assertThat(Backoff.resendMs(5, 5_000, 60_000)).isEqualTo(60_000);
        assertThat(Backoff.resendMs(100, 1_000, 60_000)).as("no overflow").isEqualTo(60_000);
    }
}
