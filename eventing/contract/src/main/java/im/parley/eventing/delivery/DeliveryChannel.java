package im.parley.eventing.delivery;

import im.parley.eventing.message.DeviceRef;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The channel from functions to one connection node: a Redis Stream per node. Functions XADD one entry per frame
 * of a {@link DeliveryBatch} to the stream of the node that holds the target sockets; the node reads its own stream
 * only, resuming from the last entry id after any blip, so nothing is lost.
 * <p>
 * An entry has two fields: {@value #TARGETS}, the devices it is for ({@code user/device}, comma-separated), and
 * {@value #FRAME}, the frame as the client receives it, encoded once by the function; and, when the function's
 * handling was traced, {@value #TRACE}, the W3C {@code traceparent} the node's write continues. The node parses
 * neither JSON nor CloudEvents: it looks the devices up and writes the same bytes to each.
 */
public final class DeliveryChannel {

    public static final String TARGETS = "to";
    public static final String FRAME = "frame";
    public static final String TRACE = "trace";
    /** Entries kept per node; older ones are trimmed. A node that falls this far behind has clients that resync. */
    public static final long MAX_LENGTH = 100_000;

    private DeliveryChannel() {
    }

    public static String streamKey(String nodeId) {
        return "parley:delivery:" + nodeId;
    }

    /** One entry: a frame and the devices it is for. Ids never contain '/' or ',' (see docs/protocol.md). */
    public record Entry(List<DeviceRef> targets, byte[] frame) {

        public static String encodeTargets(List<DeviceRef> targets) {
            StringBuilder b = new StringBuilder(targets.size() * 24);
            for (DeviceRef t : targets) {
                if (!b.isEmpty()) {
                    b.append(',');
                }
                b.append(t.userId()).append('/').append(t.deviceId());
            }
            return b.toString();
        }

        public static List<DeviceRef> decodeTargets(String encoded) {
            List<DeviceRef> targets = new ArrayList<>();
            int from = 0;
            while (from < encoded.length()) {
                int comma = encoded.indexOf(',', from);
                int end = comma < 0 ? encoded.length() : comma;
                int slash = encoded.indexOf('/', from);
                if (slash < 0 || slash > end) {
                    throw new IllegalArgumentException("not a user/device target: " + encoded.substring(from, end));
                }
                targets.add(new DeviceRef(encoded.substring(from, slash), encoded.substring(slash + 1, end)));
                from = end + 1;
            }
            return targets;
        }

        public static Entry decode(String targets, byte[] frame) {
            return new Entry(decodeTargets(targets), frame);
        }

        public String frameText() {
            return new String(frame, StandardCharsets.UTF_8);
        }
    }
}
