package im.parley.connection.protocol;

import im.parley.eventing.catalog.CatalogEntry;
import im.parley.eventing.catalog.EventCatalog;
import java.util.Map;

/**
 * Which event each upstream frame type becomes, read from the catalog's {@code frame} entries at start-up: a new
 * frame is a catalog entry and a schema, never a change here. Frames carry the event's data as their "d" field.
 */
public final class UpstreamFrames {

    public static final Map<String, CatalogEntry> EVENT_OF = EventCatalog.shared().frames();

    private UpstreamFrames() {
    }
}
