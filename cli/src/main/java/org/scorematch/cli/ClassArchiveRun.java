package org.scorematch.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The run the launcher archives classes from: the commands users run most, each for a few steps
 * in one JVM, in a temporary folder that is removed afterwards. Not a user command.
 *
 * <p>The launcher lists the classes this run loads ({@code -XX:DumpLoadedClassList}), dumps them
 * with the JDK's own into a static class-data archive once per build and maps it on every later
 * start. An archive holds only the classes its run loaded, so archiving whichever
 * command a user happened to run first left the others loading and verifying hundreds of classes
 * on each start: a {@code train} after a first {@code datasets} started 0.4 s later than with an
 * archive from a training run (issue 15's whole process, BENCHMARKS.md).
 */
public final class ClassArchiveRun {
    private ClassArchiveRun() {
    }

    /** Trains an energy and a score network on small data, samples and scores; exits non-zero if a command fails. */
    public static void main(String[] args) throws IOException {
        System.exit(run());
    }

    /** The commands' run: the largest of their exit codes, their output discarded and their folder removed. */
    static int run() throws IOException {
        Path dir = Files.createTempDirectory("scorematch-classes");
        PrintStream out = System.out;
        PrintStream err = System.err;
        PrintStream discard = new PrintStream(OutputStream.nullOutputStream());
        int status = 0;
        try {
            System.setOut(discard);
            System.setErr(discard);
            String energy = dir.resolve("energy.safetensors").toString();
            String samples = dir.resolve("samples.csv").toString();
            String[][] commands = {
                {"train", "--steps", "3", "--out", energy},
                {"sample", "--model", energy, "--n", "64", "--steps", "3", "--out", samples},
                {"train", "--data", samples, "--model", "score", "--objective", "denoising", "--steps", "3",
                    "--out", dir.resolve("score.safetensors").toString()},
                {"score", "--model", energy, "--data", samples, "--out", dir.resolve("scores.csv").toString()}};
            for (String[] command : commands) {
                status = Math.max(status, Main.run(command));
            }
        } finally {
            System.setOut(out);
            System.setErr(err);
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> {
                    try {
                        Files.delete(p);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
        }
        return status;
    }
}
