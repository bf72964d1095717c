package org.scorematch.options;

import picocli.CommandLine.Option;

/**
 * The training options that the command line's {@code train} and the Spark driver share: the
 * model, the objective and its settings, the optimiser and its schedule, the seed. Declared once
 * so that both take the same flags with the same defaults, and an option added here reaches both;
 * each command subclasses it and adds its own (data, output, threads or partitions). The values
 * are parsed into the core's types by the commands (through the core's {@code fromId} parsers).
 * A {@code null} value means "not given": the command takes the default that depends on the
 * objective or the data, as its description says.
 */
public abstract class TrainingOptions {
    @Option(names = "--no-standardize", description = "Train on the data as they are.")
    protected boolean noStandardize;

    @Option(names = "--model",
            description = "energy (E with score −∇E) or score (a network that outputs the score). Default: energy "
                    + "(score for diffusion).")
    protected String model;

    @Option(names = "--hidden", defaultValue = "128,128,128", split = ",",
            description = "Hidden layer widths. Default: ${DEFAULT-VALUE}.")
    protected int[] hidden;

    @Option(names = "--activation", defaultValue = "silu",
            description = "silu, softplus, tanh, gelu (relu only for denoising). Default: ${DEFAULT-VALUE}.")
    protected String activation;

    @Option(names = "--objective", defaultValue = "auto",
            description = "exact, sliced, sliced-vr, denoising (one σ), multiscale (noise-conditional), diffusion "
                    + "(continuous-time denoising under --sde, noise-conditional) or auto: exact, but "
                    + "denoising at the cross-validated KDE bandwidth on fewer than 5000 rows, where exact score matching "
                    + "overfits. Default: ${DEFAULT-VALUE}.")
    protected String objective;

    @Option(names = "--projections", defaultValue = "1", description = "Directions per sample for sliced objectives. Default: ${DEFAULT-VALUE}.")
    protected int projections;

    @Option(names = "--projection", defaultValue = "rademacher",
            description = "rademacher, gaussian or sphere (radius √D). Default: ${DEFAULT-VALUE}.")
    protected String projection;

    @Option(names = "--sigma", description = "Noise level of single-level denoising.")
    protected Double sigma;

    @Option(names = "--sigma-max", description = "Largest multiscale noise level.")
    protected Double sigmaMax;

    @Option(names = "--sigma-min", description = "Smallest multiscale noise level.")
    protected Double sigmaMin;

    @Option(names = "--sde", defaultValue = "vp",
            description = "Diffusion: the noising SDE, ve, vp or subvp (Song et al. 2021). Default: ${DEFAULT-VALUE}.")
    protected String sde;

    @Option(names = "--weighting",
            description = "Diffusion: sigma2 (λ = σ(t)², uniform t) or likelihood (λ = g(t)², a bound on the negative "
                    + "log-likelihood, Song et al. 2021, with importance-sampled t). Default: sigma2.")
    protected String weighting;

    @Option(names = "--beta-min", description = "Diffusion, vp and subvp: β at t = 0. Default: 0.1.")
    protected Double betaMin;

    @Option(names = "--beta-max", description = "Diffusion, vp and subvp: β at t = 1. Default: 20.")
    protected Double betaMax;

    @Option(names = "--levels", description = "Number of multiscale noise levels.")
    protected Integer levels;

    @Option(names = "--init", defaultValue = "pytorch",
            description = "Initial weights: pytorch (weights and biases U(±1/√fan_in), as nn.Linear), glorot (Glorot-uniform, "
                    + "zero biases) or he (He-normal, zero biases). Default: ${DEFAULT-VALUE}.")
    protected String init;

    @Option(names = "--precision", defaultValue = "float32",
            description = "float64 or float32: the arithmetic of the network's jets (GEMMs and elementwise rules); "
                    + "parameters, losses, gradients and Adam's moments stay double. float32 runs about twice as fast. "
                    + "Default: ${DEFAULT-VALUE}.")
    protected String precision;

    @Option(names = "--steps", defaultValue = "2000", description = "Training steps. Default: ${DEFAULT-VALUE}.")
    protected int steps;

    @Option(names = "--batch", description = "Samples per step. Default: 256 (1024 for diffusion).")
    protected Integer batch;

    @Option(names = "--optimizer", defaultValue = "adam", description = "adam or sgd. Default: ${DEFAULT-VALUE}.")
    protected String optimizer;

    @Option(names = "--lr", description = "Learning rate. Default: 1e-3 (2e-3 for diffusion).")
    protected Double lr;

    @Option(names = "--momentum", defaultValue = "0.9", description = "SGD momentum. Default: ${DEFAULT-VALUE}.")
    protected double momentum;

    @Option(names = "--schedule",
            description = "constant, cosine or step. Default: constant (cosine for diffusion).")
    protected String schedule;

    @Option(names = "--step-every", defaultValue = "1000", description = "Steps between rate drops (step schedule).")
    protected int stepEvery;

    @Option(names = "--step-gamma", defaultValue = "0.5", description = "Rate factor per drop (step schedule).")
    protected double stepGamma;

    @Option(names = "--weight-decay", defaultValue = "0", description = "Decoupled weight decay. Default: ${DEFAULT-VALUE}.")
    protected double weightDecay;

    @Option(names = "--clip-norm", defaultValue = "0", description = "Clip gradient norm (0: off). Default: ${DEFAULT-VALUE}.")
    protected double clipNorm;

    @Option(names = "--ema", defaultValue = "0.999",
            description = "Decay of the exponential moving average of the weights that training returns (0: the last "
                    + "weights). Default: ${DEFAULT-VALUE}.")
    protected double ema;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed. Default: ${DEFAULT-VALUE}.")
    protected long seed;
}
