package im.parley.tuning;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * What each Trigger was asked to do over time: its arrival rate per step and the time its function took per event,
 * as measured ({@code ./parley trace record}) or made up from a few parameters ({@code ./parley trace synth}).
 *
 * @param stepSeconds the length of one step of {@link TriggerTrace#rates}
 */
public record Trace(double stepSeconds, List<TriggerTrace> triggers) {

    /**
     * @param ordered    one event in flight per partition (Knative's ordered delivery)
     * @param partitions of the broker topic the Trigger reads
     * @param rates      events per second, one value per step
     * @param serviceMs  the function's time per event: samples, drawn from at random
     */
    public record TriggerTrace(String name, boolean ordered, int partitions, List<Double> rates, List<Double> serviceMs) {

        public TriggerTrace {
            if (partitions < 1 || rates.isEmpty() || serviceMs.isEmpty()) {
                throw new IllegalArgumentException(name + ": a trace needs partitions, rates and service times");
            }
        }

        public double seconds(double stepSeconds) {
            return rates.size() * stepSeconds;
        }
    }

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public static Trace read(Path file) throws IOException {
        return JSON.readValue(file.toFile(), Trace.class);
    }

    public void write(Path file) throws IOException {
        JSON.writeValue(file.toFile(), this);
    }
}
