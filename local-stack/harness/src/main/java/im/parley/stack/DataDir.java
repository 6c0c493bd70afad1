package im.parley.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** Where a server keeps its files: a fixed directory that survives, or a temporary one deleted on close. */
public record DataDir(Path path, boolean temporary) {

    public static DataDir temporary(String server) {
        try {
            return new DataDir(Files.createTempDirectory("parley-" + server + "-"), true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static DataDir persistent(Path path) {
        try {
            return new DataDir(Files.createDirectories(path.toAbsolutePath()), false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void deleteIfTemporary() {
        if (!temporary || !Files.exists(path)) {
            return;
        }
        try {
            Files.walkFileTree(path, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + path, e);
        }
    }
}
