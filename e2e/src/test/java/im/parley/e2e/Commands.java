package im.parley.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A command run to its end as a user runs it, its output kept in a file; it must succeed within the time given. */
final class Commands {

    private Commands() {
    }

    /** @return the output, standard error included */
    static String run(Path dir, Map<String, String> env, Duration limit, List<String> command) throws Exception {
        Path log = Files.createTempFile("command-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(env);
        Process p = builder.start();
        boolean ended = p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
        if (!ended) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        String out = Files.readString(log);
        Files.delete(log);
        assertThat(ended).as("%s did not end within %s: %s", String.join(" ", command), limit, out).isTrue();
        assertThat(p.exitValue()).as("%s: %s", String.join(" ", command), out).isZero();
        return out;
    }
}
