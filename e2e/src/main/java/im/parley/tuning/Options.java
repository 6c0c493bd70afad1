package im.parley.tuning;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code --name value} options after positional arguments; an unknown option is refused with the usage. */
record Options(List<String> positional, Map<String, String> values) {

    /** A command's body; a refusal is an {@link IllegalArgumentException} whose message is shown. */
    interface Command {
        void run(String[] args) throws Exception;
    }

    /** Prints the usage for no argument or --help; exits 2 with the message on a refusal. */
    static void main(String[] args, String usage, Command command) throws Exception {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            System.out.println(usage);
            return;
        }
        try {
            command.run(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        }
    }

    static Options parse(String[] args, Set<String> known, String usage) {
        Map<String, String> values = new HashMap<>();
        List<String> positional = new java.util.ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--")) {
                String name = args[i].substring(2);
                if (!known.contains(name) || i + 1 >= args.length) {
                    throw new IllegalArgumentException((known.contains(name) ? "--" + name + " needs a value"
                            : "unknown option " + args[i]) + "\n" + usage);
                }
                values.put(name, args[++i]);
            } else {
                positional.add(args[i]);
            }
        }
        return new Options(positional, values);
    }

    String get(String name, String otherwise) {
        return values.getOrDefault(name, otherwise);
    }

    double number(String name, double otherwise) {
        String v = values.get(name);
        try {
            return v == null ? otherwise : Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a number, got " + v);
        }
    }
}
