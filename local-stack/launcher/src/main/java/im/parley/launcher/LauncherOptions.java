package im.parley.launcher;

import java.nio.file.Path;

/**
 * Command-line options of ./parley up, as {@code ./parley up --help} lists them.
 *
 * @param dataDir where every server keeps its data; a second start reuses it
 * @param portOffset added to every default port, to run a second stack beside the first
 * @param partitions partitions of the broker topic
 */
record LauncherOptions(Path dataDir, int portOffset, int partitions) {

    /** The options; ./parley answers --help itself, before it builds anything. */
    static LauncherOptions parse(String... args) {
        Path dataDir = Path.of(".local");
        int offset = 0;
        int partitions = LocalLauncher.DEFAULT_PARTITIONS;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--data-dir" -> dataDir = Path.of(value(args, ++i, arg));
                case "--port-offset" -> offset = number(value(args, ++i, arg), arg, 0, 10000);
                case "--partitions" -> partitions = number(value(args, ++i, arg), arg, 1, 1000);
                default -> throw new IllegalArgumentException("unknown option " + arg);
            }
        }
        return new LauncherOptions(dataDir.toAbsolutePath().normalize(), offset, partitions);
    }

    int port(int defaultPort) {
        return defaultPort + portOffset;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static int number(String value, String option, int min, int max) {
        try {
            int n = Integer.parseInt(value);
            if (n < min || n > max) {
                throw new IllegalArgumentException(option + " must be between " + min + " and " + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a number, not " + value);
        }
    }
}
