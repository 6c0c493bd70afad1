package im.parley.soak;

import com.fasterxml.jackson.databind.node.ObjectNode;
import im.parley.eventing.EventJson;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The soak's record, append-only, one JSON object per line: every send, ack, live {@code msg} (device, connection,
 * arrival order), message read through sync, connection, and fault, each with its time. {@link Checker} reads it
 * afterwards, so a run can be checked again, or by other means.
 */
final class History implements AutoCloseable {

    private final BufferedWriter out;
    private final long start = System.nanoTime();

    History(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    }

    /** A new record of this kind, stamped with milliseconds since the run began; fill it and {@link #write} it. */
    ObjectNode record(String kind) {
        return EventJson.MAPPER.createObjectNode().put("k", kind).put("ms", (System.nanoTime() - start) / 1_000_000);
    }

    synchronized void write(ObjectNode record) {
        try {
            out.write(record.toString());
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    synchronized void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
