package org.scorematch.cli;

import org.scorematch.sample.OdeSolver;
import picocli.CommandLine.Option;

/** How a diffusion model's probability-flow ODE is integrated, for sample --sampler ode and eval's likelihood. */
final class FlowOptions {
    @Option(names = "--solver", defaultValue = "rk45",
            description = "Diffusion, probability-flow ODE: rk45 (adaptive Dormand–Prince) or heun (fixed steps). "
                    + "Default: ${DEFAULT-VALUE}.")
    String solver;

    @Option(names = "--rtol", defaultValue = "1e-5", description = "Diffusion, rk45: relative tolerance. "
            + "Default: ${DEFAULT-VALUE}.")
    double rtol;

    @Option(names = "--atol", defaultValue = "1e-5", description = "Diffusion, rk45: absolute tolerance. "
            + "Default: ${DEFAULT-VALUE}.")
    double atol;

    @Option(names = "--heun-steps", defaultValue = "1000", description = "Diffusion, heun: steps from t = ε to 1. "
            + "Default: ${DEFAULT-VALUE}.")
    int heunSteps;

    /** The solver with its settings. */
    OdeSolver.Integration integration() {
        return OdeSolver.fromId(solver) == OdeSolver.RK45 ? OdeSolver.Integration.rk45(rtol, atol)
                : OdeSolver.Integration.heun(heunSteps);
    }
}
