package org.scorematch.optim;

import org.scorematch.Identified;

/** The optimisers by name, and how each is made from a base rate (and momentum, for SGD). */
public enum OptimizerKind implements Identified {
    /** {@link Adam} with PyTorch's β and ε. */
    ADAM,
    /** {@link Sgd} with momentum. */
    SGD;

    /** Parses {@link #id()}; the error lists the ids. */
    public static OptimizerKind fromId(String id) {
        return Identified.parse(OptimizerKind.class, id, "optimizer");
    }

    /** A fresh optimiser at base rate {@code lr}; {@code momentum} is SGD's and ignored by Adam. */
    public Optimizer create(double lr, double momentum) {
        return this == SGD ? Sgd.of(lr, momentum) : Adam.of(lr);
    }
}
