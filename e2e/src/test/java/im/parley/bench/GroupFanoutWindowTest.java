package im.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.node.ObjectNode;
import im.parley.eventing.EventJson;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** P5's CPU per message: each process and thread group less its idle rate, medians over the windows. */
class GroupFanoutWindowTest {

    static GroupFanout.Window window(double ms, double launcher, double redis, Map<String, Double> launcherThreads) {
        return new GroupFanout.Window(new MessagingBenchmark.Cpu(Map.of("launcher", launcher, "Redis", redis),
                Map.of("launcher", launcherThreads, "Redis", Map.of("redis-server", redis))), ms);
    }

    @Test
    void idleIsTakenOutAndAThreadGroupSeenInOneWindowOnlyIsCounted() {
        // Idle: the launcher uses 0.1 cores (its event loops), Redis nothing.
        List<GroupFanout.Window> idle = List.of(window(500, 0.05, 0, Map.of("epoll", 0.05)),
                window(500, 0.05, 0, Map.of("epoll", 0.05)));
        List<GroupFanout.Window> messages = List.of(
                window(200, 0.12, 0.03, Map.of("epoll", 0.12)),
                window(200, 0.16, 0.03, Map.of("epoll", 0.14, "C2 CompilerThre", 0.02)),
                window(200, 0.18, 0.04, Map.of("epoll", 0.14, "C2 CompilerThre", 0.04)));

        ObjectNode processes = EventJson.MAPPER.createObjectNode();
        GroupFanout.Window.describe(processes, messages, idle);
        assertThat(processes.path("launcher").asDouble()).isCloseTo(140, within(1e-6)); // 160 less 20 idle
        assertThat(processes.path("Redis").asDouble()).isCloseTo(30, within(1e-6));
        assertThat(processes.path("all").asDouble()).isCloseTo(170, within(1e-6));

        ObjectNode threads = EventJson.MAPPER.createObjectNode();
        GroupFanout.Window.describeThreads(threads, messages, idle);
        assertThat(threads.path("launcher").path("epoll").asDouble()).isCloseTo(120, within(1e-6));
        assertThat(threads.path("launcher").path("C2 CompilerThre").asDouble()).isCloseTo(20, within(1e-6));
        assertThat(threads.path("Redis").path("redis-server").asDouble()).isCloseTo(30, within(1e-6));
    }
}
