package im.parley.functions.handlers;

import im.parley.eventing.Actor;

/**
 * What a handler knows of the event beside its data.
 *
 * @param eventId the same on every redelivery of the event: a key for writes that must happen once
 * @param actor   the authenticated user, device and node whose frame caused the event; null for an event no
 *                client caused
 */
public record Context(String eventId, Actor actor) {

    /** The actor, for a type only clients cause. */
    public Actor requireActor() {
        if (actor == null) {
            throw new im.parley.eventing.InvalidEventException("event " + eventId + " names no actor");
        }
        return actor;
    }
}
