package org.scorematch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ClassArchiveRunTest {
    /**
     * Every command of the archiving run succeeds (the launcher ignores a failed run, so a renamed
     * flag would only leave the archive without the classes it should hold) and leaves no folder.
     */
    @Test
    void everyCommandSucceedsAndItsFolderIsRemoved() throws Exception {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        long before = countRunFolders(tmp);
        assertThat(ClassArchiveRun.run()).isZero();
        assertThat(countRunFolders(tmp)).isEqualTo(before);
    }

    private static long countRunFolders(Path tmp) throws Exception {
        try (Stream<Path> files = Files.list(tmp)) {
            return files.filter(p -> p.getFileName().toString().startsWith("scorematch-classes")).count();
        }
    }
}
