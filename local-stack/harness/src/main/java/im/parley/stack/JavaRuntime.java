package im.parley.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** How child JVMs are launched: this JVM's java binary, and classpaths recorded at build time. */
final class JavaRuntime {

    private JavaRuntime() {
    }

    /** The servers' JDK: the one named by {@code parley.servers.java-home} (Cassandra 5.0 needs 17), else this one. */
    static String javaBinary() {
        String home = System.getProperty("parley.servers.java-home", System.getProperty("java.home"));
        return Path.of(home, "bin", "java").toString();
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
