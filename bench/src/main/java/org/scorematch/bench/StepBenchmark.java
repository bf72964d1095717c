package org.scorematch.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.scorematch.engine.Engine;

/**
 * JMH: one training step (B=256, 3×128 SiLU) per objective and dimension. Run with
 * {@code java -cp bench/target/scorematch-bench.jar org.openjdk.jmh.Main StepBenchmark}.
 */
@State(Scope.Benchmark)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class StepBenchmark extends JmhSettings {
    @Param({"exact", "sliced"})
    public String objective;

    @Param({"10", "50", "100"})
    public int dim;

    @Param({"2"})
    public int threads;

    private StepWorkload workload;
    private Engine engine;

    /** Builds the workload and an engine of {@code threads} threads for this parameter set. */
    @Setup(Level.Trial)
    public void setUp() {
        workload = new StepWorkload(objective, dim, 256, new int[] {128, 128, 128}, 1);
        engine = Engine.create(threads);
    }

    /** Closes the engine. */
    @TearDown(Level.Trial)
    public void tearDown() {
        engine.close();
    }

    /** One loss-and-gradient step; its loss is returned so the JIT keeps the work. */
    @Benchmark
    public double step() {
        return workload.step(engine);
    }
}
