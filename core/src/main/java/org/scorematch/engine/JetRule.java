package org.scorematch.engine;

/**
 * One operation's jet rules, forward and reverse side by side (docs/DESIGN.md §2), with whatever
 * the forward rule keeps for the reverse one. {@link JetWorkspace} makes one per operation of
 * its network through {@link Op.Visitor}, so an operation without rules does not compile. Rules
 * say which rows and which formula; the pass's {@link Kernels} run them in its precision.
 */
interface JetRule {
    /**
     * Writes the jets of the operation's output into {@code out} from its input's jets {@code in}
     * (the previous operation's output; the first operation reads the pass's samples instead).
     */
    void forward(JetPass p, Buffer in, Buffer out);

    /**
     * From the output's adjoints {@code outAdjoint}, adds the parameter gradient into
     * {@code p.grad} (when non-null) and writes the input's adjoints into {@code inAdjoint}
     * (the first operation writes the gradient with respect to the samples instead, when asked).
     */
    void reverse(JetPass p, Buffer in, Buffer outAdjoint, Buffer inAdjoint);
}
