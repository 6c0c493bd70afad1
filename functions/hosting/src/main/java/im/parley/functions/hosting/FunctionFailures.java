package im.parley.functions.hosting;

import im.parley.eventing.InvalidEventException;

/**
 * The HTTP status a function's exception stands for. An event the function cannot accept is a 400, which
 * Knative sends straight to the dead-letter sink; anything else is a 500, which Knative retries.
 */
public final class FunctionFailures {

    private FunctionFailures() {
    }

    public static int status(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof InvalidEventException || t instanceof IllegalArgumentException) {
                return 400;
            }
        }
        return 500;
    }

    public static String reason(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getMessage() == null) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
