package im.parley.eventing.runtime.filter;

import io.cloudevents.CloudEvent;
import io.cloudevents.sql.Expression;
import io.cloudevents.sql.ParseException;
import io.cloudevents.sql.Parser;
import io.cloudevents.sql.Result;
import io.fabric8.knative.eventing.v1.SubscriptionsAPIFilter;
import io.fabric8.knative.eventing.v1.TriggerFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * Builds a Trigger's filter as Knative evaluates it. {@code spec.filters} (the Subscriptions API: exact,
 * prefix, suffix, all, any, not, cesql) wins over {@code spec.filter.attributes} when both are given; the
 * entries of a list are ANDed; an attribute filter ignores entries whose value is empty.
 */
public final class TriggerFilters {

    private static final Set<String> CONTEXT_ATTRIBUTES = Set.of("id", "source", "specversion", "type",
            "datacontenttype", "dataschema", "subject", "time");

    private TriggerFilters() {
    }

    public static EventFilter of(TriggerFilter filter, List<SubscriptionsAPIFilter> filters) {
        if (filters != null && !filters.isEmpty()) {
            String type = filters.stream().map(TriggerFilters::exactTypeOnly).filter(t -> t != null).findFirst().orElse(null);
            EventFilter all = allOf(filters);
            return type == null ? all : EventFilter.ofType(type, all);
        }
        if (filter == null || filter.getAttributes() == null) {
            return EventFilter.ALL;
        }
        String type = filter.getAttributes().get("type");
        List<EventFilter> parts = new ArrayList<>();
        filter.getAttributes().forEach((name, value) -> {
            if (value != null && !value.isEmpty()) {
                parts.add(event -> value.equals(attribute(event, name)));
            }
        });
        EventFilter attributes = and(parts);
        return type == null || type.isEmpty() ? attributes : EventFilter.ofType(type, attributes);
    }

    /** The type an entry of spec.filters demands, when it is nothing but {@code exact: {type: …}}. */
    private static String exactTypeOnly(SubscriptionsAPIFilter f) {
        boolean onlyExact = present(f.getExact()) && !present(f.getPrefix()) && !present(f.getSuffix()) && !present(f.getAll())
                && !present(f.getAny()) && f.getNot() == null && (f.getCesql() == null || f.getCesql().isBlank());
        return onlyExact ? f.getExact().get("type") : null;
    }

    private static EventFilter allOf(List<SubscriptionsAPIFilter> filters) {
        return and(filters.stream().map(TriggerFilters::dialect).toList());
    }

    private static EventFilter dialect(SubscriptionsAPIFilter f) {
        List<EventFilter> dialects = new ArrayList<>();
        if (present(f.getExact())) {
            dialects.add(attributes("exact", f.getExact(), String::equals));
        }
        if (present(f.getPrefix())) {
            dialects.add(attributes("prefix", f.getPrefix(), String::startsWith));
        }
        if (present(f.getSuffix())) {
            dialects.add(attributes("suffix", f.getSuffix(), String::endsWith));
        }
        if (present(f.getAll())) {
            dialects.add(allOf(f.getAll()));
        }
        if (present(f.getAny())) {
            List<EventFilter> any = f.getAny().stream().map(TriggerFilters::dialect).toList();
            dialects.add(event -> any.stream().anyMatch(a -> a.matches(event)));
        }
        if (f.getNot() != null) {
            EventFilter not = dialect(f.getNot());
            dialects.add(event -> !not.matches(event));
        }
        if (f.getCesql() != null && !f.getCesql().isBlank()) {
            dialects.add(cesql(f.getCesql()));
        }
        if (dialects.size() != 1) {
            throw new IllegalArgumentException("a filter needs exactly one dialect (exact, prefix, suffix, all, any, not, cesql), got "
                    + dialects.size() + ": " + f);
        }
        return dialects.get(0);
    }

    /** The model gives absent maps and lists as empty ones. */
    private static boolean present(Object mapOrList) {
        return mapOrList instanceof Map<?, ?> map ? !map.isEmpty() : mapOrList instanceof List<?> list && !list.isEmpty();
    }

    private static EventFilter attributes(String dialect, Map<String, String> entries, BiPredicate<String, String> test) {
        if (entries.size() != 1) {
            throw new IllegalArgumentException(dialect + " takes exactly one attribute, got " + entries.keySet());
        }
        Map.Entry<String, String> entry = entries.entrySet().iterator().next();
        String name = entry.getKey();
        String expected = entry.getValue();
        if (expected == null || expected.isEmpty()) {
            throw new IllegalArgumentException(dialect + " filter on '" + name + "' needs a value");
        }
        return event -> {
            String actual = attribute(event, name);
            return actual != null && test.test(actual, expected);
        };
    }

    private static EventFilter cesql(String text) {
        Expression expression;
        try {
            expression = Parser.parseDefault(text);
        } catch (ParseException e) {
            throw new IllegalArgumentException("CESQL expression does not parse: " + text + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // The SDK's parser fails on some malformed input with an internal error instead of a ParseException.
            throw new IllegalArgumentException("CESQL expression does not parse: " + text, e);
        }
        // An expression that fails on an event (a missing attribute, a bad cast) does not match it, as in Knative.
        return event -> {
            Result result = expression.evaluate(event);
            return !result.isFailed() && Boolean.TRUE.equals(result.value());
        };
    }

    private static EventFilter and(List<EventFilter> parts) {
        if (parts.isEmpty()) {
            return EventFilter.ALL;
        }
        if (parts.size() == 1) {
            return parts.get(0);
        }
        return event -> {
            for (EventFilter part : parts) {
                if (!part.matches(event)) {
                    return false;
                }
            }
            return true;
        };
    }

    /** A context attribute or an extension, as the string Knative compares. */
    static String attribute(CloudEvent event, String name) {
        Object value = CONTEXT_ATTRIBUTES.contains(name) ? event.getAttribute(name) : event.getExtension(name);
        return value == null ? null : value.toString();
    }
}
