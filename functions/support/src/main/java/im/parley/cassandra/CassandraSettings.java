package im.parley.cassandra;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Where the functions' Cassandra is and how the keyspace is replicated.
 *
 * @param replication the CQL replication map, e.g. {'class': 'NetworkTopologyStrategy', 'dc1': 3} in production
 */
public record CassandraSettings(String host, int port, String localDatacenter, String keyspace, String replication) {

    public static final String LOCAL_REPLICATION = "{'class': 'SimpleStrategy', 'replication_factor': 1}";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+");

    public static CassandraSettings local(String host, int port, String localDatacenter) {
        return new CassandraSettings(host, port, localDatacenter, "parley", LOCAL_REPLICATION);
    }

    /**
     * The CQL replication map for a setting such as {@code NetworkTopologyStrategy:dc1=3,dc2=3} (a factor per
     * datacenter, what production uses) or {@code SimpleStrategy:1} (one datacenter, development).
     */
    public static String replication(String setting) {
        String usage = "PARLEY_CASSANDRA_REPLICATION: NetworkTopologyStrategy:<dc>=<factor>[,<dc>=<factor>…] or "
                + "SimpleStrategy:<factor>, not '" + setting + "'";
        int colon = setting.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException(usage);
        }
        String strategy = setting.substring(0, colon).trim();
        String rest = setting.substring(colon + 1).trim();
        switch (strategy) {
            case "SimpleStrategy" -> {
                return "{'class': 'SimpleStrategy', 'replication_factor': " + factor(rest, usage) + "}";
            }
            case "NetworkTopologyStrategy" -> {
                List<String> entries = new ArrayList<>();
                for (String part : rest.split(",")) {
                    String[] dcAndFactor = part.trim().split("=");
                    if (dcAndFactor.length != 2 || !NAME.matcher(dcAndFactor[0].trim()).matches()) {
                        throw new IllegalArgumentException(usage);
                    }
                    entries.add("'" + dcAndFactor[0].trim() + "': " + factor(dcAndFactor[1], usage));
                }
                return "{'class': 'NetworkTopologyStrategy', " + String.join(", ", entries) + "}";
            }
            default -> throw new IllegalArgumentException(usage);
        }
    }

    private static int factor(String text, String usage) {
        try {
            int factor = Integer.parseInt(text.trim());
            if (factor < 1) {
                throw new IllegalArgumentException(usage);
            }
            return factor;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(usage, e);
        }
    }
}
