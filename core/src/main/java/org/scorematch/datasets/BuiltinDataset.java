package org.scorematch.datasets;

import org.scorematch.data.Dataset;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.scorematch.io.CsvData;
import org.scorematch.linalg.Matrix;
import org.scorematch.target.AnalyticTargets;
import org.scorematch.target.GaussianMixture;
import org.scorematch.target.Target;

/**
 * Data sets available by name: 2-D toys, N-D targets with analytic scores (for which the Fisher
 * divergence can be measured), and real public data bundled with the library (see NOTICE).
 * Synthetic sets are drawn fresh from the generator passed in; real ones are fixed tables whose
 * label columns are left out.
 */
public enum BuiltinDataset implements org.scorematch.Identified {
    RING("8 Gaussians at radius 4, std 0.5 (2-D, analytic score)"),
    RINGS("two concentric noisy circles, radii 2 and 4 (2-D)"),
    CHECKERBOARD("uniform on the dark squares of a 4×4 board on [-4, 4]² (2-D)"),
    MOONS("two interleaving half circles with noise 0.1 (2-D)"),
    SPIRALS("two interleaved spiral arms (2-D)"),
    BANANA("x1 ~ N(0,1), x2 ~ N(x1², 0.5²) (2-D, analytic score)"),
    MIXTURE10("4 Gaussians at ±3e1, ±3e2, std 1 (10-D, analytic score)"),
    CORRELATED("N(0, Σ) with Σij = 0.8^|i-j| (5-D, analytic score)"),
    FUNNEL("Neal's funnel, v ~ N(0, 9), xi ~ N(0, e^v) (10-D, analytic score)"),
    FAITHFUL("Old Faithful eruptions and waiting times (272 × 2, real)"),
    IRIS("Fisher's iris measurements, species dropped (150 × 4, real)"),
    WINE("Wine recognition data, cultivar dropped (178 × 13, real)"),
    DIGITS("8×8 handwritten digits, values 0..16, label dropped (1797 × 64, real)");

    private final String description;

    BuiltinDataset(String description) {
        this.description = description;
    }

    /** One line saying what the data are. */
    public String description() {
        return description;
    }

    /** Parses {@link #id()}; the error lists the ids. */
    public static BuiltinDataset fromId(String id) {
        return org.scorematch.Identified.parse(BuiltinDataset.class, id, "data set");
    }

    /** Whether the data are a fixed real table rather than drawn from a generator. */
    public boolean isReal() {
        return ordinal() >= FAITHFUL.ordinal();
    }

    /** The distribution with its exact score, for the synthetic sets that have one. */
    public Optional<Target> target() {
        return Optional.ofNullable(switch (this) {
            case RING -> GaussianMixture.ring();
            case BANANA -> AnalyticTargets.banana();
            case MIXTURE10 -> GaussianMixture.mixture10();
            case CORRELATED -> AnalyticTargets.correlatedGaussian(5, 0.8);
            case FUNNEL -> AnalyticTargets.funnel(10);
            default -> null;
        });
    }

    /** {@code n} samples drawn from {@code rng} (synthetic sets), or the whole table (real sets). */
    public Dataset load(int n, RandomGenerator rng) {
        if (isReal()) {
            return readResource();
        }
        Optional<Target> t = target();
        double[] x = t.isPresent() ? t.get().sample(n, rng) : toy(n, rng);
        int d = t.map(Target::dimension).orElse(2);
        List<String> names = new ArrayList<>();
        for (int c = 0; c < d; c++) {
            names.add("x" + (c + 1));
        }
        return Dataset.of(id(), names, Matrix.of(n, d, x));
    }

    private double[] toy(int n, RandomGenerator rng) {
        double[] x = new double[2 * n];
        for (int i = 0; i < n; i++) {
            double a;
            double b;
            switch (this) {
                case RINGS -> {
                    double radius = rng.nextBoolean() ? 2 : 4;
                    double angle = 2 * Math.PI * rng.nextDouble();
                    a = radius * Math.cos(angle) + 0.1 * rng.nextGaussian();
                    b = radius * Math.sin(angle) + 0.1 * rng.nextGaussian();
                }
                case CHECKERBOARD -> {
                    // A dark cell (i + j even) of the 4×4 board of 2×2 cells, uniform inside it.
                    int col = rng.nextInt(4);
                    int row = 2 * rng.nextInt(2) + col % 2;
                    a = -4 + 2 * col + 2 * rng.nextDouble();
                    b = -4 + 2 * row + 2 * rng.nextDouble();
                }
                case MOONS -> {
                    double angle = Math.PI * rng.nextDouble();
                    if (rng.nextBoolean()) {
                        a = Math.cos(angle);
                        b = Math.sin(angle);
                    } else {
                        a = 1 - Math.cos(angle);
                        b = 0.5 - Math.sin(angle);
                    }
                    a = 2 * (a - 0.5) + 0.1 * rng.nextGaussian();
                    b = 2 * (b - 0.25) + 0.1 * rng.nextGaussian();
                }
                case SPIRALS -> {
                    double t = Math.sqrt(rng.nextDouble()) * 3 * Math.PI;
                    double sign = rng.nextBoolean() ? 1 : -1;
                    a = sign * (-Math.cos(t) * t) / 2.5 + 0.1 * rng.nextGaussian();
                    b = sign * (Math.sin(t) * t) / 2.5 + 0.1 * rng.nextGaussian();
                }
                default -> throw new IllegalStateException(id() + " is not a toy");
            }
            x[2 * i] = a;
            x[2 * i + 1] = b;
        }
        return x;
    }

    private Dataset readResource() {
        String label = switch (this) {
            case IRIS -> "species";
            case WINE -> "cultivar";
            case DIGITS -> "digit";
            default -> null;
        };
        String resource = id() + ".csv";
        try (Reader r = new InputStreamReader(BuiltinDataset.class.getResourceAsStream(resource),
                StandardCharsets.UTF_8)) {
            CsvData.Options options = new CsvData.Options(List.of(), label == null ? List.of() : List.of(label), false);
            Dataset d = CsvData.read(r, id(), options).dataset();
            return Dataset.of(id(), d.columns(), d.values());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("bundled data set " + id() + " is unreadable", e);
        }
    }
}
