package im.parley.tuning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import im.parley.eventing.runtime.trigger.EventingManifests;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceTest {

    static String scrape(double done, double dead, double lag, double count, double sum, double filtered) {
        return "# HELP parley_trigger_lag …\n"
                + "parley_trigger_deliveries_total{outcome=\"succeeded\",trigger=\"receipt-read\",} " + done + "\n"
                + "parley_trigger_deliveries_total{outcome=\"dead-lettered\",trigger=\"receipt-read\",} " + dead + "\n"
                + "parley_trigger_lag{trigger=\"receipt-read\",} " + lag + "\n"
                + "parley_trigger_dispatch_seconds_count{trigger=\"receipt-read\",} " + count + "\n"
                + "parley_trigger_dispatch_seconds_sum{trigger=\"receipt-read\",} " + sum + "\n"
                + "parley_trigger_filtered_total{trigger=\"receipt-read\",} " + filtered + "\n"
                + "parley_trigger_lag{trigger=\"sync-requested\",} 0.0\n";
    }

    @Test
    void arrivalsAreWhatWasDonePlusTheTriggersShareOfWhatTheLagGrewAndServiceIsTheTimersMeanPerStep() {
        List<TraceRecorder.Scrape> scrapes = List.of(
                TraceRecorder.parse(scrape(100, 1, 5, 101, 0.5, 0)),
                // 30 done and 30 of other types read: half the lag's growth of 10 is the Trigger's, 35 arrived; 5 ms each.
                TraceRecorder.parse(scrape(130, 1, 15, 131, 0.65, 30)),
                // 21 done, none filtered: of all read so far, 51 of 81 were the Trigger's, so that share of the lag's
                // fall of 15 was: 21 - 9.44 = 11.56 arrived; 10 ms each.
                TraceRecorder.parse(scrape(150, 2, 0, 152, 0.86, 30)));
        Trace trace = TraceRecorder.trace(scrapes, 2, EventingManifests.load(Path.of("../manifests/overlays/local")));
        assertThat(trace.triggers()).singleElement().satisfies(t -> {
            assertThat(t.name()).isEqualTo("receipt-read");
            assertThat(t.ordered()).isTrue();
            assertThat(t.partitions()).isPositive();
            assertThat(t.rates()).hasSize(2);
            assertThat(t.rates().get(0)).isCloseTo(17.5, within(1e-9));
            assertThat(t.rates().get(1)).isCloseTo((21 - 15 * 51.0 / 81) / 2, within(1e-9));
            assertThat(t.serviceMs()).hasSize(2);
            assertThat(t.serviceMs().get(0)).isCloseTo(5.0, within(1e-6));
            assertThat(t.serviceMs().get(1)).isCloseTo(10.0, within(1e-6));
        });
    }

    @Test
    void aSyntheticTraceFollowsItsDailyCurveWithItsBurstAndRoundTrips(@TempDir Path dir) throws Exception {
        Trace.TriggerTrace t = TraceSynthesis.of(new TraceSynthesis.Shape("receipt-read", true, 24, 1000, 2, 42,
                List.of(new TraceSynthesis.Burst(100, 10, 500)), 4, 0.5), 1);
        assertThat(t.rates()).hasSize(1000);
        assertThat(t.rates().get(0)).isCloseTo(2, within(1e-9));
        assertThat(t.rates().get(500)).isCloseTo(42, within(1e-9));
        assertThat(t.rates().get(105)).isGreaterThan(500);
        double median = t.serviceMs().stream().sorted().toList().get(500);
        assertThat(median).isCloseTo(4, within(0.4));

        Path file = dir.resolve("trace.json");
        new Trace(1, List.of(t)).write(file);
        assertThat(Trace.read(file)).isEqualTo(new Trace(1, List.of(t)));
    }
}
