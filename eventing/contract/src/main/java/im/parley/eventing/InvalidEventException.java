package im.parley.eventing;

import java.util.List;

/** An event that does not meet the contract: wrong type, unreadable data, or a schema violation. */
public class InvalidEventException extends RuntimeException {

    private final List<String> violations;

    public InvalidEventException(String message) {
        this(message, List.of(message), null);
    }

    public InvalidEventException(String message, Throwable cause) {
        this(message, List.of(message), cause);
    }

    public InvalidEventException(String message, List<String> violations, Throwable cause) {
        super(message, cause);
        this.violations = List.copyOf(violations);
    }

    public List<String> violations() {
        return violations;
    }
}
