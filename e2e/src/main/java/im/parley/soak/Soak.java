package im.parley.soak;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./parley soak [messages] [minutes]}: traffic between pairs of devices on the Java client for most of the
 * time given, through the faults of {@link Faults}, then a drain (every message acked) and a last full read; then
 * {@link Checker} reads the history and the run fails on any violation. The history and every process's log stay
 * in e2e/target/soak/&lt;run&gt;/.
 */
public final class Soak {

    static final int PAIRS = 20;

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("check")) {
            Checker.main(new String[] {args[1]});
            return;
        }
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
        double minutes = args.length > 1 ? Double.parseDouble(args[1]) : 5;
        System.exit(run(messages, Duration.ofSeconds((long) (minutes * 60)), System.getProperty("java.class.path")) ? 0 : 1);
    }

    /**
     * @param classpath for the processes the soak starts
     * @return whether the checker found no violation
     */
    public static boolean run(int messages, Duration total, String classpath) throws Exception {
        // Traffic gets 70 % of the time; the drain and the final read the rest.
        Duration traffic = Duration.ofSeconds(total.toSeconds() * 70 / 100);
        Path dir = Path.of("target/soak", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")))
                .toAbsolutePath();
        Files.createDirectories(dir);
        List<Faults.Fault> faults = Faults.schedule(traffic);
        System.out.printf(Locale.ROOT, "soak: %d messages over %d s between %d pairs, in %s; faults:%n%s", messages,
                traffic.toSeconds(), PAIRS, dir, Faults.describe(faults));
        Path historyFile = dir.resolve("history.jsonl");
        try (History history = new History(historyFile); SoakStack stack = SoakStack.start(dir, classpath)) {
            Map<String, Device> devices = new LinkedHashMap<>();
            Map<String, List<Device>> conversations = new LinkedHashMap<>();
            for (int i = 0; i < PAIRS; i++) {
                String a = "sa" + i;
                String b = "sb" + i;
                Device da = new Device(a, "phone", stack.socketAddress(), () -> stack.token(a), history);
                Device db = new Device(b, "phone", stack.socketAddress(), () -> stack.token(b), history);
                devices.put(da.id, da);
                devices.put(db.id, db);
                String conversation = "d:" + a + ":" + b;
                conversations.put(conversation, List.of(da, db));
                for (Device d : List.of(da, db)) {
                    history.write(history.record("member").put("conv", conversation).put("dev", d.id));
                }
            }
            devices.values().forEach(Device::start);
            long start = System.nanoTime();
            awaitAll(devices.values(), Duration.ofSeconds(60));
            Thread faulting = new Thread(() -> inject(stack, faults, history, start), "soak-faults");
            faulting.start();

            Random random = new Random(11);
            List<String> ids = new ArrayList<>(conversations.keySet());
            long interval = traffic.toNanos() / messages;
            for (int n = 0; n < messages; n++) {
                long due = start + n * interval;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                String conversation = ids.get(random.nextInt(ids.size()));
                Device sender = conversations.get(conversation).get(random.nextInt(2));
                sender.send(conversation, "m" + n, "soak " + n + " from " + sender.user);
            }
            faulting.join();
            System.out.printf(Locale.ROOT, "soak: %d sent in %.0f s; draining%n", messages, (System.nanoTime() - start) / 1e9);
            long drainUntil = System.nanoTime() + total.minus(Duration.ofNanos(System.nanoTime() - start)).toNanos();
            while (devices.values().stream().anyMatch(d -> d.unacked() > 0) && System.nanoTime() < drainUntil) {
                Thread.sleep(500);
            }
            int unacked = devices.values().stream().mapToInt(Device::unacked).sum();
            if (unacked > 0) {
                System.out.printf("soak: %d messages still not acked at the end of the run (not counted as acked)%n", unacked);
            }
            conversations.forEach((conversation, pair) -> pair.forEach(d -> d.readEverything(conversation)));
            long readUntil = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            Thread.sleep(1_000);
            while (devices.values().stream().anyMatch(d -> !d.idle()) && System.nanoTime() < readUntil) {
                Thread.sleep(200);
            }
            devices.values().forEach(Device::close);
            history.flush();
        }
        Checker.Report report = Checker.check(historyFile);
        Checker.print(report);
        System.out.println("history: " + historyFile);
        return report.passed();
    }

    private static void awaitAll(Iterable<Device> devices, Duration limit) throws InterruptedException {
        long until = System.nanoTime() + limit.toNanos();
        for (Device d : devices) {
            while (!d.idle() && System.nanoTime() < until) {
                Thread.sleep(50);
            }
        }
    }

    private static void inject(SoakStack stack, List<Faults.Fault> faults, History history, long start) {
        for (Faults.Fault fault : faults) {
            long wait = start + fault.at().toNanos() - System.nanoTime();
            try {
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                history.write(history.record("fault").put("name", fault.name()).put("phase", "start"));
                System.out.printf(Locale.ROOT, "soak: %5.0f s  %s%n", (System.nanoTime() - start) / 1e9, fault.name());
                fault.action().run(stack);
                history.write(history.record("fault").put("name", fault.name()).put("phase", "end"));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                history.write(history.record("fault").put("name", fault.name()).put("phase", "failed").put("error", e.toString()));
                System.out.println("soak: fault failed: " + fault.name() + ": " + e);
            }
        }
    }
}
