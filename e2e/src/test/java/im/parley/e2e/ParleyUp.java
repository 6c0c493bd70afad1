package im.parley.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** ./parley up, run as a developer runs it, with its output captured line by line. */
final class ParleyUp implements AutoCloseable {

    static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private final List<ProcessHandle> children = new ArrayList<>();

    private ParleyUp(Process process) {
        this.process = process;
        Thread reader = new Thread(this::read, "parley-up-output");
        reader.setDaemon(true);
        reader.start();
    }

    static ParleyUp start(Path dataDir, int portOffset) {
        // In a session of its own, as in a terminal: Ctrl-C signals the whole foreground group, not one pid.
        ProcessBuilder builder = new ProcessBuilder("setsid", "bash", REPO.resolve("parley").toString(), "up",
                "--data-dir", dataDir.toString(), "--port-offset", String.valueOf(portOffset))
                .directory(REPO.toFile())
                .redirectErrorStream(true);
        // The reactor has just built everything; the test checks the stack, not a second build.
        builder.environment().put("PARLEY_SKIP_BUILD", "1");
        try {
            return new ParleyUp(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void read() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                synchronized (lines) {
                    lines.add(line);
                    lines.notifyAll();
                }
            }
        } catch (IOException ignored) {
            // the process ended
        }
    }

    /** Waits for a line; fails with everything printed so far if it does not come. */
    void awaitLine(String expected, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            while (lines.stream().noneMatch(l -> l.contains(expected))) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || (!process.isAlive() && lines.stream().noneMatch(l -> l.contains(expected)))) {
                    if (!process.isAlive()) {
                        process.waitFor(2, TimeUnit.SECONDS);
                    }
                    throw new AssertionError("'" + expected + "' not printed" + (process.isAlive() ? "" : "; exited "
                            + process.exitValue()) + ". Output:\n" + String.join("\n", lines));
                }
                lines.wait(Math.min(500, TimeUnit.NANOSECONDS.toMillis(left) + 1));
            }
        }
        children.addAll(process.descendants().toList());
    }

    List<String> output() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /** Ctrl-C: SIGINT to every process of the group, as a terminal sends it. */
    int interrupt(Duration timeout) throws Exception {
        new ProcessBuilder("kill", "-INT", "--", "-" + process.pid()).start().waitFor();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("./parley up did not stop within " + timeout + ". Output:\n" + String.join("\n", output()));
        }
        return process.exitValue();
    }

    /** The process started for {@code ./parley up} (the launcher, once bash has exec'd it). */
    ProcessHandle handle() {
        return process.toHandle();
    }

    /** The processes it had started, as seen while it ran. */
    List<ProcessHandle> children() {
        return List.copyOf(children);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}
