package im.parley.typing;

import java.time.Duration;

/** At most one of a kind per interval, across every replica of the function. */
public interface Throttle {

    /** True for the first call with this key in an interval, false for the others until it ends. */
    boolean admit(String key, Duration interval);
}
