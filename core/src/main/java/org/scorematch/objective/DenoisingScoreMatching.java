package org.scorematch.objective;

import java.util.random.RandomGenerator;
import org.scorematch.engine.Engine;
import org.scorematch.model.Architecture;
import org.scorematch.model.NoiseLadder;
import org.scorematch.model.Sde;

/**
 * Denoising score matching (Vincent 2011): with {@code x̃ = x + σε}, {@code ε ~ N(0, I)}, the
 * per-sample loss {@code λ(σ)·½‖s(x̃, σ) + ε/σ‖²}, whose minimiser is the score of the data
 * convolved with {@code N(0, σ²I)}.
 *
 * <ul>
 *   <li>single level: one fixed σ, λ = 1 (docs/DESIGN.md §1);</li>
 *   <li>multi-scale (NCSN, Song &amp; Ermon 2019): one σ per sample drawn uniformly from the
 *       model's {@link NoiseLadder}, λ(σ) = σ², for noise-conditional models;</li>
 *   <li>continuous time (Song et al. 2021, eq. 7): per sample {@code t ~ U(ε, 1)} and
 *       {@code x̃ = m(t)x + σ(t)ε} from an {@link Sde}'s perturbation kernel, λ = σ(t)², the
 *       noise-conditional network taking {@code log σ(t)}. Its minimiser is the score of the
 *       noised marginal {@code p_t} at every t, which the SDE's reverse-time samplers use.</li>
 * </ul>
 *
 * <p>Works for energies and score networks alike through {@link ScoreLoss}; on an energy the
 * θ-gradient costs one extra first-order jet, not D backward passes.
 */
public final class DenoisingScoreMatching implements Objective {
    /** Default smallest time of continuous-time training (Song et al. 2021 use 1e-5). */
    public static final double DEFAULT_EPSILON = 1e-5;

    private final double sigma;
    private final Sde sde;
    private final double epsilon;
    /** Times for the likelihood weighting; null for λ = σ² (or without an SDE). */
    private final ImportanceTimes likelihoodTimes;

    private DenoisingScoreMatching(double sigma, Sde sde, double epsilon, Weighting weighting) {
        this.sigma = sigma;
        this.sde = sde;
        this.epsilon = epsilon;
        this.likelihoodTimes = weighting == Weighting.LIKELIHOOD ? new ImportanceTimes(sde, epsilon) : null;
    }

    /** Single-level denoising at noise {@code sigma}. */
    public static DenoisingScoreMatching singleLevel(double sigma) {
        if (!(sigma > 0) || !Double.isFinite(sigma)) {
            throw new IllegalArgumentException("the denoising noise level must be positive, got " + sigma);
        }
        return new DenoisingScoreMatching(sigma, null, 0, Weighting.SIGMA2);
    }

    /** Multi-scale denoising over the noise ladder of the (noise-conditional) model. */
    public static DenoisingScoreMatching multiScale() {
        return new DenoisingScoreMatching(Double.NaN, null, 0, Weighting.SIGMA2);
    }

    /** Continuous-time denoising under {@code sde} with λ = σ(t)², {@code t ~ U(epsilon, 1)}. */
    public static DenoisingScoreMatching continuous(Sde sde, double epsilon) {
        return continuous(sde, epsilon, Weighting.SIGMA2);
    }

    /**
     * Continuous-time denoising under {@code sde} with the given weighting; for
     * {@link Weighting#LIKELIHOOD} (λ = g(t)², Song et al. 2021, NeurIPS) t is drawn by importance
     * sampling ({@link ImportanceTimes}) and each sample's loss is {@code Z·σ(t)²·½‖s + ε/σ‖²}.
     */
    public static DenoisingScoreMatching continuous(Sde sde, double epsilon, Weighting weighting) {
        if (!(epsilon > 0) || !(epsilon < 1)) {
            throw new IllegalArgumentException("the smallest time ε must lie in (0, 1), got " + epsilon);
        }
        return new DenoisingScoreMatching(Double.NaN, sde, epsilon, weighting);
    }

    /** The weighting of continuous-time denoising ({@link Weighting#SIGMA2} for the others). */
    public Weighting weighting() {
        return likelihoodTimes != null ? Weighting.LIKELIHOOD : Weighting.SIGMA2;
    }

    /** Whether σ is drawn per sample from the model's ladder. */
    public boolean isMultiScale() {
        return Double.isNaN(sigma) && sde == null;
    }

    /** The SDE of continuous-time denoising, else null. */
    public Sde sde() {
        return sde;
    }

    /** The single noise level (NaN for multi-scale). */
    public double sigma() {
        return sigma;
    }

    @Override
    public String id() {
        // The SDE belongs to the model (its file names it); the objective answers to its setting's name.
        return sde != null ? "diffusion" : isMultiScale() ? "multiscale" : "denoising";
    }

    @Override
    public String settings() {
        return sde != null ? id() + " epsilon=" + epsilon + " weighting=" + weighting().id()
                : isMultiScale() ? id() : id() + " sigma=" + sigma;
    }

    @Override
    public double lossAndGradient(Engine engine, Architecture arch, double[] theta, double[] x, int n,
                                  RandomGenerator rng, double[] grad) {
        if (sde != null && !arch.isConditional()) {
            throw new IllegalArgumentException("continuous-time denoising needs a noise-conditional model");
        }
        Noise noise = drawNoise(engine, arch.ladder(), x, n, arch.dimension(), rng);
        return lossOn(engine, arch, theta, noise.noisy, n, noise.sigmas, noise.eps, grad);
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
        Noise noise = drawNoise(null, ladder, x, n, d, rng);
        double[] s = score.at(noise.noisy, n, noise.sigmas);
        return rowLosses(s, noise.eps, noise.sigmas, 0, n, d, null, 1.0) / n;
    }

    /** Per-sample σᵢ, standard normal εᵢ and the noisy rows {@code mᵢxᵢ + σᵢεᵢ} (n × D each). */
    private record Noise(double[] sigmas, double[] eps, double[] noisy) {
    }

    /** Keys of the buffers a step reuses through {@link Engine#scratch}. */
    private static final Object SIGMAS = new Object();
    private static final Object MEANS = new Object();
    private static final Object NOISE = new Object();
    private static final Object NOISY = new Object();
    private static final Object INPUT = new Object();

    /** The engine's reusable buffer under {@code key}, or a new array without an engine. */
    private static double[] buffer(Engine engine, Object key, int length) {
        return engine == null ? new double[length] : engine.scratch(key, length);
    }

    /**
     * Draws σᵢ (and the kernel's mean factors mᵢ) on the caller's thread, then ε and the noisy rows
     * in blocks on the engine's threads from one seed of {@code rng} ({@link GaussianNoise}).
     */
    private Noise drawNoise(Engine engine, NoiseLadder ladder, double[] x, int n, int d, RandomGenerator rng) {
        double[] sigmas = buffer(engine, SIGMAS, n);
        double[] means = null;
        if (sde != null) {
            means = buffer(engine, MEANS, n);
            for (int i = 0; i < n; i++) {
                double t = likelihoodTimes != null ? likelihoodTimes.draw(rng) : epsilon + (1 - epsilon) * rng.nextDouble();
                sigmas[i] = sde.sigma(t);
                means[i] = sde.mean(t);
            }
        } else if (isMultiScale()) {
            if (ladder == null) {
                throw new IllegalArgumentException("multiscale denoising needs a noise-conditional model (a noise ladder)");
            }
            for (int i = 0; i < n; i++) {
                sigmas[i] = ladder.sigma(rng.nextInt(ladder.size()));
            }
        } else {
            java.util.Arrays.fill(sigmas, sigma);
        }
        double[] eps = buffer(engine, NOISE, n * d);
        double[] noisy = buffer(engine, NOISY, n * d);
        GaussianNoise.perturb(engine, rng.nextLong(), x, means, sigmas, n, d, eps, noisy);
        return new Noise(sigmas, eps, noisy);
    }

    private static double[] perturb(Engine engine, double[] x, int n, int d, double[] sigmas, double[] eps) {
        if (x.length < n * d) {
            throw new IllegalArgumentException("batch has fewer than " + n + " rows of " + d);
        }
        double[] noisy = buffer(engine, NOISY, n * d);
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
        boolean weighted = Double.isNaN(sigma);
        double z = likelihoodTimes == null ? 1 : likelihoodTimes.normalizer();
        double[] r = sBar != null ? sBar : new double[d];
        double loss = 0;
        for (int b = 0; b < count; b++) {
            double sg = sigmas[first + b];
            double lambda = weighted ? z * sg * sg : 1;
            int row = sBar != null ? b * d : 0;
            loss += lambda * 0.5 * residualRow(s, b * d, eps, (first + b) * d, 1 / sg, lambda * scale, d, r, row);
        }
        return loss;
    }

    /**
     * One row's residual {@code ρ = s[at..] + eps[noise..]·(1/σ)} (a product with the reciprocal,
     * within an ulp of the quotient, where a division per value costs several multiplications):
     * writes {@code w·ρ} to {@code r[row..]} and returns {@code ‖ρ‖²}, in one pass with four
     * partial sums (a single running sum waits on each addition).
     */
    private static double residualRow(double[] s, int at, double[] eps, int noise, double inverse, double w, int d,
                                      double[] r, int row) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int c = 0;
        for (; c + 3 < d; c += 4) {
            double r0 = s[at + c] + eps[noise + c] * inverse;
            double r1 = s[at + c + 1] + eps[noise + c + 1] * inverse;
            double r2 = s[at + c + 2] + eps[noise + c + 2] * inverse;
            double r3 = s[at + c + 3] + eps[noise + c + 3] * inverse;
            s0 += r0 * r0;
            s1 += r1 * r1;
            s2 += r2 * r2;
            s3 += r3 * r3;
            r[row + c] = w * r0;
            r[row + c + 1] = w * r1;
            r[row + c + 2] = w * r2;
            r[row + c + 3] = w * r3;
        }
        for (; c < d; c++) {
            double r0 = s[at + c] + eps[noise + c] * inverse;
            s0 += r0 * r0;
            r[row + c] = w * r0;
        }
        return (s0 + s1) + (s2 + s3);
    }

    /**
     * The loss for given noise: sample i is perturbed by {@code sigmas[i]·eps[i]} (for the
     * continuous objective, {@code x} holds the rows already scaled by m(tᵢ)). Deterministic, for
     * reference-value tests.
     */
    public double lossAndGradientWith(Engine engine, Architecture arch, double[] theta, double[] x, int n,
                                      double[] sigmas, double[] eps, double[] grad) {
        return lossOn(engine, arch, theta, perturb(engine, x, n, arch.dimension(), sigmas, eps), n, sigmas, eps, grad);
    }

    /** The loss and θ-gradient at the noisy rows {@code x + σε}, in slabs on the engine's threads. */
    private double lossOn(Engine engine, Architecture arch, double[] theta, double[] noisy, int n, double[] sigmas,
                          double[] eps, double[] grad) {
        int d = arch.dimension();
        double[] in = arch.isConditional() ? arch.networkInput(noisy, n, sigmas,
                engine.scratch(INPUT, arch.network().inputDim() * n)) : noisy;
        double scale = 1.0 / n;
        double total = engine.run(arch.network(), n, 2, (ws, first, count, g) ->
                ScoreLoss.lossAndBackprop(arch, ws, theta, in, sigmas, first, count,
                        (s, sBar) -> rowLosses(s, eps, sigmas, first, count, d, sBar, scale), g), grad);
        return total * scale;
    }
}
