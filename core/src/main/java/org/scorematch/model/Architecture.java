package org.scorematch.model;

import org.scorematch.engine.Activation;
import org.scorematch.engine.Network;

/**
 * What a model computes, without its parameter values: a {@link Network}, whether its output is
 * an energy {@code E(x)} (score {@code −∇ₓE}) or the score itself, and, for noise-conditional
 * models, the {@link NoiseLadder}. A noise-conditional network takes {@code (x, log σ)} as input
 * (D + 1 columns) and its score is divided by σ: {@code s(x, σ) = net(x, log σ)/σ} for score
 * networks, {@code s(x, σ) = −∇ₓ net(x, log σ)/σ} for energies (the energy being
 * {@code net(x, log σ)/σ}).
 */
public final class Architecture implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    /** Whether the network outputs an energy or a score. */
    public enum Kind implements org.scorematch.Identified {
        ENERGY, SCORE;

        /** Parses {@link #id()}; the error lists the ids. */
        public static Kind fromId(String id) {
            return org.scorematch.Identified.parse(Kind.class, id, "model kind");
        }
    }

    /**
     * Hidden widths written as {@code "128,128"}: positive integers up to 65536, separated by
     * commas (spaces allowed); the error names the offending width.
     */
    public static int[] parseWidths(String text) {
        String[] parts = text.split(",");
        int[] widths = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                widths[i] = Integer.parseInt(parts[i].strip());
            } catch (NumberFormatException e) {
                throw new org.scorematch.ScorematchException("hidden width '" + parts[i].strip() + "' is not an integer");
            }
            if (widths[i] < 1 || widths[i] > 1 << 16) {
                throw new org.scorematch.ScorematchException("hidden width " + widths[i] + " is out of range (1 to 65536)");
            }
        }
        return widths;
    }

    private final Network network;
    private final Kind kind;
    private final NoiseLadder ladder;
    private final int dimension;
    /** The SDE of a continuous-time (diffusion) model and its smallest time ε; null and 0 otherwise. */
    private final Sde sde;
    private final double sdeEpsilon;

    private Architecture(Network network, Kind kind, NoiseLadder ladder) {
        this(network, kind, ladder, null, 0);
    }

    private Architecture(Network network, Kind kind, NoiseLadder ladder, Sde sde, double sdeEpsilon) {
        this.sde = sde;
        this.sdeEpsilon = sdeEpsilon;
        this.network = network;
        this.kind = kind;
        this.ladder = ladder;
        this.dimension = network.inputDim() - (ladder == null ? 0 : 1);
        if (dimension < 1) {
            throw new IllegalArgumentException("a noise-conditional network needs the data columns plus log σ");
        }
        int expectedOut = kind == Kind.ENERGY ? 1 : dimension;
        if (network.outputDim() != expectedOut) {
            throw new IllegalArgumentException("a" + (kind == Kind.ENERGY ? "n energy" : " score") + " network on ℝ"
                    + dimension + " must have " + expectedOut + " outputs, got " + network.outputDim());
        }
    }

    /** An energy network {@code ℝᴰ → ℝ}. */
    public static Architecture energy(Network network) {
        return new Architecture(network, Kind.ENERGY, null);
    }

    /** A score network {@code ℝᴰ → ℝᴰ}. */
    public static Architecture score(Network network) {
        return new Architecture(network, Kind.SCORE, null);
    }

    /** A noise-conditional model: the network takes D + 1 inputs, the last being {@code log σ}. */
    public static Architecture conditional(Network network, Kind kind, NoiseLadder ladder) {
        if (ladder == null) {
            throw new IllegalArgumentException("a noise-conditional model needs its noise ladder");
        }
        return new Architecture(network, kind, ladder);
    }

    /** An MLP of either kind; noise-conditional when {@code ladder} is non-null. */
    public static Architecture mlp(Kind kind, int dim, int[] hidden, Activation activation, NoiseLadder ladder) {
        int in = dim + (ladder == null ? 0 : 1);
        Network net = Network.mlp(in, hidden, activation, kind == Kind.ENERGY ? 1 : dim);
        return new Architecture(net, kind, ladder);
    }

    /** The linear score model {@code s(x) = A x + b}. */
    public static Architecture linearScore(int dim) {
        return new Architecture(Network.affine(dim, dim), Kind.SCORE, null);
    }

    /**
     * The architecture a name stands for (model files, the CLI): {@code mlp} (hidden widths and
     * activation as given), {@code gaussian} (the energy {@code ½‖Wx + c‖²}) or {@code linear}
     * (the score {@code Ax + b}); noise-conditional when {@code ladder} is non-null (MLPs only).
     */
    public static Architecture named(String name, Kind kind, int dim, int[] hidden, Activation activation,
                                     NoiseLadder ladder) {
        return switch (name) {
            case "mlp" -> mlp(kind, dim, hidden, activation, ladder);
            case "gaussian" -> {
                requirePlain(name, kind == Kind.ENERGY, ladder);
                yield energy(Network.quadratic(dim));
            }
            case "linear" -> {
                requirePlain(name, kind == Kind.SCORE, ladder);
                yield linearScore(dim);
            }
            default -> throw new IllegalArgumentException("unknown architecture '" + name + "' (mlp, gaussian, linear)");
        };
    }

    private static void requirePlain(String name, boolean kindFits, NoiseLadder ladder) {
        if (!kindFits || ladder != null) {
            throw new IllegalArgumentException("the " + name + " architecture is "
                    + (name.equals("gaussian") ? "an energy" : "a score") + " without noise levels");
        }
    }

    /** The name {@link #named} takes back: {@code mlp}, {@code gaussian} or {@code linear}. */
    public String name() {
        return switch (network.form()) {
            case MLP -> "mlp";
            case QUADRATIC -> "gaussian";
            case AFFINE -> "linear";
        };
    }

    /** The network that computes the energy or the score. */
    public Network network() {
        return network;
    }

    /** Whether the network outputs an energy or a score. */
    public Kind kind() {
        return kind;
    }

    /** The data dimension D (the network's input less the conditioning column). */
    public int dimension() {
        return dimension;
    }

    /** Whether the network also takes log σ (a noise-conditional model). */
    public boolean isConditional() {
        return ladder != null;
    }

    /** The noise ladder of a noise-conditional model, else null. */
    public NoiseLadder ladder() {
        return ladder;
    }

    /**
     * A noise-conditional MLP trained as a diffusion model under {@code sde}, for times in
     * [ε, 1]: the network takes {@code log σ(t)}; its ladder (for annealed Langevin and for the
     * record) is geometric from σ(1) to σ(ε) over {@link NoiseLadder#MIN_LEVELS} levels.
     */
    public static Architecture diffusion(Kind kind, int dim, int[] hidden, Activation activation, Sde sde,
                                         double epsilon) {
        if (!(epsilon > 0) || !(epsilon < 1)) {
            throw new IllegalArgumentException("the smallest time ε must lie in (0, 1), got " + epsilon);
        }
        Network net = Network.mlp(dim + 1, hidden, activation, kind == Kind.ENERGY ? 1 : dim);
        return new Architecture(net, kind, NoiseLadder.geometric(sde.sigma(1), sde.sigma(epsilon), NoiseLadder.MIN_LEVELS),
                sde, epsilon);
    }

    /** The SDE of a diffusion model, else null. */
    public Sde sde() {
        return sde;
    }

    /** The smallest time ε of a diffusion model (where sampling ends), else 0. */
    public double sdeEpsilon() {
        return sdeEpsilon;
    }

    /**
     * The network input for data rows {@code x} (n × D) at noise levels {@code sigmas} (one per
     * row): {@code x} itself for an unconditional model, else {@code [x, log σ]} (n × (D+1)).
     */
    public double[] networkInput(double[] x, int n, double[] sigmas) {
        return ladder == null ? x : networkInput(x, n, sigmas, new double[n * (dimension + 1)]);
    }

    /**
     * {@link #networkInput(double[], int, double[])} of a noise-conditional model written into
     * {@code into} (at least n × (D + 1)), which is returned.
     */
    public double[] networkInput(double[] x, int n, double[] sigmas, double[] into) {
        int d = dimension;
        for (int i = 0; i < n; i++) {
            System.arraycopy(x, i * d, into, i * (d + 1), d);
            into[i * (d + 1) + d] = Math.log(sigmas[i]);
        }
        return into;
    }

    @Override
    public String toString() {
        String conditioning = sde != null ? " (diffusion, " + sde.spec() + ", ε = " + sdeEpsilon + ")"
                : ladder == null ? "" : " (noise-conditional, " + ladder + ")";
        return kind.id() + conditioning + " network " + network.inputDim()
                + " → " + network.outputDim() + ", " + network.parameterCount() + " parameters";
    }
}
