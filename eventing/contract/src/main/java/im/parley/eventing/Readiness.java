package im.parley.eventing;

import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Something a function needs before it can handle events, such as a store. The host asks every one on
 * {@code /health/ready}, so a function pod takes events only while its stores answer.
 */
public interface Readiness {

    /** What is probed, as the readiness answer names it: {@code cassandra}, {@code redis}. */
    String dependency();

    /** A cheap round trip; completes normally when the dependency answers. The host bounds the wait. */
    CompletionStage<?> probe();

    static Readiness of(String dependency, Supplier<CompletionStage<?>> probe) {
        return new Readiness() {
            @Override
            public String dependency() {
                return dependency;
            }

            @Override
            public CompletionStage<?> probe() {
                return probe.get();
            }
        };
    }
}
