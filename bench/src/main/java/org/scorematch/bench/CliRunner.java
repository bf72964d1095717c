package org.scorematch.bench;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.scorematch.cli.Main;

/** Runs {@code scorematch} commands in this JVM, as a user would from the shell, and returns what they print. */
final class CliRunner {
    private CliRunner() {
    }

    /** The command's standard output; an {@link IllegalStateException} with its output when it exits non-zero. */
    static String run(String... args) {
        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            code = Main.run(args);
        } finally {
            System.setOut(stdout);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        if (code != 0) {
            throw new IllegalStateException("scorematch " + String.join(" ", args) + " exited with " + code + ": "
                    + out.substring(0, Math.min(600, out.length())));
        }
        return out;
    }
}
