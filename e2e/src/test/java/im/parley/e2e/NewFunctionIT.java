package im.parley.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A product team's first step: {@code ./parley new-function} on a copy of this tree, then the build and the tests of
 * what it generated (its handler's unit test, the catalog, schema and manifest tests, and its full-stack test over a
 * real socket), as {@code ./parley test} runs them, with nothing edited by hand.
 */
class NewFunctionIT {

    @TempDir
    Path copy;

    @Test
    void aGeneratedFunctionBuildsAndPassesItsOwnAndTheProjectsTests() throws Exception {
        copyTree(ParleyUp.REPO, copy);
        git("init", "-q");
        git("add", "-A");
        git("-c", "user.name=scaffold", "-c", "user.email=scaffold@parley.invalid", "commit", "-q", "-m", "the tree");

        // What ./parley new-function runs, from the launcher this build made (./parley would build the copy first).
        Path launcher = ParleyUp.REPO.resolve("local-stack/launcher/target");
        String classpath = launcher.resolve("classes") + ":" + Files.readString(launcher.resolve("launcher.classpath")).trim();
        String greeting = scaffold(classpath, "greeting", "--frame", "greet", "--description",
                "Greets the sender's other devices.");
        assertThat(greeting).contains("functions/greeting/pom.xml", "e2e/src/test/java/im/parley/e2e/GreetingFunctionIT.java");
        // A second consumer of a type the core has: its record comes from the type's schema.
        assertThat(scaffold(classpath, "read-stats", "--on", "im.parley.receipt.read"))
                .contains("functions/read-stats/src/main/java/im/parley/readstats/ReceiptRead.java");

        // Beside new files, generation touches only the lists Maven and Kustomize keep, and the catalog.
        List<String> changed = git("status", "--porcelain").lines().filter(l -> !l.startsWith("??")).toList();
        assertThat(changed).containsExactlyInAnyOrder(" M keda/kustomization.yaml", " M local-stack/launcher/pom.xml",
                " M manifests/base/eventing/kustomization.yaml", " M manifests/base/functions/kustomization.yaml",
                " M pom.xml", " M schemas/cloudevents/catalog.yaml");

        // Offline: the build that runs this test has fetched every plugin and library already. First the unit tests of
        // the function and of every module it builds on (the contract's catalog and schema tests among them) and of
        // the manifests, then its full-stack test.
        maven("test", "-pl", "functions/greeting,functions/read-stats,manifests", "-am");
        maven("verify", "-pl", "e2e", "-am", "-Dtest=none", "-Dsurefire.failIfNoSpecifiedTests=false",
                "-Dit.test=GreetingFunctionIT,ReadStatsFunctionIT", "-Dfailsafe.failIfNoSpecifiedTests=false");

        assertThat(ran(copy.resolve("functions/greeting/target/surefire-reports"), "im.parley.greeting.GreetingFunctionTest"))
                .isEqualTo(2);
        assertThat(ran(copy.resolve("functions/read-stats/target/surefire-reports"),
                "im.parley.readstats.ReadStatsFunctionTest")).isEqualTo(2);
        assertThat(ran(copy.resolve("e2e/target/failsafe-reports"), "im.parley.e2e.GreetingFunctionIT")).isEqualTo(1);
        assertThat(ran(copy.resolve("e2e/target/failsafe-reports"), "im.parley.e2e.ReadStatsFunctionIT")).isEqualTo(1);
        assertThat(ran(copy.resolve("manifests/target/surefire-reports"), "im.parley.manifests.ManifestConsistencyTest"))
                .isPositive();
    }

    /** What ./parley new-function prints, run in the copy. */
    String scaffold(String classpath, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, "im.parley.scaffold.NewFunction"));
        command.addAll(List.of(args));
        Process scaffold = new ProcessBuilder(command).directory(copy.toFile()).redirectErrorStream(true).start();
        String printed = new String(scaffold.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(scaffold.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(scaffold.exitValue()).as(printed).isZero();
        return printed;
    }

    /** What git prints, run in the copy. */
    String git(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        Process git = new ProcessBuilder(command).directory(copy.toFile()).redirectErrorStream(true).start();
        String printed = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(git.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(git.exitValue()).as(printed).isZero();
        return printed;
    }

    void maven(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("./mvnw", "-o", "-B"));
        command.addAll(List.of(args));
        Path log = copy.resolve("build.log");
        Process maven = new ProcessBuilder(command).directory(copy.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        assertThat(maven.waitFor(10, TimeUnit.MINUTES)).as("the build ends within 10 minutes").isTrue();
        assertThat(maven.exitValue()).as(tail(Files.readString(log))).isZero();
    }

    /** Tests run, none failed, from a surefire or failsafe report. */
    static int ran(Path reports, String testClass) throws IOException {
        String xml = Files.readString(reports.resolve("TEST-" + testClass + ".xml"));
        Matcher suite = Pattern.compile("<testsuite [^>]*").matcher(xml);
        assertThat(suite.find()).isTrue();
        for (String counter : List.of("failures", "errors")) {
            assertThat(suite.group()).as(testClass).contains(counter + "=\"0\"");
        }
        Matcher tests = Pattern.compile(" tests=\"(\\d+)\"").matcher(suite.group());
        assertThat(tests.find()).isTrue();
        return Integer.parseInt(tests.group(1));
    }

    /** The tracked and untracked files of the source tree, not what .gitignore names (such as target/). */
    static void copyTree(Path from, Path to) throws Exception {
        Process git = new ProcessBuilder("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
                .directory(from.toFile()).start();
        String files = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(git.waitFor(30, TimeUnit.SECONDS)).isTrue();
        for (String file : files.split("\0")) {
            Path source = from.resolve(file);
            if (file.isEmpty() || !Files.isRegularFile(source)) {
                continue;
            }
            Path target = to.resolve(file);
            Files.createDirectories(target.getParent());
            Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
        }
    }

    static String tail(String output) {
        List<String> lines = new ArrayList<>(output.lines().toList());
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
    }
}
