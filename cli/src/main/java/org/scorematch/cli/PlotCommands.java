package org.scorematch.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.scorematch.ScorematchException;
import org.scorematch.data.Dataset;
import org.scorematch.engine.Engine;
import org.scorematch.io.AtomicFiles;
import org.scorematch.io.CsvData;
import org.scorematch.io.ModelFile;
import org.scorematch.linalg.Matrix;
import org.scorematch.metrics.Evaluation;
import org.scorematch.model.EnergyModel;
import org.scorematch.model.TrainedModel;
import org.scorematch.plot.Figure;
import org.scorematch.plot.FigureFiles;
import org.scorematch.plot.Figures;
import org.scorematch.plot.Report;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code scorematch plot} and {@code scorematch report}. */
final class PlotCommands {
    private PlotCommands() {
    }

    /** What both share: the model, the data, sampling for sample-based figures. */
    abstract static class Base extends ModelCommand {
        @Option(names = "--samples", paramLabel = "FILE", description = "Model samples (CSV from sample); drawn if absent.")
        Path samples;

        @Option(names = "--log", paramLabel = "FILE", description = "Training log (CSV from train --log) for the loss curve.")
        Path log;

        @Option(names = "--seed", defaultValue = "1", description = "Seed for drawn samples. Default: ${DEFAULT-VALUE}.")
        long seed;

        TrainedModel m;
        Dataset ds;

        /** Writes the command's file from {@link #m} and {@link #ds}; returns the line that says what was written. */
        abstract String write();

        @Override
        public final Integer call() {
            load();
            spec.commandLine().getOut().println(write());
            return 0;
        }

        void load() {
            m = input.load();
            ds = input.dataFor(m, m.columns(), " (the figures show the model against data)", spec.commandLine().getOut());
        }

        Matrix samples(int n) {
            if (samples != null) {
                return CsvData.read(samples, new CsvData.Options(m.columns(), List.of(), false)).dataset().values();
            }
            try (Engine engine = Engine.create(Runtime.getRuntime().availableProcessors())) {
                return Evaluation.draw(m, n, Evaluation.Options.defaults(), engine, new SplittableRandom(seed));
            }
        }

        Figure figure(String kind) {
            int d = m.dimension();
            return switch (kind) {
                case "density" -> Figures.density(m, ds.values(), 150);
                case "score" -> Figures.score(m, ds.values(), 25);
                case "samples" -> Figures.samples(samples(Math.max(1000, ds.rows())), ds.values(), m.columns(), 0,
                        Math.min(1, d - 1));
                case "pairs" -> {
                    int[] cols = new int[Math.min(d, 4)];
                    for (int i = 0; i < cols.length; i++) {
                        cols[i] = i;
                    }
                    yield Figures.pairs(samples(Math.max(1000, ds.rows())), ds.values(), m.columns(), cols);
                }
                case "energy" -> {
                    if (!(m.model() instanceof EnergyModel)) {
                        throw new ScorematchException("a score model has no energy to histogram");
                    }
                    Matrix s = samples(Math.max(1000, ds.rows()));
                    yield Figures.energies(List.of("model samples", "data"), List.of(m.energy(s), m.energy(ds.values())));
                }
                case "images" -> Figures.images(samples(100), ds.values());
                case "loss" -> {
                    if (log == null) {
                        throw new ScorematchException("--kind loss needs --log FILE (written by train --log)");
                    }
                    yield Figures.loss(log);
                }
                default -> throw new ScorematchException("unknown --kind '" + kind
                        + "'; expected density, score, samples, loss, pairs, energy or images");
            };
        }
    }

    @Command(name = "plot", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Draw one figure as PNG or SVG (by the output's extension), headless: density (heat map of "
                    + "exp(−E) with the data, 2-D energy models), score (arrow field, 2-D), samples (model samples against "
                    + "data), loss (training and held-out loss from train --log), pairs (2-D marginals of the first four "
                    + "columns), energy (histograms of energies of samples and data, for thresholds) or images (model "
                    + "samples and data rows as pictures, for square images such as the 8×8 digits).", ""},
            footer = {"", "Examples:",
                    "  scorematch plot --model faithful.safetensors --data faithful.csv --kind density --out density.png",
                    "  scorematch plot --model m.safetensors --data d.csv --kind loss --log log.csv --out loss.svg",
                    "  scorematch plot --model wine.safetensors --data wine.csv --drop cultivar --kind pairs --out pairs.png"})
    static final class Plot extends Base {
        @Option(names = "--kind", required = true, description = "density, score, samples, loss, pairs, energy or images.")
        String kind;

        @Option(names = "--width", defaultValue = "900", description = "Pixels. Default: ${DEFAULT-VALUE}.")
        int width;

        @Option(names = "--height", defaultValue = "680", description = "Pixels. Default: ${DEFAULT-VALUE}.")
        int height;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "FILE.png or FILE.svg.")
        Path out;

        @Override
        String write() {
            FigureFiles.write(figure(kind), out, width, height);
            return "wrote " + out;
        }
    }

    @Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Write one self-contained HTML file: model card, evaluation table and every figure that applies.",
            footer = {"", "Examples:",
                    "  scorematch report --model faithful.safetensors --data test.csv --train train.csv --log log.csv "
                            + "--out report.html"})
    static final class ReportCommand extends Base {
        @Option(names = "--train", paramLabel = "FILE", description = "Training data for the likelihood baselines (CSV).")
        Path train;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "HTML file to write.")
        Path out;

        @Override
        String write() {
            Matrix trainRows = ModelAndData.baselineRows(train, m);
            var evaluation = new java.util.LinkedHashMap<String, Object>();
            evaluation.put("model file", input.model.toString());
            evaluation.put("test data", ds.source());
            try (Engine engine = Engine.create(Runtime.getRuntime().availableProcessors())) {
                evaluation.putAll(Evaluation.run(m, ds, null, trainRows, Evaluation.Options.defaults(), engine));
            }
            List<Report.Entry> figures = new ArrayList<>();
            boolean energy = m.model() instanceof EnergyModel;
            if (m.dimension() == 2 && energy) {
                figures.add(new Report.Entry("Density ∝ exp(−E) with the test data", figure("density")));
            }
            if (m.dimension() == 2) {
                figures.add(new Report.Entry("Score field", figure("score")));
            }
            figures.add(new Report.Entry(m.dimension() == 2 ? "Model samples and data" : "Pair plot of the first columns",
                    figure(m.dimension() == 2 ? "samples" : "pairs")));
            if (energy) {
                figures.add(new Report.Entry("Energies of samples and data", figure("energy")));
            }
            int side = (int) Math.round(Math.sqrt(m.dimension()));
            if (side >= 4 && side * side == m.dimension()) {
                figures.add(new Report.Entry("Model samples and data as images", figure("images")));
            }
            if (log != null) {
                figures.add(new Report.Entry("Training curve", figure("loss")));
            }
            String html = Report.html("scorematch report: " + input.model.getFileName(), m, evaluation, figures);
            AtomicFiles.write(out, o -> o.write(html.getBytes(StandardCharsets.UTF_8)));
            return "wrote " + out + " (" + figures.size() + " figures)";
        }

        /** The figures share one set of drawn samples. */
        private Matrix cached;

        @Override
        Matrix samples(int n) {
            if (cached == null) {
                cached = super.samples(n);
            }
            return cached;
        }
    }
}
