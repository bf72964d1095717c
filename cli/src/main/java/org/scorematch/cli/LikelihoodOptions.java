package org.scorematch.cli;

import org.scorematch.ScorematchException;
import org.scorematch.metrics.FlowLikelihood;
import picocli.CommandLine.Option;

/** eval's settings for a diffusion model's likelihood beside its ODE solver: the divergence, dequantisation. */
final class LikelihoodOptions {
    @Option(names = "--divergence", defaultValue = "exact",
            description = "Diffusion likelihood: the flow's divergence exact (D jets) or hutchinson (--probes Rademacher "
                    + "probes per row, for large D). Default: ${DEFAULT-VALUE}.")
    String divergence;

    @Option(names = "--probes", defaultValue = "1", description = "Hutchinson probes per row. Default: ${DEFAULT-VALUE}.")
    int probes;

    @Option(names = "--dequantize",
            description = "The data are integers (such as digits): add U(0, 1) noise to test and training rows, as train "
                    + "--dequantize did, and report bits per dimension.")
    boolean dequantize;

    /** Probes per row for Hutchinson's estimate, 0 for the exact divergence. */
    int probesOrExact() {
        if (FlowLikelihood.Divergence.fromId(divergence) == FlowLikelihood.Divergence.EXACT) {
            return 0;
        }
        if (probes < 1) {
            throw new ScorematchException("--probes must be positive, got " + probes);
        }
        return probes;
    }
}
