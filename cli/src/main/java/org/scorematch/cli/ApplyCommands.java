package org.scorematch.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.scorematch.ScorematchException;
import org.scorematch.data.Dataset;
import org.scorematch.io.CsvData;
import org.scorematch.io.ModelFile;
import org.scorematch.linalg.Matrix;
import org.scorematch.model.TrainedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Commands that apply a trained model to data: {@code score} and {@code energy}. */
final class ApplyCommands {
    private ApplyCommands() {
    }

    /** What both commands share: the model, the data and the output file. */
    abstract static class Apply extends ModelCommand {
        @Option(names = "--out", required = true, paramLabel = "FILE", description = "CSV file to write (atomically).")
        Path out;

        @Override
        public Integer call() {
            TrainedModel m = input.load();
            // By default read the columns the model was trained on, when the file has them.
            Dataset d = input.dataFor(m, input.hasData() && hasAll(input.data.data, m.columns()) ? m.columns() : null, "",
                    spec.commandLine().getOut());
            apply(m, d);
            spec.commandLine().getOut().printf("wrote %d rows to %s%n", d.rows(), out);
            return 0;
        }

        abstract void apply(TrainedModel m, Dataset d);

        private static boolean hasAll(Path file, List<String> columns) {
            if (file.toString().endsWith(".npy")) {
                return false;
            }
            try (var reader = java.nio.file.Files.newBufferedReader(file)) {
                String header = reader.readLine();
                if (header == null) {
                    return false;
                }
                List<String> names = new ArrayList<>();
                for (String h : header.split(",")) {
                    names.add(h.strip().replace("\"", ""));
                }
                return names.containsAll(columns);
            } catch (java.io.IOException | RuntimeException e) {
                return false;
            }
        }
    }

    @Command(name = "score", mixinStandardHelpOptions = true,
            description = "Write the score ∇ₓ log p (in the data's units) of each row as CSV, one column per input column.",
            footer = {"", "Examples:", "  scorematch score --model faithful.safetensors --data faithful.csv --out scores.csv"})
    static final class Score extends Apply {
        @Override
        void apply(TrainedModel m, Dataset d) {
            Matrix s = m.score(d.values());
            List<String> header = new ArrayList<>();
            for (String c : d.columns()) {
                header.add("score_" + c);
            }
            CsvData.write(out, header, s);
        }
    }

    @Command(name = "energy", mixinStandardHelpOptions = true,
            description = {"Write the energy E(x) of each row as CSV (energy models only): p(x) ∝ exp(−E(x)) in the "
                    + "data's units, so −E is the log-density up to one constant."},
            footer = {"", "Examples:", "  scorematch energy --model faithful.safetensors --data faithful.csv --out energy.csv"})
    static final class Energy extends Apply {
        @Override
        void apply(TrainedModel m, Dataset d) {
            double[] e = m.energy(d.values());
            CsvData.write(out, List.of("energy"), Matrix.of(e.length, 1, e));
        }
    }
}
