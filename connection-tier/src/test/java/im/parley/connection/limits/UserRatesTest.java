package im.parley.connection.limits;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UserRatesTest {

    static final long SECOND = 1_000_000_000L;

    @Test
    void aUsersFramesShareOneBucketAndARefilledBucketIsDropped() {
        UserRates rates = new UserRates(1, 2);
        assertThat(rates.tryTake("ann", 0)).isTrue();
        assertThat(rates.tryTake("ann", 0)).isTrue();
        assertThat(rates.tryTake("ann", 0)).as("past ann's burst").isFalse();
        assertThat(rates.tryTake("ben", 0)).as("ben has his own").isTrue();

        rates.sweep(SECOND);
        assertThat(rates.size()).as("ann's bucket is refilling, ben's is full again").isEqualTo(1);
        assertThat(rates.tryTake("ann", SECOND)).isTrue();
        assertThat(rates.tryTake("ann", SECOND)).as("one token back after a second, not a new bucket").isFalse();
        rates.sweep(3 * SECOND);
        assertThat(rates.size()).isZero();
    }
}
