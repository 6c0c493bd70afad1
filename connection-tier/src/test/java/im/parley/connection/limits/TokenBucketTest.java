package im.parley.connection.limits;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenBucketTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void allowsTheBurstThenTheRate() {
        TokenBucket bucket = new TokenBucket(10, 5, 0);
        int allowed = 0;
        for (int i = 0; i < 20; i++) {
            allowed += bucket.tryTake(0) ? 1 : 0;
        }
        assertThat(allowed).isEqualTo(5);
        assertThat(bucket.tryTake(SECOND / 10)).isTrue();
        assertThat(bucket.tryTake(SECOND / 10)).isFalse();
    }

    @Test
    void neverSavesMoreThanTheBurst() {
        TokenBucket bucket = new TokenBucket(10, 3, 0);
        long later = 60 * SECOND;
        int allowed = 0;
        for (int i = 0; i < 10; i++) {
            allowed += bucket.tryTake(later) ? 1 : 0;
        }
        assertThat(allowed).isEqualTo(3);
    }
}
