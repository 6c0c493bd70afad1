package im.parley.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** How child JVMs are launched: this JVM's java binary, and classpaths recorded at build time. */
final class JavaRuntime {

    private JavaRuntime() {
    }

    /** This JVM's java binary. */
    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * Cassandra's java binary: the JDK named by {@code parley.cassandra.java-home}, else this one. Cassandra 5.0 runs
     * on Java 11 and 17 only, and {@code ./parley up} runs its launcher on 25 (decision 0050).
     */
    static String cassandraJavaBinary() {
        String home = System.getProperty("parley.cassandra.java-home", System.getProperty("java.home"));
        return Path.of(home, "bin", "java").toString();
    }

    /**
     * Kafka's java binary and JDK flags: this JVM's JDK, with compact object headers from 25 on, where they are a
     * product flag (decision 0051).
     */
    static List<String> kafkaJava() {
        return Runtime.version().feature() >= 25
                ? List.of(javaBinary(), "-XX:+UseCompactObjectHeaders")
                : List.of(javaBinary());
    }

    /** A classpath recorded by a *-runtime module (see local-stack/kafka-runtime/pom.xml). */
    static String recordedClasspath(String server) {
        String resource = "im/parley/stack/" + server + ".classpath";
        try (InputStream in = JavaRuntime.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing: build local-stack/" + server
                        + "-runtime first (./mvnw install -DskipTests)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
