package im.parley.eventing;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * One attempt at handling an event, as the host runs it: it has a budget, and it is abandoned when its sender
 * gives up (the dispatcher's timeout closes the connection) or when the host stops. The dispatcher then tries
 * again, so an attempt that went on would race its own retry: stores check {@link #ensureLive} before each write,
 * and an abandoned attempt stops at the next one. The budget is the sender's timeout less the longest store
 * request, so a write started within it ends before the retry can start.
 */
public final class Attempt {

    private static final ThreadLocal<Attempt> CURRENT = new ThreadLocal<>();

    /** The longest a function's single store request may take (Cassandra's request timeout, a wait on Redis). */
    public static final Duration STORE_REQUEST_LIMIT = Duration.ofSeconds(4);

    /** The attempt stopped before a write: its sender has given up on it, and a retry will do the work. */
    public static final class Abandoned extends IllegalStateException {
        public Abandoned(String why) {
            super("attempt abandoned: " + why);
        }
    }

    private final long deadline;
    private final Duration budget;
    private volatile String abandoned;

    private Attempt(Duration budget) {
        this.budget = budget;
        this.deadline = System.nanoTime() + budget.toNanos();
    }

    /** What an attempt may spend when its sender gives up after {@code senderTimeout}: a write started in it ends in time. */
    public static Duration budgetWithin(Duration senderTimeout) {
        Duration budget = senderTimeout.minus(STORE_REQUEST_LIMIT);
        return budget.compareTo(senderTimeout.dividedBy(2)) < 0 ? senderTimeout.dividedBy(2) : budget;
    }

    /** An attempt that may write for {@code budget} from now. */
    public static Attempt start(Duration budget) {
        return new Attempt(budget);
    }

    /** Runs the handler as this attempt, on this thread; it is refused at once if the attempt was abandoned already. */
    public <T> T run(Supplier<T> handler) {
        Attempt outer = CURRENT.get();
        CURRENT.set(this);
        try {
            check();
            return handler.get();
        } finally {
            if (outer == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(outer);
            }
        }
    }

    /** The sender gave up, or the host is going away. */
    public void abandon(String why) {
        abandoned = why;
    }

    public boolean isLive() {
        return abandoned == null && System.nanoTime() - deadline < 0;
    }

    private void check() {
        String why = abandoned;
        if (why != null) {
            throw new Abandoned(why);
        }
        if (System.nanoTime() - deadline >= 0) {
            throw new Abandoned("its budget of " + budget.toMillis() + " ms is spent");
        }
    }

    /** Throws {@link Abandoned} if the attempt this thread runs may no longer write; outside an attempt, does nothing. */
    public static void ensureLive() {
        Attempt current = CURRENT.get();
        if (current != null) {
            current.check();
        }
    }
}
