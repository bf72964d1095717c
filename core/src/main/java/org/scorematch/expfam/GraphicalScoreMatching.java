package org.scorematch.expfam;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.scorematch.ScorematchException;
import org.scorematch.linalg.Matrix;

/**
 * Sparse Gaussian graphical models by ℓ1-penalised score matching (Lin, Drton &amp; Shojaie 2016):
 * over symmetric K, minimise {@code ½ tr(KΣ̂K) − tr K + λ Σ_{j≠k} |K_jk|}, where Σ̂ is the (1/n)
 * covariance about the sample mean (the mean, a parameter of the family, profiled out) with its
 * diagonal multiplied by δ ≥ 1 (their diagonal multiplier, which keeps the problem well posed when
 * n is small). Solved by cyclic coordinate descent with warm starts along a decreasing λ path:
 * for an off-diagonal pair {@code t = K_jk = K_kj} the loss is
 * {@code ½(Σ̂_jj + Σ̂_kk)t² + bt + 2λ|t|}, so {@code t ← S(−b, 2λ)/(Σ̂_jj + Σ̂_kk)}; a diagonal entry
 * is {@code (1 − Σ_{l≠j} Σ̂_jl K_lj)/Σ̂_jj}.
 *
 * <p>The path is solved on the correlation scale: Σ̂ is rescaled to {@code R = S⁻¹Σ̂S⁻¹} with
 * {@code S = diag(√Σ̂_jj)}, and each estimate is reported in the data's units as
 * {@code K = S⁻¹K_R S⁻¹}. The loss J scales as 1/c² when the data are multiplied by c, so eBIC on
 * the raw scale would pick other graphs in other units, and the ℓ1 penalty is not invariant to
 * a different factor per column; on the correlation scale λ, J, eBIC, the cross-validated loss
 * and so the selected edge set do not depend on the units of any column.
 *
 * <p>Model selection: extended BIC {@code 2n·J(K̂_R) + |E| log n + 4γ|E| log D} (Foygel &amp;
 * Drton 2010, with the score-matching loss J in place of the negative log-likelihood, as in
 * genscore) and K-fold cross-validated score-matching loss.
 */
public final class GraphicalScoreMatching {
    /**
     * One point of the path: λ (on the correlation scale), the estimate (data units), its edge
     * count, the loss J on the fitting data (correlation scale) and eBIC.
     */
    public record PathPoint(double lambda, double[] precision, int edges, double loss, double ebic) {
    }

    private static final double TOL = 1e-9;
    private static final int MAX_SWEEPS = 5000;

    private GraphicalScoreMatching() {
    }

    /** The (1/n) covariance of the rows of {@code x} about their mean, diagonal scaled by δ. */
    public static double[] covariance(Matrix x, double delta) {
        int n = x.rows();
        int d = x.cols();
        double[] v = x.toArray();
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < d; c++) {
                mean[c] += v[i * d + c] / n;
            }
        }
        return covarianceAbout(v, n, d, mean, delta);
    }

    static double[] covarianceAbout(double[] v, int n, int d, double[] mean, double delta) {
        double[] s = new double[d * d];
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < d; a++) {
                double da = v[i * d + a] - mean[a];
                for (int b = 0; b < d; b++) {
                    s[a * d + b] += da * (v[i * d + b] - mean[b]) / n;
                }
            }
        }
        for (int a = 0; a < d; a++) {
            s[a * d + a] *= delta;
        }
        return s;
    }

    /**
     * The smallest λ at which every off-diagonal entry is zero: {@code max_{j<k} |R_jk|} on the
     * correlation scale.
     */
    public static double lambdaMax(double[] sigma, int d) {
        double[] r = divideRowsAndColumns(sigma, d, scales(sigma, d));
        double max = 0;
        for (int j = 0; j < d; j++) {
            for (int k = j + 1; k < d; k++) {
                // At the diagonal start K = I the pair's gradient is 2R_jk, against the threshold 2λ.
                max = Math.max(max, Math.abs(r[j * d + k] + r[k * d + j]) / 2);
            }
        }
        return max;
    }

    /** {@code count} geometrically spaced λ from λ_max down to λ_max·{@code ratio}. */
    public static double[] lambdaPath(double[] sigma, int d, int count, double ratio) {
        double max = lambdaMax(sigma, d);
        double[] l = new double[count];
        for (int i = 0; i < count; i++) {
            l[i] = max * Math.pow(ratio, count == 1 ? 0 : (double) i / (count - 1));
        }
        return l;
    }

    /** The unpenalised loss {@code ½ tr(KΣK) − tr K}. */
    public static double loss(double[] k, double[] sigma, int d) {
        double t = 0;
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < d; b++) {
                double ks = 0;
                for (int c = 0; c < d; c++) {
                    ks += k[a * d + c] * sigma[c * d + b];
                }
                t += 0.5 * ks * k[b * d + a];
            }
            t -= k[a * d + a];
        }
        return t;
    }

    /**
     * The path for covariance {@code sigma} (D × D) from {@code n} samples, eBIC with parameter γ;
     * λ and J on the correlation scale, the precisions in the units of {@code sigma}.
     */
    public static List<PathPoint> path(double[] sigma, int d, int n, double[] lambdas, double gamma) {
        double[] scale = scales(sigma, d);
        double[] r = divideRowsAndColumns(sigma, d, scale);
        List<double[]> ks = standardPath(r, d, lambdas);
        List<PathPoint> out = new ArrayList<>();
        for (int i = 0; i < lambdas.length; i++) {
            double[] kr = ks.get(i);
            int edges = edges(kr, d);
            double j = loss(kr, r, d);
            double ebic = 2 * n * j + edges * Math.log(n) + 4 * gamma * edges * Math.log(d);
            out.add(new PathPoint(lambdas[i], divideRowsAndColumns(kr, d, scale), edges, j, ebic));
        }
        return out;
    }

    /** Warm-started solutions along {@code lambdas} for a correlation matrix {@code r}. */
    private static List<double[]> standardPath(double[] r, int d, double[] lambdas) {
        double[] k = new double[d * d];
        for (int a = 0; a < d; a++) {
            k[a * d + a] = 1 / r[a * d + a];
        }
        List<double[]> out = new ArrayList<>();
        for (double lambda : lambdas) {
            solve(k, r, d, lambda);
            out.add(k.clone());
        }
        return out;
    }

    /** {@code √Σ_jj} per column; a column without variance is an error. */
    private static double[] scales(double[] sigma, int d) {
        double[] scale = new double[d];
        for (int a = 0; a < d; a++) {
            if (!(sigma[a * d + a] > 0)) {
                throw new ScorematchException("column " + (a + 1) + " has zero variance");
            }
            scale[a] = Math.sqrt(sigma[a * d + a]);
        }
        return scale;
    }

    /**
     * {@code S⁻¹AS⁻¹} for {@code S = diag(scale)}: a covariance to the correlation scale, and a
     * precision on that scale back to the data's units ({@code K = S⁻¹K_R S⁻¹}); zeros stay exact.
     */
    private static double[] divideRowsAndColumns(double[] a, int d, double[] scale) {
        double[] r = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                r[i * d + j] = a[i * d + j] / (scale[i] * scale[j]);
            }
        }
        return r;
    }

    /** Coordinate descent in place from the warm start {@code k}; maintains M = ΣK. */
    static void solve(double[] k, double[] sigma, int d, double lambda) {
        double[] m = new double[d * d];
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < d; b++) {
                double s = 0;
                for (int c = 0; c < d; c++) {
                    s += sigma[a * d + c] * k[c * d + b];
                }
                m[a * d + b] = s;
            }
        }
        for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
            double change = 0;
            double scale = 0;
            for (int j = 0; j < d; j++) {
                double old = k[j * d + j];
                // (ΣK)_jj = Σ_jj K_jj + Σ_{l≠j} Σ_jl K_lj
                double rest = m[j * d + j] - sigma[j * d + j] * old;
                double t = (1 - rest) / sigma[j * d + j];
                change = Math.max(change, update(k, m, sigma, d, j, j, t - old));
                scale = Math.max(scale, Math.abs(t));
                for (int l = j + 1; l < d; l++) {
                    double cur = k[j * d + l];
                    double a = sigma[j * d + j] + sigma[l * d + l];
                    double b = m[l * d + j] + m[j * d + l] - a * cur;
                    double next = softThreshold(-b, 2 * lambda) / a;
                    change = Math.max(change, update(k, m, sigma, d, j, l, next - cur));
                }
            }
            if (change <= TOL * Math.max(1, scale)) {
                return;
            }
        }
        throw new ScorematchException("graphical score matching did not converge at λ = " + lambda
                + " within " + MAX_SWEEPS + " sweeps");
    }

    /** Sets K_jl and K_lj up by Δ and updates M = ΣK; returns |Δ|. */
    private static double update(double[] k, double[] m, double[] sigma, int d, int j, int l, double delta) {
        if (delta == 0) {
            return 0;
        }
        k[j * d + l] += delta;
        for (int a = 0; a < d; a++) {
            m[a * d + l] += delta * sigma[a * d + j];
        }
        if (j != l) {
            k[l * d + j] += delta;
            for (int a = 0; a < d; a++) {
                m[a * d + j] += delta * sigma[a * d + l];
            }
        }
        return Math.abs(delta);
    }

    private static double softThreshold(double z, double t) {
        return Math.signum(z) * Math.max(Math.abs(z) - t, 0);
    }

    /** Off-diagonal non-zero pairs (j &lt; k). */
    public static int edges(double[] k, int d) {
        int e = 0;
        for (int j = 0; j < d; j++) {
            for (int l = j + 1; l < d; l++) {
                if (k[j * d + l] != 0) {
                    e++;
                }
            }
        }
        return e;
    }

    /**
     * Mean K-fold cross-validated score-matching loss for each λ: fit on the other folds (their
     * covariance, diagonal × δ, on its correlation scale), evaluate {@code ½tr(K_R Σ_v K_R) − tr K_R}
     * with the held-out fold's covariance about the training mean, rescaled by the training
     * folds' scales, so that the loss does not depend on the units.
     */
    public static double[] crossValidate(Matrix x, double delta, double[] lambdas, int folds, RandomGenerator rng) {
        int n = x.rows();
        int d = x.cols();
        if (folds < 2 || folds > n) {
            throw new ScorematchException("cross-validation needs 2 ≤ folds ≤ rows, got " + folds);
        }
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        double[] v = x.toArray();
        double[] cv = new double[lambdas.length];
        for (int f = 0; f < folds; f++) {
            int from = f * n / folds;
            int to = (f + 1) * n / folds;
            double[] train = new double[(n - (to - from)) * d];
            double[] test = new double[(to - from) * d];
            int tr = 0;
            int te = 0;
            for (int i = 0; i < n; i++) {
                boolean held = i >= from && i < to;
                System.arraycopy(v, perm[i] * d, held ? test : train, (held ? te++ : tr++) * d, d);
            }
            double[] mean = new double[d];
            for (int i = 0; i < tr; i++) {
                for (int c = 0; c < d; c++) {
                    mean[c] += train[i * d + c] / tr;
                }
            }
            double[] sTrain = covarianceAbout(train, tr, d, mean, delta);
            double[] scale = scales(sTrain, d);
            double[] sTest = divideRowsAndColumns(covarianceAbout(test, te, d, mean, 1), d, scale);
            List<double[]> ks = standardPath(divideRowsAndColumns(sTrain, d, scale), d, lambdas);
            for (int i = 0; i < lambdas.length; i++) {
                cv[i] += loss(ks.get(i), sTest, d) / folds;
            }
        }
        return cv;
    }
}
