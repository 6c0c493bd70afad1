package im.parley.cassandra;

/**
 * The {@code messages} table's partitions: a conversation's messages in buckets of 1,000 seqs, so a busy
 * conversation never grows one partition without bound. Persist writes and sync reads by the same rule.
 */
public final class MessageBuckets {

    public static final long SIZE = 1000;

    private MessageBuckets() {
    }

    public static long of(long seq) {
        return seq / SIZE;
    }
}
