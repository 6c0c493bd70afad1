package im.parley.tuning;

import im.parley.eventing.runtime.trigger.EventingManifests;
import im.parley.eventing.runtime.trigger.TriggerDefinition;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Records a trace from a running eventing runtime's Prometheus endpoint ({@code ./parley up}: port 18082). Every
 * interval, per Trigger: the events that arrived and the mean function time of those dispatched in it (the
 * {@code parley_trigger_dispatch} timer's sum over its count, retries included). Arrivals are the events done, by
 * any outcome, plus the Trigger's share of the change in lag: the lag counts every record of the broker's topic,
 * the types the Trigger filters out among them, so its change is weighed by the share of the records read so far
 * that were the Trigger's (over the whole recording: a share per interval is too noisy at a few events each). In a cluster the same series come from Knative's dispatcher and KEDA's metrics
 * (docs/operations.md).
 */
public final class TraceRecorder {

    private static final Pattern SAMPLE = Pattern.compile("^(parley_trigger_[a-z_]+)\\{([^}]*)} ([0-9.eE+-]+)$");
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    /** One scrape: per Trigger, the events done, the lag, the dispatch timer's count and sum, and those filtered. */
    record Scrape(Map<String, double[]> byTrigger) {
        static final int DONE = 0;
        static final int LAG = 1;
        static final int COUNT = 2;
        static final int SUM = 3;
        static final int FILTERED = 4;
        static final int SIZE = 5;
    }

    private TraceRecorder() {
    }

    static Scrape parse(String text) {
        Map<String, double[]> by = new HashMap<>();
        for (String line : text.split("\n")) {
            Matcher m = SAMPLE.matcher(line.trim());
            if (!m.matches()) {
                continue;
            }
            Map<String, String> labels = new HashMap<>();
            Matcher l = LABEL.matcher(m.group(2));
            while (l.find()) {
                labels.put(l.group(1), l.group(2));
            }
            String trigger = labels.get("trigger");
            if (trigger == null) {
                continue;
            }
            double value = Double.parseDouble(m.group(3));
            double[] v = by.computeIfAbsent(trigger, t -> new double[Scrape.SIZE]);
            switch (m.group(1)) {
                case "parley_trigger_deliveries_total" -> v[Scrape.DONE] += value;
                case "parley_trigger_lag" -> v[Scrape.LAG] = value;
                case "parley_trigger_dispatch_seconds_count" -> v[Scrape.COUNT] = value;
                case "parley_trigger_dispatch_seconds_sum" -> v[Scrape.SUM] = value;
                case "parley_trigger_filtered_total" -> v[Scrape.FILTERED] = value;
                default -> { }
            }
        }
        return new Scrape(by);
    }

    /** The trace of consecutive scrapes taken {@code stepSeconds} apart; Triggers that saw no event are left out. */
    static Trace trace(List<Scrape> scrapes, double stepSeconds, EventingManifests manifests) {
        Map<String, List<Double>> rates = new LinkedHashMap<>();
        Map<String, List<Double>> service = new LinkedHashMap<>();
        Map<String, double[]> totals = new HashMap<>();
        for (int i = 1; i < scrapes.size(); i++) {
            for (Map.Entry<String, double[]> now : scrapes.get(i).byTrigger().entrySet()) {
                double[] before = scrapes.get(i - 1).byTrigger().getOrDefault(now.getKey(), new double[Scrape.SIZE]);
                double[] v = now.getValue();
                double done = v[Scrape.DONE] - before[Scrape.DONE];
                double read = done + v[Scrape.FILTERED] - before[Scrape.FILTERED];
                double[] sum = totals.computeIfAbsent(now.getKey(), t -> new double[2]);
                sum[0] += done;
                sum[1] += read;
                // Before anything was read, all of the lag counts as the Trigger's.
                double share = sum[1] > 0 ? sum[0] / sum[1] : 1.0;
                double arrived = Math.max(0, done + share * (v[Scrape.LAG] - before[Scrape.LAG]));
                List<Double> r = rates.computeIfAbsent(now.getKey(), t -> new ArrayList<>());
                while (r.size() < i - 1) {
                    r.add(0.0);
                }
                r.add(arrived / stepSeconds);
                double count = v[Scrape.COUNT] - before[Scrape.COUNT];
                if (count > 0) {
                    service.computeIfAbsent(now.getKey(), t -> new ArrayList<>())
                            .add((v[Scrape.SUM] - before[Scrape.SUM]) / count * 1000);
                }
            }
        }
        List<Trace.TriggerTrace> triggers = new ArrayList<>();
        for (TriggerDefinition t : manifests.triggers()) {
            List<Double> r = rates.get(t.name());
            if (r == null || r.stream().allMatch(x -> x == 0) || !service.containsKey(t.name())) {
                continue;
            }
            triggers.add(new Trace.TriggerTrace(t.name(), t.ordered(), manifests.topics().getOrDefault(t.topic(), 1), r,
                    service.get(t.name())));
        }
        return new Trace(stepSeconds, triggers);
    }

    static List<Scrape> record(URI metrics, Duration step, Duration length) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        List<Scrape> scrapes = new ArrayList<>();
        long next = System.nanoTime();
        long end = next + length.toNanos();
        while (next <= end) {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                throw new IOException(metrics + " answered " + answer.statusCode());
            }
            scrapes.add(parse(answer.body()));
            next += step.toNanos();
            Thread.sleep(Math.max(0, (next - System.nanoTime()) / 1_000_000));
        }
        return scrapes;
    }
}
