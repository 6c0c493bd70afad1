package im.parley.stack;

import java.nio.file.Path;
import java.time.Duration;

/** What every harness server shares: a data dir, a child process, and how it is stopped. */
abstract class ProcessServer implements LocalServer {

    private final DataDir dir;
    private final Duration stopGrace;
    final ManagedProcess process;

    ProcessServer(DataDir dir, String logName, Duration stopGrace) {
        this.dir = dir;
        this.stopGrace = stopGrace;
        this.process = new ManagedProcess(name(), dir.path().resolve(logName));
    }

    @Override
    public void stop() {
        process.stop(stopGrace);
    }

    @Override
    public void kill() {
        process.kill();
    }

    @Override
    public boolean isRunning() {
        return process.isAlive();
    }

    @Override
    public long pid() {
        return process.isAlive() ? process.pid() : -1;
    }

    @Override
    public Path dataDir() {
        return dir.path();
    }

    /** True when the data dir is deleted on close: nothing in it has to outlive the process. */
    boolean throwaway() {
        return dir.temporary();
    }

    @Override
    public Path logFile() {
        return process.logFile();
    }

    @Override
    public void close() {
        if (throwaway()) {
            kill(); // its files are deleted next: a graceful stop would only spend seconds flushing them
        }
        stop();
        dir.deleteIfTemporary();
    }
}
