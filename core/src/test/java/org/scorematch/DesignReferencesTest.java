package org.scorematch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The design document is in the repository and every citation of it resolves: each
 * {@code DESIGN.md §n} in the sources, scripts and documents names {@code docs/DESIGN.md} and a
 * section {@code ## n.} that it has.
 */
class DesignReferencesTest {
    private static final Path ROOT = Path.of("..");

    @Test
    void everyCitationNamesAnExistingSection() throws IOException {
        Path design = ROOT.resolve("docs/DESIGN.md");
        assertThat(design).exists();
        String text = Files.readString(design);
        Pattern cite = Pattern.compile("(\\S*)DESIGN\\.md( §(\\d+))?");
        List<String> broken = new ArrayList<>();
        int citations = 0;
        try (Stream<Path> files = Files.walk(ROOT)) {
            for (Path f : (Iterable<Path>) files.filter(DesignReferencesTest::source)::iterator) {
                String s = Files.readString(f);
                Matcher m = cite.matcher(s);
                while (m.find()) {
                    citations++;
                    boolean path = m.group(1).contains("docs/");
                    boolean section = m.group(3) == null || text.contains("\n## " + m.group(3) + ". ");
                    if (!path || !section) {
                        broken.add(ROOT.relativize(f) + ": " + m.group());
                    }
                }
            }
        }
        assertThat(citations).as("the sources cite the design").isGreaterThan(20);
        assertThat(broken).isEmpty();
    }

    private static boolean source(Path f) {
        String name = f.toString();
        return Files.isRegularFile(f) && !name.contains("/target/") && !name.contains("/.git/")
                && !name.endsWith("docs/DESIGN.md") && !name.endsWith("DesignReferencesTest.java")
                && (name.endsWith(".java") || name.endsWith(".md") || name.endsWith(".py") || name.endsWith(".sh"));
    }
}
