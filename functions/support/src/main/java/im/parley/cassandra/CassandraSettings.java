package im.parley.cassandra;

/**
 * Where the functions' Cassandra is and how the keyspace is replicated.
 *
 * @param replication the CQL replication map, e.g. {'class': 'NetworkTopologyStrategy', 'dc1': 3} in production
 */
public record CassandraSettings(String host, int port, String localDatacenter, String keyspace, String replication) {

    public static final String LOCAL_REPLICATION = "{'class': 'SimpleStrategy', 'replication_factor': 1}";

    public static CassandraSettings local(String host, int port, String localDatacenter) {
        return new CassandraSettings(host, port, localDatacenter, "parley", LOCAL_REPLICATION);
    }
}
