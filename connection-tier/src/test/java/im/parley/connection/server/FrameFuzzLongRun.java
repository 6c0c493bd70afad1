package im.parley.connection.server;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * {@link FrameFuzzTest}'s target for ten minutes, run by hand (not a test class by name, so no build runs it):
 * {@code cd connection-tier && JAZZER_FUZZ=1 ../mvnw -o test -Dtest=FrameFuzzLongRun}.
 */
class FrameFuzzLongRun {

    @FuzzTest(maxDuration = "10m")
    void anyFrameIsTakenRefusedOrClosedCleanly(byte[] input) throws Exception {
        FrameFuzzTest.check(input);
    }
}
