package im.parley.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The launcher's own bookkeeping in the data dir: a lock so two launchers never share it, and pid files so a
 * launcher that was killed outright leaves nothing running after the next start.
 */
final class RunDirectory implements AutoCloseable {

    private final Path run;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private RunDirectory(Path run, FileChannel lockChannel, FileLock lock) {
        this.run = run;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    static RunDirectory claim(Path dataDir) {
        try {
            Path run = Files.createDirectories(dataDir.resolve("run"));
            FileChannel channel = FileChannel.open(run.resolve("launcher.lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                throw new IllegalStateException("another ./parley up is already running with data dir " + dataDir);
            }
            return new RunDirectory(run, channel, lock);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Kills what an earlier launcher, killed before it could clean up, left running. */
    void reapLeftovers(java.util.function.Consumer<String> report) {
        try (Stream<Path> files = Files.list(run)) {
            for (Path pidFile : files.filter(f -> f.toString().endsWith(".pid")).toList()) {
                String[] recorded = Files.readString(pidFile).trim().split(" ");
                long pid = Long.parseLong(recorded[0]);
                Optional<ProcessHandle> handle = ProcessHandle.of(pid);
                // The start time tells our process from an unrelated one that later got the same pid.
                boolean ours = recorded.length == 2 && handle.flatMap(h -> h.info().startInstant())
                        .map(t -> Long.toString(t.toEpochMilli()).equals(recorded[1])).orElse(false);
                if (ours) {
                    report.accept("stopping a leftover " + pidFile.getFileName().toString().replace(".pid", "")
                            + " (pid " + pid + ") from an earlier run");
                    handle.get().destroyForcibly();
                    handle.get().onExit().join();
                }
                Files.delete(pidFile);
            }
        } catch (IOException | NumberFormatException e) {
            report.accept("could not check for leftover processes: " + e.getMessage());
        }
    }

    void recordPid(String part, long pid) {
        String started = ProcessHandle.of(pid).flatMap(h -> h.info().startInstant())
                .map(t -> Long.toString(t.toEpochMilli())).orElse("unknown");
        try {
            Files.writeString(pidFile(part), pid + " " + started);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void forgetPid(String part) {
        try {
            Files.deleteIfExists(pidFile(part));
        } catch (IOException ignored) {
            // a stale pid file is checked against the command line before anything is killed
        }
    }

    private Path pidFile(String part) {
        return run.resolve(part.toLowerCase().replaceAll("[^a-z0-9]+", "-") + ".pid");
    }

    @Override
    public void close() {
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException ignored) {
            // the lock dies with the process anyway
        }
    }
}
