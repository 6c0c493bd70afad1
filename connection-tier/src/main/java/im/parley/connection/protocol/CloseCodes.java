package im.parley.connection.protocol;

/** WebSocket close codes the tier uses; 4xxx are Parley's own (see docs/protocol.md). */
public final class CloseCodes {

    public static final int GOING_AWAY = 1001;
    public static final int TOO_BIG = 1009;
    /** Service restart: the node is draining; reconnect, ideally to another node. */
    public static final int SERVICE_RESTART = 1012;
    /** The node could not make the device reachable (presence not written); reconnect after a backoff. */
    public static final int TRY_AGAIN_LATER = 1013;
    public static final int BAD_REQUEST = 4400;
    public static final int UNAUTHORIZED = 4401;
    /** The user has as many live devices as allowed; one must leave first. */
    public static final int TOO_MANY_DEVICES = 4403;
    public static final int IDLE_TIMEOUT = 4408;
    /** The same device connected again; this older socket is closed. */
    public static final int REPLACED = 4409;
    public static final int SLOW_CONSUMER = 4413;
    public static final int RATE_LIMITED = 4429;

    private CloseCodes() {
    }
}
