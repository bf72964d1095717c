package org.scorematch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * README's Java examples compile against the library: every {@code ```java} block that does not
 * use Spark becomes the body of a method, with the core's packages imported, and is compiled
 * with the JDK's compiler on the test class path.
 */
class ReadmeExamplesTest {
    private static final String IMPORTS = """
            import java.nio.file.Path;
            import java.util.SplittableRandom;
            import java.util.random.RandomGenerator;
            import org.scorematch.data.*;
            import org.scorematch.datasets.*;
            import org.scorematch.engine.*;
            import org.scorematch.expfam.*;
            import org.scorematch.io.*;
            import org.scorematch.linalg.*;
            import org.scorematch.metrics.*;
            import org.scorematch.model.*;
            import org.scorematch.objective.*;
            import org.scorematch.optim.*;
            import org.scorematch.sample.*;
            import org.scorematch.target.*;
            import org.scorematch.train.*;
            """;

    @Test
    void javaExamplesCompile(@org.junit.jupiter.api.io.TempDir Path out) throws IOException {
        List<String> blocks = new ArrayList<>();
        StringBuilder current = null;
        for (String line : Files.readAllLines(Path.of("../README.md"))) {
            if (current == null && line.strip().equals("```java")) {
                current = new StringBuilder();
            } else if (current != null && line.strip().equals("```")) {
                blocks.add(current.toString());
                current = null;
            } else if (current != null) {
                current.append(line).append('\n');
            }
        }
        List<JavaFileObject> sources = new ArrayList<>();
        int compiled = 0;
        for (int i = 0; i < blocks.size(); i++) {
            if (blocks.get(i).contains("Dataset<Row>") || blocks.get(i).contains("spark")) {
                continue;
            }
            String name = "ReadmeExample" + i;
            String code = IMPORTS + "class " + name + " {\n    void run() throws Exception {\n" + blocks.get(i) + "    }\n}\n";
            sources.add(new SimpleJavaFileObject(URI.create("string:///" + name + ".java"), JavaFileObject.Kind.SOURCE) {
                @Override
                public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return code;
                }
            });
            compiled++;
        }
        assertThat(compiled).as("README has Java examples").isGreaterThanOrEqualTo(3);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter errors = new StringWriter();
        try (StandardJavaFileManager files = javac.getStandardFileManager(null, null, null)) {
            boolean ok = javac.getTask(errors, files, null, List.of("-d", out.toString(), "-classpath",
                    System.getProperty("java.class.path") + File.pathSeparator + "target/classes", "-proc:none",
                    "-Xlint:none"), null, sources).call();
            assertThat(ok).as(errors.toString()).isTrue();
        }
    }
}
