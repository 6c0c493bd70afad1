package im.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Both stores, one contract: none at first, then what was saved last; a file outlives its store. */
class CursorsTest {

    @TempDir
    Path dir;

    @Test
    void eachStoreGivesWhatWasSavedLast() {
        for (Cursors store : new Cursors[] {Cursors.inMemory(), Cursors.inFile(dir.resolve("a/cursors.json"))}) {
            assertThat(store.load()).isEmpty();
            store.save(Map.of("d:a:b", 3L));
            store.save(Map.of("d:a:b", 5L, "g:crew", 1L));
            assertThat(store.load()).containsExactlyInAnyOrderEntriesOf(Map.of("d:a:b", 5L, "g:crew", 1L));
        }
    }

    @Test
    void aFileIsFoundByTheNextProcess() {
        Cursors.inFile(dir.resolve("cursors.json")).save(Map.of("g:crew", 42L));
        assertThat(Cursors.inFile(dir.resolve("cursors.json")).load()).containsEntry("g:crew", 42L);
    }
}
