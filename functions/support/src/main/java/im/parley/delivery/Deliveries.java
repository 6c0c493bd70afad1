package im.parley.delivery;

import com.fasterxml.jackson.databind.node.ObjectNode;
import im.parley.eventing.Actor;
import im.parley.eventing.delivery.DeliveryBatch;
import im.parley.eventing.delivery.Frames;
import im.parley.eventing.frame.FrameData;
import im.parley.eventing.message.DeviceRef;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Frames to users wherever their devices are connected, and to devices already addressed, as entries on the
 * connection nodes' delivery streams. Where a user's devices are is presence, as the tier records it; a device whose
 * entry lapsed is not live.
 */
public interface Deliveries {

    /** How long a frame sent {@linkplain #toUsers once} is remembered as sent. */
    java.time.Duration ONCE_WINDOW = java.time.Duration.ofMinutes(10);

    /**
     * One frame to every live device of {@code users} but {@code except}, and each {@code addressed} batch as it is.
     *
     * @param except  a device left out (the one the frame answers), or null
     * @param frame   the frame for the users' devices, or null when only addressed batches are sent
     * @param once    names the frame so that it reaches the users once: a second call with the same name (within
     *                {@link #ONCE_WINDOW}) sends only the addressed batches. It counts as sent only once every
     *                write succeeded, so a call that failed half-way is done whole by the next. Null: always sent.
     * @return the users with no live device at all (except counts as live), for offline notifications; also when
     *         the frame was sent before, so that a retry whose first attempt failed after sending still asks for them
     */
    Set<String> toUsers(Collection<String> users, DeviceRef except, ObjectNode frame, String once,
                        List<DeliveryBatch> addressed);

    /**
     * A frame {@code t} whose {@code d} is {@code data} (a record, written as JSON) to every live device of
     * {@code users} but {@code except}; the frame must be defined in frames.schema.json or, for a product
     * function's, in a schema the catalog's downstreamFrames names.
     *
     * @return the users with no live device at all
     */
    default Set<String> toUsers(Collection<String> users, DeviceRef except, String t, Record data) {
        return toUsers(users, except, Frames.of(t, data), null, List.of());
    }

    /** A typed frame to every live device of {@code users} but {@code except}; the users with no live device. */
    default Set<String> toUsers(Collection<String> users, DeviceRef except, FrameData frame) {
        return toUsers(users, except, Frames.of(frame), null, List.of());
    }

    /** A typed frame to the device an event came from, wherever it is connected. */
    default void toActor(Actor actor, FrameData frame) {
        addressed(DeliveryBatch.toActor(actor, Frames.of(frame)));
    }

    /** A batch already addressed to devices on one node. */
    default void addressed(DeliveryBatch batch) {
        toUsers(List.of(), null, null, null, List.of(batch));
    }
}
