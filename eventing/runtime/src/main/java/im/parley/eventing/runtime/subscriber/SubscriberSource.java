package im.parley.eventing.runtime.subscriber;

/**
 * Gives each replica of a Trigger its subscriber. For an in-process function the first acquire starts the
 * function and the last release stops it, so a function scaled to zero is not running.
 */
public interface SubscriberSource {

    Subscriber acquire();

    void release();

    static SubscriberSource shared(Subscriber subscriber) {
        return new SubscriberSource() {
            @Override
            public Subscriber acquire() {
                return subscriber;
            }

            @Override
            public void release() {
            }
        };
    }
}
