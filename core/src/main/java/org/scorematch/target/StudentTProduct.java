package org.scorematch.target;

import java.util.random.RandomGenerator;

/**
 * A rotated product of independent Student-t coordinates: {@code x = Q t} with
 * {@code tᵢ ~ t_ν} independent and Q a fixed Haar-random rotation, so the coordinates of x are
 * dependent and heavy-tailed. Density {@code p(x) = Πᵢ f_ν((Qᵀx)ᵢ)}; score
 * {@code ∇log p(x) = Q·ψ(Qᵀx)} with {@code ψ(t)ᵢ = −(ν+1)tᵢ/(ν + tᵢ²)}.
 *
 * <p>ν is a whole number ≥ 3 (finite variance, so standardisation is defined), and a t_ν draw is
 * {@code z/√(χ²_ν/ν)} with the χ² built from ν squared normals: exact, with no rejection step.
 */
public final class StudentTProduct implements Target {
    private static final long serialVersionUID = 1L;

    private final int dim;
    private final int nu;
    private final double[] rotation;

    private StudentTProduct(int dim, int nu, double[] rotation) {
        this.dim = dim;
        this.nu = nu;
        this.rotation = rotation;
    }

    /** The product of {@code dim} t_ν coordinates, rotated by a Haar rotation drawn from {@code rng}. */
    public static StudentTProduct of(int dim, int nu, RandomGenerator rng) {
        if (dim < 1 || nu < 3) {
            throw new IllegalArgumentException("need a positive dimension and ν ≥ 3 degrees of freedom, got D = " + dim
                    + ", ν = " + nu);
        }
        return new StudentTProduct(dim, nu, RandomRotation.draw(dim, rng));
    }

    @Override
    public String name() {
        return "student-t" + nu + "-d" + dim;
    }

    @Override
    public int dimension() {
        return dim;
    }

    /** Degrees of freedom ν. */
    public int degreesOfFreedom() {
        return nu;
    }

    @Override
    public double[] sample(int n, RandomGenerator rng) {
        double[] t = new double[dim];
        double[] x = new double[n * dim];
        for (int s = 0; s < n; s++) {
            for (int i = 0; i < dim; i++) {
                double chi2 = 0;
                for (int k = 0; k < nu; k++) {
                    double g = rng.nextGaussian();
                    chi2 += g * g;
                }
                t[i] = rng.nextGaussian() / Math.sqrt(chi2 / nu);
            }
            RandomRotation.apply(rotation, dim, t, 0, x, s * dim);
        }
        return x;
    }

    @Override
    public double[] score(double[] x, int n) {
        double[] t = new double[dim];
        double[] s = new double[n * dim];
        for (int k = 0; k < n; k++) {
            RandomRotation.applyTransposed(rotation, dim, x, k * dim, t, 0);
            for (int i = 0; i < dim; i++) {
                t[i] = -(nu + 1) * t[i] / (nu + t[i] * t[i]);
            }
            RandomRotation.apply(rotation, dim, t, 0, s, k * dim);
        }
        return s;
    }

    /** {@code log p(x)} per row, normalised: {@code Σᵢ log f_ν((Qᵀx)ᵢ)}. */
    public double[] logDensity(double[] x, int n) {
        double c = org.apache.commons.numbers.gamma.LogGamma.value((nu + 1) / 2.0)
                - org.apache.commons.numbers.gamma.LogGamma.value(nu / 2.0) - 0.5 * Math.log(nu * Math.PI);
        double[] t = new double[dim];
        double[] out = new double[n];
        for (int k = 0; k < n; k++) {
            RandomRotation.applyTransposed(rotation, dim, x, k * dim, t, 0);
            double lp = 0;
            for (int i = 0; i < dim; i++) {
                lp += c - (nu + 1) / 2.0 * Math.log1p(t[i] * t[i] / nu);
            }
            out[k] = lp;
        }
        return out;
    }
}
