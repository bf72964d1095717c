package org.scorematch.engine;

/**
 * One derivative mode's rule table: a rule for every {@link Op}. The forward jet mode
 * ({@link ForwardRules}, whose order-0 case is plain evaluation) and the reverse mode
 * ({@link ReverseRules}) implement it.
 */
public interface OpRules {
    void affine(Op.Affine op, int index);

    void activate(Op.Activate op, int index);

    void halfSquaredNorm(Op.HalfSquaredNorm op, int index);
}
