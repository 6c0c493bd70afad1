package im.parley.launcher;

import java.util.List;

/** One piece of the local system: a server, the connection tier, or a function. */
interface Part {

    String name();

    /** Starts and returns once the part is ready to serve. */
    void start();

    void stop();

    long pid();

    /** What a developer connects to, one line each, e.g. "Kafka bootstrap  127.0.0.1:19092". */
    List<String> endpoints();
}
