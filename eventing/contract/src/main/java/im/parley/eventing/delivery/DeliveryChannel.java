package im.parley.eventing.delivery;

import io.cloudevents.CloudEvent;
import io.cloudevents.jackson.JsonFormat;

/**
 * The channel from functions to one connection node: a Redis Stream per node. Functions XADD deliveries
 * (structured-mode CloudEvents, field {@link #FIELD}) to the stream of the node that holds the target sockets;
 * the node reads its own stream only, resuming from the last entry id after any blip, so nothing is lost.
 */
public final class DeliveryChannel {

    public static final String FIELD = "ce";
    /** Entries kept per node; older ones are trimmed. A node that falls this far behind has clients that resync. */
    public static final long MAX_LENGTH = 100_000;

    private static final JsonFormat FORMAT = new JsonFormat();

    private DeliveryChannel() {
    }

    public static String streamKey(String nodeId) {
        return "parley:delivery:" + nodeId;
    }

    public static byte[] encode(CloudEvent event) {
        return FORMAT.serialize(event);
    }

    public static CloudEvent decode(byte[] entry) {
        return FORMAT.deserialize(entry);
    }
}
