package im.parley.functions.hosting;

/**
 * A function process's entry point (the images' main class): picks the log format before anything logs, JSON
 * lines when {@code PARLEY_LOG_FORMAT=json} (production), text otherwise, then serves the function
 * ({@link FunctionHttpServer#main}). A {@code -Dlogback.configurationFile} given on the command line wins.
 */
public final class FunctionMain {

    static final String TEXT = "im/parley/functions/hosting/logback-text.xml";
    static final String JSON = "im/parley/functions/hosting/logback-json.xml";

    private FunctionMain() {
    }

    public static void main(String[] args) {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile",
                    "json".equalsIgnoreCase(System.getenv("PARLEY_LOG_FORMAT")) ? JSON : TEXT);
        }
        FunctionHttpServer.main(args);
    }
}
