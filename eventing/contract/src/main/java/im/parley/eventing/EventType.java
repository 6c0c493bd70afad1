package im.parley.eventing;

import java.net.URI;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * One catalog type bound to its Java data record and its partition-key rule.
 *
 * @param <T> the record carried as the event's JSON data
 */
public final class EventType<T> {

    public static final String PREFIX = "im.parley.";
    public static final String SCHEMA_BASE = "https://schemas.parley.im/cloudevents/";

    /** How the record key is chosen; mirrors partitionKey in the catalog. */
    public enum KeyKind { CONVERSATION, USER, FRIENDSHIP, NODE }

    /**
     * broker: the topic of a Knative Kafka Broker; composed: handed between the functions of a composition, never
     * on a broker; delivery: a connection node's delivery channel.
     */
    public enum Channel { BROKER, COMPOSED, DELIVERY }

    /** The Knative Kafka Brokers, as named in the catalog: the message path has one of its own. */
    public static final String MESSAGES_BROKER = "messages";
    public static final String DEFAULT_BROKER = "default";

    private final String type;
    private final Class<T> dataClass;
    private final KeyKind keyKind;
    private final Channel channel;
    private final String broker;
    private final BiFunction<T, Actor, String> keyRule;

    EventType(String shortName, Class<T> dataClass, KeyKind keyKind, Channel channel, String broker,
              BiFunction<T, Actor, String> keyRule) {
        if ((channel == Channel.BROKER) != (broker != null)) {
            throw new IllegalArgumentException(shortName + ": a broker type names its broker, and only a broker type");
        }
        this.type = PREFIX + shortName;
        this.dataClass = dataClass;
        this.keyKind = keyKind;
        this.channel = channel;
        this.broker = broker;
        this.keyRule = keyRule;
    }

    public String type() {
        return type;
    }

    public String shortName() {
        return type.substring(PREFIX.length());
    }

    public Class<T> dataClass() {
        return dataClass;
    }

    public KeyKind keyKind() {
        return keyKind;
    }

    public Channel channel() {
        return channel;
    }

    /** The broker that carries this type, or null when it is not a broker type. */
    public String broker() {
        return broker;
    }

    public String schemaFile() {
        return shortName() + ".schema.json";
    }

    public URI dataSchema() {
        return URI.create(SCHEMA_BASE + schemaFile());
    }

    /** The record key for data sent by actor (actor may be null for events no client originated). */
    public String partitionKey(T data, Actor actor) {
        return Objects.requireNonNull(keyRule.apply(data, actor), () -> "no partition key for " + type);
    }

    @Override
    public String toString() {
        return type;
    }
}
