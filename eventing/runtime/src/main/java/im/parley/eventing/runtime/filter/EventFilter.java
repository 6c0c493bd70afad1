package im.parley.eventing.runtime.filter;

import io.cloudevents.CloudEvent;

/** Whether a Trigger takes an event. Filters look only at attributes, never at data, as in Knative. */
@FunctionalInterface
public interface EventFilter {

    EventFilter ALL = event -> true;

    boolean matches(CloudEvent event);

    /**
     * The one event type this filter can match, when it requires one: then an event of another type can be
     * passed over from its {@code ce_type} header alone, without decoding it. Null when any type may match.
     */
    default String requiredType() {
        return null;
    }

    /** This filter, knowing that it only matches events of {@code type}. */
    static EventFilter ofType(String type, EventFilter filter) {
        return new EventFilter() {
            @Override
            public boolean matches(CloudEvent event) {
                return filter.matches(event);
            }

            @Override
            public String requiredType() {
                return type;
            }
        };
    }
}
