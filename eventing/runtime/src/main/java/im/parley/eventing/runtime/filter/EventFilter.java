package im.parley.eventing.runtime.filter;

import io.cloudevents.CloudEvent;

/** Whether a Trigger takes an event. Filters look only at attributes, never at data, as in Knative. */
@FunctionalInterface
public interface EventFilter {

    EventFilter ALL = event -> true;

    boolean matches(CloudEvent event);
}
