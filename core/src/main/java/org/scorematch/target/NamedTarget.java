package org.scorematch.target;

/** A target's name and dimension, which every target states the same way. */
abstract class NamedTarget implements Target {
    private final String name;
    /** The dimension D, for the subclasses' loops. */
    final int dim;

    NamedTarget(String name, int dim) {
        this.name = name;
        this.dim = dim;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final int dimension() {
        return dim;
    }
}
