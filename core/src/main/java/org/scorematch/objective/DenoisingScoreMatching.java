package org.scorematch.objective;

import java.util.random.RandomGenerator;
import org.scorematch.engine.Engine;
import org.scorematch.model.Architecture;
import org.scorematch.model.NoiseLadder;

/**
 * Denoising score matching (Vincent 2011): with {@code x̃ = x + σε}, {@code ε ~ N(0, I)}, the
 * per-sample loss {@code λ(σ)·½‖s(x̃, σ) + ε/σ‖²}, whose minimiser is the score of the data
 * convolved with {@code N(0, σ²I)}.
 *
 * <ul>
 *   <li>single level: one fixed σ, λ = 1 (docs/DESIGN.md §1);</li>
 *   <li>multi-scale (NCSN, Song &amp; Ermon 2019): one σ per sample drawn uniformly from the
 *       model's {@link NoiseLadder}, λ(σ) = σ², for noise-conditional models.</li>
 * </ul>
 *
 * <p>Works for energies and score networks alike through {@link ScoreLoss}; on an energy the
 * θ-gradient costs one extra first-order jet, not D backward passes.
 */
public final class DenoisingScoreMatching implements Objective {
    private final double sigma;

    private DenoisingScoreMatching(double sigma) {
        this.sigma = sigma;
    }

    /** Single-level denoising at noise {@code sigma}. */
    public static DenoisingScoreMatching singleLevel(double sigma) {
        if (!(sigma > 0) || !Double.isFinite(sigma)) {
            throw new IllegalArgumentException("the denoising noise level must be positive, got " + sigma);
        }
        return new DenoisingScoreMatching(sigma);
    }

    /** Multi-scale denoising over the noise ladder of the (noise-conditional) model. */
    public static DenoisingScoreMatching multiScale() {
        return new DenoisingScoreMatching(Double.NaN);
    }

    /** Whether σ is drawn per sample from the model's ladder. */
    public boolean isMultiScale() {
        return Double.isNaN(sigma);
    }

    /** The single noise level (NaN for multi-scale). */
    public double sigma() {
        return sigma;
    }

    @Override
    public String id() {
        return isMultiScale() ? "multiscale" : "denoising";
    }

    @Override
    public double lossAndGradient(Engine engine, Architecture arch, double[] theta, double[] x, int n,
                                  RandomGenerator rng, double[] grad) {
        Noise noise = drawNoise(arch.ladder(), n, arch.dimension(), rng);
        return lossAndGradientWith(engine, arch, theta, x, n, noise.sigmas, noise.eps, grad);
    }

    /** A score field of the noisy data: row i of the answer is {@code s(x̃ᵢ, σᵢ)}. */
    @FunctionalInterface
    public interface NoisyScore {
        double[] at(double[] noisy, int n, double[] sigmas);
    }

    /**
     * The loss of any score field {@code s(x̃, σ)} on rows {@code x} (n × D), with noise drawn
     * exactly as {@link #lossAndGradient} draws it (same generator calls, so the same seed gives
     * the same σᵢ and εᵢ): {@code (1/n) Σᵢ λ(σᵢ)·½‖s(xᵢ + σᵢεᵢ, σᵢ) + εᵢ/σᵢ‖²}. At the exact score
     * of the noised data the expectation is the objective's constant, e.g. for data N(μ, Σ) and
     * λ = σ²: {@code ½·meanᵢ(D − σᵢ² tr(Σ + σᵢ²I)⁻¹)} (Vincent 2011). {@code ladder} is the
     * model's ladder for multi-scale and ignored for a single level.
     */
    public double lossOf(NoisyScore score, double[] x, int n, int d, NoiseLadder ladder, RandomGenerator rng) {
        Noise noise = drawNoise(ladder, n, d, rng);
        double[] noisy = perturb(x, n, d, noise.sigmas, noise.eps);
        double[] s = score.at(noisy, n, noise.sigmas);
        return rowLosses(s, noise.eps, noise.sigmas, 0, n, d, null, 1.0) / n;
    }

    /** Per-sample σᵢ and standard normal εᵢ (n × D). */
    private record Noise(double[] sigmas, double[] eps) {
    }

    private Noise drawNoise(NoiseLadder ladder, int n, int d, RandomGenerator rng) {
        double[] sigmas = new double[n];
        if (isMultiScale()) {
            if (ladder == null) {
                throw new IllegalArgumentException("multiscale denoising needs a noise-conditional model (a noise ladder)");
            }
            for (int i = 0; i < n; i++) {
                sigmas[i] = ladder.sigma(rng.nextInt(ladder.size()));
            }
        } else {
            java.util.Arrays.fill(sigmas, sigma);
        }
        double[] eps = new double[n * d];
        for (int i = 0; i < eps.length; i++) {
            eps[i] = rng.nextGaussian();
        }
        return new Noise(sigmas, eps);
    }

    private static double[] perturb(double[] x, int n, int d, double[] sigmas, double[] eps) {
        if (x.length < n * d) {
            throw new IllegalArgumentException("batch has fewer than " + n + " rows of " + d);
        }
        double[] noisy = new double[n * d];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < d; c++) {
                noisy[i * d + c] = x[i * d + c] + sigmas[i] * eps[i * d + c];
            }
        }
        return noisy;
    }

    /**
     * {@code Σ_b λ(σ)·½‖s_b + ε_b/σ‖²} over the {@code count} rows of {@code s} (samples
     * {@code first..}); when {@code sBar} is non-null it receives {@code scale·λ·(s_b + ε_b/σ)}.
     */
    private double rowLosses(double[] s, double[] eps, double[] sigmas, int first, int count, int d, double[] sBar,
                             double scale) {
        boolean weighted = isMultiScale();
        double loss = 0;
        for (int b = 0; b < count; b++) {
            double sg = sigmas[first + b];
            double lambda = weighted ? sg * sg : 1;
            for (int c = 0; c < d; c++) {
                double r = s[b * d + c] + eps[(first + b) * d + c] / sg;
                loss += lambda * 0.5 * r * r;
                if (sBar != null) {
                    sBar[b * d + c] = lambda * r * scale;
                }
            }
        }
        return loss;
    }

    /**
     * The loss for given noise: sample i is perturbed by {@code sigmas[i]·eps[i]}. Deterministic,
     * for reference-value tests.
     */
    public double lossAndGradientWith(Engine engine, Architecture arch, double[] theta, double[] x, int n,
                                      double[] sigmas, double[] eps, double[] grad) {
        int d = arch.dimension();
        double[] in = arch.networkInput(perturb(x, n, d, sigmas, eps), n, sigmas);
        double scale = 1.0 / n;
        double total = engine.run(arch.network(), n, 2, (ws, first, count, g) ->
                ScoreLoss.lossAndBackprop(arch, ws, theta, in, sigmas, first, count,
                        (s, sBar) -> rowLosses(s, eps, sigmas, first, count, d, sBar, scale), g), grad);
        return total * scale;
    }
}
