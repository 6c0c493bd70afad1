package im.parley.stack;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A child process whose output goes to a log file. Start waits for a readiness probe and fails fast,
 * with the log's tail, if the process dies or the deadline passes: it never hangs.
 */
public final class ManagedProcess {

    private static final Path SETSID = Path.of("/usr/bin/setsid");

    private final String name;
    private final Path logFile;
    private Process process;
    private Thread reaper;

    public ManagedProcess(String name, Path logFile) {
        this.name = name;
        this.logFile = logFile;
    }

    public void start(List<String> command, Map<String, String> env, Path workDir, BooleanSupplier ready, Duration timeout) {
        try {
            Files.createDirectories(logFile.getParent());
            ProcessBuilder builder = new ProcessBuilder(ownSession(command))
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            builder.environment().putAll(env);
            process = builder.start();
        } catch (IOException e) {
            throw new ServerStartException(name, "cannot run " + command.get(0) + ": " + e.getMessage(), e);
        }
        // If this JVM exits without stopping us, the child must not outlive it; it still gets a graceful stop.
        reaper = new Thread(() -> stop(Duration.ofSeconds(30)), name + "-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new ServerStartException(name, "process exited with code " + process.exitValue(), tail(40));
            }
            if (safely(ready)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                kill();
                throw new ServerStartException(name, "not ready after " + timeout.toSeconds() + " s", tail(40));
            }
            sleep(100);
        }
    }

    /**
     * The command in a session of its own ({@code setsid} execs it, so the pid is the server's). Ctrl-C in a terminal
     * signals the whole foreground process group: without this, the servers would stop at once, before the parts
     * that use them, instead of in the order the owner stops them.
     */
    static List<String> ownSession(List<String> command) {
        if (!Files.isExecutable(SETSID)) {
            return command;
        }
        List<String> inSession = new java.util.ArrayList<>(command.size() + 1);
        inSession.add(SETSID.toString());
        inSession.addAll(command);
        return inSession;
    }

    /** Runs a command to completion (a setup step), failing with its output if it fails. */
    public static void run(String name, List<String> command, Path workDir, Path logFile, Duration timeout) {
        ManagedProcess step = new ManagedProcess(name, logFile);
        try {
            Files.createDirectories(logFile.getParent());
            Process p = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new ServerStartException(name, "did not finish in " + timeout.toSeconds() + " s", step.tail(30));
            }
            if (p.exitValue() != 0) {
                throw new ServerStartException(name, "exited with code " + p.exitValue(), step.tail(30));
            }
        } catch (IOException e) {
            throw new ServerStartException(name, "cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServerStartException(name, "interrupted", e);
        }
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    public long pid() {
        return process == null ? -1 : process.pid();
    }

    /** SIGTERM, then SIGKILL after grace. */
    public void stop(Duration grace) {
        if (process == null || !process.isAlive()) {
            forgetReaper();
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        forgetReaper();
    }

    /** SIGKILL: for crash tests and for cleanup. */
    public void kill() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void forgetReaper() {
        if (reaper != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(reaper);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or will run; nothing to undo
            }
            reaper = null;
        }
    }

    public Path logFile() {
        return logFile;
    }

    /** The last lines of the log, read from its end so a huge log costs nothing. */
    public String tail(int lines) {
        if (!Files.exists(logFile)) {
            return "";
        }
        try (RandomAccessFile file = new RandomAccessFile(logFile.toFile(), "r")) {
            long length = file.length();
            int chunk = (int) Math.min(length, 64 * 1024);
            byte[] bytes = new byte[chunk];
            file.seek(length - chunk);
            file.readFully(bytes);
            String[] all = new String(bytes, StandardCharsets.UTF_8).split("\n");
            int from = Math.max(0, all.length - lines);
            return String.join("\n", java.util.Arrays.copyOfRange(all, from, all.length));
        } catch (IOException e) {
            return "(cannot read " + logFile + ": " + e.getMessage() + ")";
        }
    }

    private static boolean safely(BooleanSupplier probe) {
        try {
            return probe.getAsBoolean();
        } catch (RuntimeException notYet) {
            return false;
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
