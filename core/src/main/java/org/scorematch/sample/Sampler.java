package org.scorematch.sample;

import java.util.random.RandomGenerator;
import org.scorematch.ScorematchException;
import org.scorematch.model.NoiseLadder;

/**
 * Batched samplers over many independent chains, all randomness from the generator passed in.
 *
 * <ul>
 *   <li>{@link Kind#LANGEVIN}, unadjusted: {@code x ← x + (η/2)s(x) + √η ε}. Biased by O(η): for
 *       N(0, s²) its stationary variance is {@code s²/(1 − η/(4s²))} (docs/DESIGN.md §4).</li>
 *   <li>{@link Kind#MALA}: the Langevin proposal with a Metropolis–Hastings correction from the
 *       energy, {@code log α = E(x) − E(x') + log q(x|x') − log q(x'|x)},
 *       {@code q(x'|x) = N(x + (η/2)s(x), ηI)}; during burn-in η adapts towards a target
 *       acceptance rate (0.574 by default) by {@code log η += (a − target)/√(t+1)}.</li>
 *   <li>{@link Kind#HMC} for energies: L leapfrog steps of size η with unit mass, L drawn
 *       afresh each iteration uniformly from {@value #LEAPFROG}/2 … 3·{@value #LEAPFROG}/2 (a
 *       fixed path length can be periodic for the target, e.g. Lη = π on N(0, 1) maps x to −x;
 *       Neal 2011, §5.4.2.2), momentum refreshed each iteration, accepted with probability
 *       {@code min(1, exp(H₀ − H₁))}, {@code H = E + ½‖p‖²}; η adapts during burn-in towards the
 *       target acceptance (0.65 by default) like MALA's.</li>
 *   <li>{@link Kind#TEMPERING}, replica exchange (Swendsen &amp; Wang 1986; Geyer 1991) for energies
 *       with separated modes: K replicas of every chain at temperatures {@code T₁ = 1 < … < T_K}
 *       (geometric), each moved by MALA on {@code exp(−E/T_k)} with its own step size adapted
 *       during burn-in; after every sweep neighbouring temperatures propose to swap states, on even
 *       sweeps the pairs (1,2), (3,4), …, on odd sweeps (2,3), (4,5), … (the deterministic
 *       even–odd scheme of Okabe et al. 2001, non-reversible and faster to cross the ladder; Syed
 *       et al. 2021), accepted with probability {@code min(1, exp((1/T_k − 1/T_{k+1})(E_k − E_{k+1})))}.
 *       Samples come from the T = 1 replicas. One temperature is MALA exactly.</li>
 *   <li>{@link Kind#ANNEALED} (Song &amp; Ermon 2019): for each level σᵢ of the model's ladder,
 *       largest first, T Langevin steps at {@code ηᵢ = η·σᵢ²/σ_L²} with the score at σᵢ.</li>
 * </ul>
 *
 * Samples are taken after {@code burnIn} steps, every {@code thin}-th step, from every chain.
 */
public final class Sampler {
    /** Which dynamics. */
    public enum Kind implements org.scorematch.Identified {
        LANGEVIN, MALA, ANNEALED, HMC, TEMPERING;


        /** Parses {@link #id()}; the error lists the ids. */
        public static Kind fromId(String id) {
            return org.scorematch.Identified.parse(Kind.class, id, "sampler", "auto");
        }
    }

    /**
     * Settings: {@code steps} per chain after burn-in (per level for annealed), {@code stepSize}
     * η, {@code burnIn} steps, {@code thin} (keep every thin-th state), the acceptance rate that
     * MALA, HMC and tempering adapt η towards during burn-in, and for tempering the
     * {@code temperatures} of its ladder (ignored by the other samplers).
     */
    public record Options(Kind kind, int steps, double stepSize, int burnIn, int thin, double targetAcceptance,
                          Temperatures temperatures) {
        public Options {
            if (steps < 1 || !(stepSize > 0) || burnIn < 0 || thin < 1 || !(targetAcceptance > 0 && targetAcceptance < 1)) {
                throw new ScorematchException("sampler needs steps ≥ 1, step size > 0, burn-in ≥ 0, thin ≥ 1 and a target "
                        + "acceptance in (0, 1)");
            }
            java.util.Objects.requireNonNull(temperatures, "temperatures");
        }

        /** Settings with the default temperature ladder for dimension 1 (only tempering uses it). */
        public Options(Kind kind, int steps, double stepSize, int burnIn, int thin, double targetAcceptance) {
            this(kind, steps, stepSize, burnIn, thin, targetAcceptance, Temperatures.defaultFor(1));
        }

        /** Settings without burn-in that keep the last state of each chain, at the default target acceptance. */
        public static Options of(Kind kind, int steps, double stepSize) {
            return new Options(kind, steps, stepSize, 0, steps, defaultAcceptance(kind));
        }

        /**
         * The acceptance rate that is optimal as D → ∞ for product targets: 0.574 for MALA (and the
         * MALA moves of tempering; Roberts &amp; Rosenthal 1998), 0.651 for HMC (Beskos et al.
         * 2013); 0.65 for HMC here.
         */
        public static double defaultAcceptance(Kind kind) {
            return kind == Kind.HMC ? 0.65 : 0.574;
        }
    }

    /**
     * A geometric temperature ladder {@code T_k = T_max^{(k−1)/(K−1)}}, k = 1..K, for
     * {@link Kind#TEMPERING}. A state crosses a barrier of height ΔE readily where ΔE/T ≲ 1,
     * so {@code max} should exceed the barriers of the model (in its energy units).
     */
    public record Temperatures(int count, double max) {
        /** The default hottest temperature: crosses barriers of ΔE ≈ 20 in the model's energy. */
        public static final double DEFAULT_MAX = 20;

        public Temperatures {
            if (count < 1 || !(max >= 1) || !Double.isFinite(max) || (count == 1 && max != 1)) {
                throw new ScorematchException("tempering needs at least one temperature and a finite hottest temperature "
                        + "≥ 1 (exactly 1 with a single temperature), got " + count + " up to " + max);
            }
        }

        /**
         * The default for dimension {@code d}: hottest {@value #DEFAULT_MAX} and
         * {@code max(8, ⌈4√d⌉)} temperatures. The energy difference between neighbouring
         * temperatures has a spread that grows as √d (Predescu et al. 2004), so keeping the swap
         * rate needs a ladder that grows as √d; 8 temperatures give a ratio of 1.53 per rung.
         */
        public static Temperatures defaultFor(int d) {
            return new Temperatures(Math.max(8, (int) Math.ceil(4 * Math.sqrt(d))), DEFAULT_MAX);
        }

        /** The inverse temperatures 1/T_k, coldest (1) first. */
        public double[] inverse() {
            double[] beta = new double[count];
            for (int k = 0; k < count; k++) {
                beta[k] = count == 1 ? 1 : Math.pow(max, -(double) k / (count - 1));
            }
            return beta;
        }
    }

    /** Mean leapfrog steps per HMC iteration. */
    public static final int LEAPFROG = 10;

    /**
     * The samples (rows, model units), the acceptance rate of MALA, HMC or tempering's T = 1 moves
     * and the step size reached (NaN otherwise), tempering's rate of accepted swaps between
     * neighbouring temperatures (NaN otherwise), and per coordinate the {@link ChainDiagnostics} of the chains after burn-in
     * (the first {@value #TRACED_CHAINS} chains, at most {@value #TRACED_DRAWS} evenly spaced
     * states each; empty when fewer than 8 states were kept after burn-in).
     */
    public record Result(double[] samples, int rows, double acceptanceRate, double finalStepSize, double swapRate,
                         java.util.List<ChainDiagnostics> diagnostics) {
        public Result {
            diagnostics = java.util.List.copyOf(diagnostics);
        }

        /** The largest R̂ over the coordinates (NaN without diagnostics). */
        public double maxRHat() {
            return diagnostics.stream().mapToDouble(ChainDiagnostics::rHat).max().orElse(Double.NaN);
        }

        /** The smallest bulk ESS over the coordinates (NaN without diagnostics). */
        public double minBulkEss() {
            return diagnostics.stream().mapToDouble(ChainDiagnostics::bulkEss).min().orElse(Double.NaN);
        }
    }

    /** Chains traced for the diagnostics: enough for R̂ across chains, bounded in memory. */
    public static final int TRACED_CHAINS = 32;
    /** States per traced chain kept for the diagnostics. */
    public static final int TRACED_DRAWS = 100;

    private Sampler() {
    }

    /**
     * The sampler named {@code id}, or for {@code auto} the one that draws from the model:
     * annealed Langevin on the model's own ladder for a noise-conditional model, MALA for an
     * energy (its Metropolis correction removes Langevin's O(η) bias), unadjusted Langevin for a
     * score network (it has no energy to correct with).
     */
    public static Kind choose(String id, ScoreFunction f) {
        if (!id.equals("auto")) {
            return Kind.fromId(id);
        }
        return f.ladder() != null ? Kind.ANNEALED : f.hasEnergy() ? Kind.MALA : Kind.LANGEVIN;
    }

    /**
     * The default step size η: for annealed Langevin 0.1·σ_L² (it scales η by (σᵢ/σ_L)², so the
     * base step must be of the order of the smallest level's variance), 0.01 otherwise (MALA and
     * HMC adapt it during burn-in).
     */
    public static double defaultStepSize(Kind kind, ScoreFunction f) {
        if (kind == Kind.ANNEALED && f.ladder() != null) {
            double sigma = f.ladder().min();
            return 0.1 * sigma * sigma;
        }
        return 0.01;
    }

    /**
     * The default burn-in: {@code steps} for MALA, HMC and tempering, whose step sizes adapt during
     * it; none otherwise.
     */
    public static int defaultBurnIn(Kind kind, int steps) {
        return kind == Kind.MALA || kind == Kind.HMC || kind == Kind.TEMPERING ? steps : 0;
    }

    /** Runs {@code chains} chains from the rows of {@code init} (chains × D; consumed). */
    public static Result run(ScoreFunction f, double[] init, int chains, Options o, RandomGenerator rng) {
        int d = f.dimension();
        if (init.length != chains * d) {
            throw new ScorematchException("initial states must be " + chains + " × " + d);
        }
        return switch (o.kind()) {
            case LANGEVIN -> langevin(f, init, chains, o, rng);
            case MALA -> tempered(f, init, chains, o, new double[] {1}, rng);
            case TEMPERING -> tempered(f, init, chains, o, o.temperatures().inverse(), rng);
            case HMC -> hmc(f, init, chains, o, rng);
            case ANNEALED -> annealed(f, init, chains, o, rng);
        };
    }

    private static Result langevin(ScoreFunction f, double[] x, int chains, Options o, RandomGenerator rng) {
        Collector c = new Collector(chains, f.dimension(), o);
        for (int t = 1; t <= o.burnIn() + o.steps(); t++) {
            step(f, x, chains, o.stepSize(), 1.0, rng);
            c.offer(t, x);
        }
        return c.result(Double.NaN, Double.NaN, Double.NaN);
    }

    private static Result annealed(ScoreFunction f, double[] x, int chains, Options o, RandomGenerator rng) {
        NoiseLadder ladder = f.ladder();
        if (ladder == null) {
            throw new ScorematchException("annealed Langevin needs a noise-conditional model (trained with setting "
                    + "'objective' = multiscale); use langevin or mala");
        }
        double last = ladder.min();
        for (int i = 0; i < ladder.size() - 1; i++) {
            double sigma = ladder.sigma(i);
            for (int t = 0; t < o.steps(); t++) {
                step(f, x, chains, o.stepSize() * sigma * sigma / (last * last), sigma, rng);
            }
        }
        Collector c = new Collector(chains, f.dimension(), o);
        for (int t = 1; t <= o.burnIn() + o.steps(); t++) {
            step(f, x, chains, o.stepSize(), last, rng);
            c.offer(t, x);
        }
        return c.result(Double.NaN, Double.NaN, Double.NaN);
    }

    private static void step(ScoreFunction f, double[] x, int chains, double eta, double sigma, RandomGenerator rng) {
        double[] s = f.score(x, chains, sigma);
        double noise = Math.sqrt(eta);
        for (int i = 0; i < x.length; i++) {
            x[i] += 0.5 * eta * s[i] + noise * rng.nextGaussian();
        }
    }

    /**
     * MALA on {@code exp(−βₖE)} for every inverse temperature βₖ, with swaps between neighbours
     * after each sweep when there are several. Replica k of chain c is row {@code k·chains + c}, so
     * one call to the model moves every replica and the T = 1 replicas are the first rows.
     */
    private static Result tempered(ScoreFunction f, double[] init, int chains, Options o, double[] beta,
                                   RandomGenerator rng) {
        if (!f.hasEnergy()) {
            throw new ScorematchException((beta.length == 1 ? "MALA" : "tempering") + " needs an energy for its "
                    + "Metropolis correction; a score model has no energy: use setting 'sampler' = langevin (or annealed "
                    + "for noise-conditional models)");
        }
        double sigma = f.ladder() == null ? 1.0 : f.ladder().min();
        int d = f.dimension();
        int temps = beta.length;
        int rows = temps * chains;
        double[] x = new double[rows * d];
        for (int k = 0; k < temps; k++) {
            System.arraycopy(init, 0, x, k * chains * d, chains * d);
        }
        double[] eta = new double[temps];
        for (int k = 0; k < temps; k++) {
            eta[k] = o.stepSize() / beta[k];
        }
        double[] e = f.energy(x, rows, sigma);
        double[] s = f.score(x, rows, sigma);
        double[] y = new double[x.length];
        long accepted = 0;
        long proposed = 0;
        long swapsAccepted = 0;
        long swapsProposed = 0;
        Collector c = new Collector(chains, d, o);
        for (int t = 1; t <= o.burnIn() + o.steps(); t++) {
            for (int i = 0; i < x.length; i++) {
                int k = i / (chains * d);
                y[i] = x[i] + 0.5 * eta[k] * beta[k] * s[i] + Math.sqrt(eta[k]) * rng.nextGaussian();
            }
            double[] ey = f.energy(y, rows, sigma);
            double[] sy = f.score(y, rows, sigma);
            int[] acceptedNow = new int[temps];
            for (int r = 0; r < rows; r++) {
                int k = r / chains;
                double drift = 0.5 * eta[k] * beta[k];
                double forward = 0;
                double backward = 0;
                for (int j = 0; j < d; j++) {
                    int i = r * d + j;
                    double a = y[i] - x[i] - drift * s[i];
                    double b = x[i] - y[i] - drift * sy[i];
                    forward += a * a;
                    backward += b * b;
                }
                double logAlpha = beta[k] * (e[r] - ey[r]) - (backward - forward) / (2 * eta[k]);
                if (Double.isFinite(logAlpha) && Math.log(rng.nextDouble()) < logAlpha) {
                    System.arraycopy(y, r * d, x, r * d, d);
                    System.arraycopy(sy, r * d, s, r * d, d);
                    e[r] = ey[r];
                    acceptedNow[k]++;
                }
            }
            for (int k = t % 2; k + 1 < temps; k += 2) {
                for (int ch = 0; ch < chains; ch++) {
                    int cold = k * chains + ch;
                    int hot = cold + chains;
                    double logAlpha = (beta[k] - beta[k + 1]) * (e[cold] - e[hot]);
                    swapsProposed++;
                    if (Math.log(rng.nextDouble()) < logAlpha) {
                        swapRows(x, cold, hot, d);
                        swapRows(s, cold, hot, d);
                        double tmp = e[cold];
                        e[cold] = e[hot];
                        e[hot] = tmp;
                        swapsAccepted++;
                    }
                }
            }
            if (t <= o.burnIn()) {
                for (int k = 0; k < temps; k++) {
                    eta[k] *= Math.exp(((double) acceptedNow[k] / chains - o.targetAcceptance()) / Math.sqrt(t + 1));
                }
            } else {
                accepted += acceptedNow[0];
                proposed += chains;
            }
            c.offer(t, x);
        }
        double swapRate = temps == 1 || swapsProposed == 0 ? Double.NaN : (double) swapsAccepted / swapsProposed;
        return c.result(proposed == 0 ? Double.NaN : (double) accepted / proposed, eta[0], swapRate);
    }

    private static void swapRows(double[] a, int r1, int r2, int d) {
        for (int j = 0; j < d; j++) {
            double tmp = a[r1 * d + j];
            a[r1 * d + j] = a[r2 * d + j];
            a[r2 * d + j] = tmp;
        }
    }

    private static Result hmc(ScoreFunction f, double[] x, int chains, Options o, RandomGenerator rng) {
        if (!f.hasEnergy()) {
            throw new ScorematchException("HMC needs an energy for its Metropolis correction; a score model has no energy: "
                    + "use setting 'sampler' = langevin (or annealed for noise-conditional models)");
        }
        double sigma = f.ladder() == null ? 1.0 : f.ladder().min();
        int d = f.dimension();
        double eta = o.stepSize();
        double[] e = f.energy(x, chains, sigma);
        double[] s = f.score(x, chains, sigma);
        double[] y = new double[x.length];
        double[] p = new double[x.length];
        long accepted = 0;
        long proposed = 0;
        Collector c = new Collector(chains, d, o);
        for (int t = 1; t <= o.burnIn() + o.steps(); t++) {
            double[] kinetic0 = new double[chains];
            for (int i = 0; i < x.length; i++) {
                p[i] = rng.nextGaussian();
                kinetic0[i / d] += 0.5 * p[i] * p[i];
            }
            System.arraycopy(x, 0, y, 0, x.length);
            double[] sy = s;
            int steps = LEAPFROG / 2 + rng.nextInt(LEAPFROG + 1);
            for (int l = 0; l < steps; l++) {
                for (int i = 0; i < x.length; i++) {
                    p[i] += 0.5 * eta * sy[i];
                    y[i] += eta * p[i];
                }
                sy = f.score(y, chains, sigma);
                for (int i = 0; i < x.length; i++) {
                    p[i] += 0.5 * eta * sy[i];
                }
            }
            double[] ey = f.energy(y, chains, sigma);
            int acceptedNow = 0;
            for (int k = 0; k < chains; k++) {
                double kinetic1 = 0;
                for (int j = 0; j < d; j++) {
                    kinetic1 += 0.5 * p[k * d + j] * p[k * d + j];
                }
                double logAlpha = e[k] + kinetic0[k] - ey[k] - kinetic1;
                if (Double.isFinite(logAlpha) && Math.log(rng.nextDouble()) < logAlpha) {
                    System.arraycopy(y, k * d, x, k * d, d);
                    System.arraycopy(sy, k * d, s, k * d, d);
                    e[k] = ey[k];
                    acceptedNow++;
                }
            }
            if (t <= o.burnIn()) {
                eta *= Math.exp(((double) acceptedNow / chains - o.targetAcceptance()) / Math.sqrt(t + 1));
            } else {
                accepted += acceptedNow;
                proposed += chains;
            }
            c.offer(t, x);
        }
        return c.result(proposed == 0 ? Double.NaN : (double) accepted / proposed, eta, Double.NaN);
    }

    /** Keeps every thin-th state after burn-in. */
    private static final class Collector {
        private final int chains;
        private final int d;
        private final Options o;
        private final double[] out;
        private int rows;
        private final int traced;
        private final int stride;
        private final double[][][] trace;
        private int draws;

        Collector(int chains, int d, Options o) {
            this.chains = chains;
            this.d = d;
            this.o = o;
            this.out = new double[(o.steps() / o.thin()) * chains * d];
            this.traced = Math.min(chains, TRACED_CHAINS);
            this.stride = Math.max(1, o.steps() / TRACED_DRAWS);
            this.trace = new double[d][traced][o.steps() / stride];
        }

        void offer(int t, double[] x) {
            int after = t - o.burnIn();
            if (after > 0 && after % o.thin() == 0 && (rows + chains) * d <= out.length) {
                System.arraycopy(x, 0, out, rows * d, chains * d);
                rows += chains;
            }
            if (after > 0 && after % stride == 0 && draws < trace[0][0].length) {
                for (int k = 0; k < traced; k++) {
                    for (int j = 0; j < d; j++) {
                        trace[j][k][draws] = x[k * d + j];
                    }
                }
                draws++;
            }
        }

        Result result(double acceptanceRate, double finalStepSize, double swapRate) {
            java.util.List<ChainDiagnostics> diagnostics = new java.util.ArrayList<>();
            if (draws >= 8) {
                for (int j = 0; j < d; j++) {
                    double[][] chainsOfJ = new double[traced][];
                    for (int k = 0; k < traced; k++) {
                        chainsOfJ[k] = java.util.Arrays.copyOf(trace[j][k], draws);
                    }
                    diagnostics.add(ChainDiagnostics.of(chainsOfJ));
                }
            }
            return new Result(samples(), rows(), acceptanceRate, finalStepSize, swapRate, diagnostics);
        }

        double[] samples() {
            return java.util.Arrays.copyOf(out, rows * d);
        }

        int rows() {
            return rows;
        }
    }
}
