package org.scorematch.objective;

import java.util.random.RandomGenerator;
import org.scorematch.engine.Engine;
import org.scorematch.model.Architecture;
import org.scorematch.model.NoiseLadder;
import org.scorematch.model.ScoreView;

/**
 * Denoising score matching (Vincent 2011): with {@code x̃ = x + σε}, {@code ε ~ N(0, I)}, the
 * per-sample loss {@code λ(σ)·½‖s(x̃, σ) + ε/σ‖²}, whose minimiser is the score of the data
 * convolved with {@code N(0, σ²I)}.
 *
 * <ul>
 *   <li>single level: one fixed σ, λ = 1 (DESIGN.md §1);</li>
 *   <li>multi-scale (NCSN, Song &amp; Ermon 2019): one σ per sample drawn uniformly from the
 *       model's {@link NoiseLadder}, λ(σ) = σ², for noise-conditional models.</li>
 * </ul>
 *
 * <p>Works for energies and score networks alike through {@link ScoreView}; on an energy the
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
        int d = arch.dimension();
        double[] sigmas = new double[n];
        NoiseLadder ladder = arch.ladder();
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
        return lossAndGradientWith(engine, arch, theta, x, n, sigmas, eps, grad);
    }

    /**
     * The loss for given noise: sample i is perturbed by {@code sigmas[i]·eps[i]}. Deterministic,
     * for reference-value tests.
     */
    public double lossAndGradientWith(Engine engine, Architecture arch, double[] theta, double[] x, int n,
                                      double[] sigmas, double[] eps, double[] grad) {
        int d = arch.dimension();
        if (x.length < n * d) {
            throw new IllegalArgumentException("batch has fewer than " + n + " rows of " + d);
        }
        double[] noisy = new double[n * d];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < d; c++) {
                noisy[i * d + c] = x[i * d + c] + sigmas[i] * eps[i * d + c];
            }
        }
        double[] in = arch.networkInput(noisy, n, sigmas);
        boolean weighted = isMultiScale();
        double scale = 1.0 / n;
        double total = engine.run(arch.network(), n, 2, (ws, first, count, g) ->
                ScoreView.lossAndBackprop(arch, ws, theta, in, sigmas, first, count, (s, sBar) -> {
                    double loss = 0;
                    for (int b = 0; b < count; b++) {
                        double sg = sigmas[first + b];
                        double lambda = weighted ? sg * sg : 1;
                        for (int c = 0; c < d; c++) {
                            double r = s[b * d + c] + eps[(first + b) * d + c] / sg;
                            loss += lambda * 0.5 * r * r;
                            sBar[b * d + c] = lambda * r * scale;
                        }
                    }
                    return loss;
                }, g), grad);
        return total * scale;
    }
}
