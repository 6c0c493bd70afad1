package im.parley.soak;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The faults of a run, on a schedule fixed at the start and printed: the messaging service killed (SIGKILL) every
 * 30 s and started again; once each, the tier, Redis, Kafka and Cassandra killed and started again; Redis put back
 * to a snapshot some seconds old (what a failover to a lagging replica leaves); Cassandra stopped (SIGSTOP) longer
 * than a store timeout; Kafka unreachable (stopped) for longer than 30 s. Each is recorded in the history.
 */
final class Faults {

    interface Action {
        void run(SoakStack stack) throws Exception;
    }

    record Fault(Duration at, String name, Action action) {
    }

    /** The one-off faults, spread over the traffic window; the messaging kills fill the rest. */
    static List<Fault> schedule(Duration traffic) {
        List<Fault> faults = new ArrayList<>();
        long seconds = traffic.toSeconds();
        for (long t = 30; t < seconds - 10; t += 30) {
            faults.add(new Fault(Duration.ofSeconds(t), "kill the messaging service (SIGKILL), start it 2 s later", s -> {
                s.killMessaging();
                Thread.sleep(2_000);
                s.startMessaging();
            }));
        }
        String[] names = {"snapshot Redis (kept for the restore)", "kill the connection tier, start it 1 s later",
                "restore Redis from the snapshot (a failover to a replica behind)", "stop Cassandra (SIGSTOP) for 8 s",
                "kill Kafka, start it again", "kill Redis, start it empty", "stop Kafka (SIGSTOP) for 35 s",
                "kill Cassandra, start it again"};
        Action[] actions = {
            SoakStack::snapshotRedis,
            s -> {
                s.killTier();
                Thread.sleep(1_000);
                s.startTier();
            },
            s -> s.restartRedis(true),
            s -> pause(s.cassandra.pid(), Duration.ofSeconds(8)),
            s -> {
                s.kafka.kill();
                s.kafka.start();
            },
            s -> s.restartRedis(false),
            s -> pause(s.kafka.pid(), Duration.ofSeconds(35)),
            s -> {
                s.cassandra.kill();
                s.cassandra.start();
            }
        };
        for (int i = 0; i < names.length; i++) {
            // From 10 % to 85 % of the window; the snapshot comes 15 s before its restore.
            long at = i == 0 ? Math.max(5, seconds * 25 / 100 - 15) : seconds * (10 + 75L * i / names.length) / 100;
            faults.add(new Fault(Duration.ofSeconds(at), names[i], actions[i]));
        }
        faults.sort((a, b) -> a.at().compareTo(b.at()));
        return faults;
    }

    static String describe(List<Fault> faults) {
        StringBuilder out = new StringBuilder();
        for (Fault f : faults) {
            out.append(String.format(Locale.ROOT, "  at %4d s  %s%n", f.at().toSeconds(), f.name()));
        }
        return out.toString();
    }

    private static void pause(long pid, Duration length) throws Exception {
        SoakStack.signal(pid, "STOP");
        try {
            Thread.sleep(length.toMillis());
        } finally {
            SoakStack.signal(pid, "CONT");
        }
    }
}
