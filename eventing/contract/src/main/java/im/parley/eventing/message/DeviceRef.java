package im.parley.eventing.message;

/** One device of one user: the unit the connection tier delivers to. */
public record DeviceRef(String userId, String deviceId) {
}
