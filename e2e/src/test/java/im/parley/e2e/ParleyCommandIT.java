package im.parley.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ./parley command's own answers, as a new user meets them: help at once, and a typo never taken as a name. */
class ParleyCommandIT {

    @TempDir
    Path dataDir;

    private record Result(int exit, String out, String err) {
    }

    private static Result parley(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", ParleyUp.REPO.resolve("parley").toString()));
        command.addAll(List.of(args));
        // No PARLEY_SKIP_BUILD: help must not build, whatever the environment says.
        ProcessBuilder builder = new ProcessBuilder(command).directory(ParleyUp.REPO.toFile());
        builder.environment().remove("PARLEY_SKIP_BUILD");
        Process p = builder.start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("./parley %s answered within 30 s", String.join(" ", args)).isTrue();
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void upHelpAndAMisspeltOptionAnswerWithoutBuildingAnything() throws Exception {
        for (String help : List.of("--help", "-h")) {
            long t0 = System.nanoTime();
            Result r = parley("up", help);
            assertThat(r.exit()).isZero();
            assertThat(r.out()).contains("Usage: ./parley up", "--data-dir DIR", "--port-offset N", "--partitions N")
                    .doesNotContain("building");
            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0)).isLessThan(10);
        }
        Result typo = parley("up", "--data-dri", "x");
        assertThat(typo.exit()).isEqualTo(2);
        assertThat(typo.err()).contains("unknown option --data-dri", "./parley up --help");
        assertThat(typo.out()).doesNotContain("building");
    }

    @Test
    void tokenHelpPrintsTheUsageAndAnOptionIsNeverAUser() throws Exception {
        Result help = parley("token", "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).startsWith("Usage: ./parley token").doesNotContain("eyJ");

        Result typo = parley("token", "--dta-dir", dataDir.toString(), "alice");
        assertThat(typo.exit()).isEqualTo(2);
        assertThat(typo.out()).isEmpty();
        assertThat(typo.err()).contains("unknown option --dta-dir");

        Result token = parley("token", "--data-dir", dataDir.toString(), "alice", "phone");
        assertThat(token.exit()).isZero();
        assertThat(token.out().trim()).matches("eyJ[\\w-]+\\.[\\w-]+\\.[\\w-]+");
    }

    @Test
    void newFunctionHelpAnswersWithoutBuildingAndATypoIsRefused() throws Exception {
        Result help = parley("new-function", "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).startsWith("Usage: ./parley new-function NAME").contains("--frame FRAME", "--on TYPE",
                "--ephemeral");
        Result none = parley("new-function");
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).startsWith("Usage: ./parley new-function");
        // The launcher is built by now (e2e runs after it), so the scaffold itself answers.
        Result typo = parley("new-function", "typing", "--frame", "typing", "--ephemeral", "--kye", "user");
        assertThat(typo.exit()).isEqualTo(2);
        assertThat(typo.err()).contains("unknown option --kye", "./parley new-function --help");
    }

    @Test
    void anUnknownCommandSaysSoAndHelpIsNotAnError() throws Exception {
        Result unknown = parley("upp");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown command: upp", "./parley up");
        Result help = parley("--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("./parley up", "./parley test", "./parley token", "./parley new-function");
    }
}
