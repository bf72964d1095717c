package org.scorematch.engine;

import java.util.function.IntConsumer;

/**
 * Runs slab tasks over a batch with data parallelism: the batch is cut into one contiguous part
 * per thread, each thread walks its part in slabs with its own {@link JetWorkspace} and
 * gradient buffer, and the parts' sums are added in thread order. Results therefore depend on
 * the thread count but not on scheduling ("same seed, same model" for the same BLAS and thread
 * count, docs/DESIGN.md §5).
 *
 * <p>Each thread calls single-threaded GEMMs on slabs of about {@link #DEFAULT_SLAB_ROWS} jet
 * rows, which keeps the buffers in cache; this measured faster than multi-threaded BLAS on the
 * whole batch (docs/DESIGN.md §3).
 *
 * <p>An engine serves one caller thread at a time: the buffers it lends ({@link #scratch}) are
 * reused by the next call, so threads that train side by side each use their own engine (as
 * the Spark tasks do).
 */
public final class Engine implements AutoCloseable {
    /** Default stacked rows per slab. */
    public static final int DEFAULT_SLAB_ROWS = 2048;

    private final int threads;
    private final int slabRows;
    private final Precision precision;
    private Network cachedNetwork;
    private JetWorkspace[] cachedWorkspaces;
    private double[][] partGrads;
    private int partGradLength;
    private final double[] partSums;
    private final Crew crew;
    /** The call in flight, read by every part (fields rather than a capturing lambda, which would allocate per call). */
    private int callN;
    private int callParts;
    private int callSlab;
    private SlabTask callTask;
    private double[] callGrad;
    private JetWorkspace[] callWorkspaces;
    private final IntConsumer runWork = this::runCallPart;
    private int rangeCount;
    private int rangeParts;
    private RangeTask rangeTask;
    private final IntConsumer rangeWork = this::runRangePart;
    /** Fewest gradient elements per thread of the parts' sum: below, a hand-off costs more than the adds. */
    private static final int MIN_REDUCE_RANGE = 8192;
    private int reduceParts;
    private double[] reduceInto;
    private final RangeTask reduceWork = this::reduceRange;
    private final java.util.IdentityHashMap<Object, double[]> callerScratch = new java.util.IdentityHashMap<>();

    private Engine(int threads, int slabRows, Precision precision) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.threads = threads;
        this.slabRows = slabRows;
        this.precision = java.util.Objects.requireNonNull(precision, "precision");
        this.partSums = new double[threads];
        this.crew = threads == 1 ? null : new Crew(threads - 1);
    }

    /** A double-precision engine with {@code threads} worker threads (the caller's thread is one of them). */
    public static Engine create(int threads) {
        return new Engine(threads, DEFAULT_SLAB_ROWS, Precision.FLOAT64);
    }

    /** An engine with {@code threads} worker threads whose jets run in {@code precision}. */
    public static Engine create(int threads, Precision precision) {
        return new Engine(threads, DEFAULT_SLAB_ROWS, precision);
    }

    /** A double-precision engine with a custom slab size in stacked rows (tests use small slabs to exercise blocking). */
    public static Engine create(int threads, int slabRows) {
        return new Engine(threads, slabRows, Precision.FLOAT64);
    }

    /** An engine with a custom slab size whose jets run in {@code precision}. */
    public static Engine create(int threads, int slabRows, Precision precision) {
        return new Engine(threads, slabRows, precision);
    }

    /** The precision of the engine's jets (parameters, losses and gradients are double in either). */
    public Precision precision() {
        return precision;
    }

    /**
     * A buffer of exactly {@code length} doubles that the caller's thread reuses from one call to
     * the next under the same {@code key} (a constant of the calling class), so that a training
     * step allocates nothing once warm: its contents are undefined, and it is the caller's until
     * its next request with that key. Like the engine, not for concurrent callers.
     */
    public synchronized double[] scratch(Object key, int length) {
        double[] b = callerScratch.get(key);
        if (b == null || b.length != length) {
            b = new double[length];
            callerScratch.put(key, b);
        }
        return b;
    }

    /** The worker threads, the caller's included. */
    public int threads() {
        return threads;
    }

    /** Stacked jet rows per slab. */
    public int slabRows() {
        return slabRows;
    }

    /**
     * Runs {@code task} over samples {@code [0, n)} in slabs of at most
     * {@code max(1, slabRows / rowsPerSample)} samples and returns the sum of the task's results.
     * When {@code grad} is non-null, it is overwritten by the sum of the tasks' gradients (it may
     * be longer than the parameter vector: tasks may accumulate extra quantities after it).
     */
    public synchronized double run(Network net, int n, int rowsPerSample, SlabTask task, double[] grad) {
        JetWorkspace[] ws = workspaces(net);
        if (grad != null && partGradLength != grad.length) {
            // Callers may append their own accumulators (e.g. ∂loss/∂U) after the parameters.
            partGrads = partGradients(grad.length);
        }
        int slab = Math.max(1, slabRows / Math.max(1, rowsPerSample));
        int parts = Math.min(threads, Math.max(1, n));
        // Reused from call to call (run is synchronized); the crew's helpers take parts 1..threads−1.
        double[] sums = partSums;
        IntConsumer work = runWork;
        callN = n;
        callParts = parts;
        callSlab = slab;
        callTask = task;
        callGrad = grad;
        callWorkspaces = ws;
        try {
            if (crew == null) {
                work.accept(0);
            } else {
                crew.run(work);
            }
        } finally {
            callTask = null;
            callGrad = null;
        }
        double total = 0;
        for (int t = 0; t < parts; t++) {
            total += sums[t];
        }
        if (grad != null && parts > 1) {
            reduceParts = parts;
            reduceInto = grad;
            try {
                forRanges(grad.length, MIN_REDUCE_RANGE, reduceWork);
            } finally {
                reduceInto = null;
            }
        }
        return total;
    }

    /**
     * Elements {@code [from, to)} of the other parts' gradients added in part order into the call's
     * gradient, which holds part 0's.
     */
    private void reduceRange(int from, int to) {
        double[] grad = reduceInto;
        for (int t = 1; t < reduceParts; t++) {
            double[] g = partGrads[t];
            for (int i = from; i < to; i++) {
                grad[i] += g[i];
            }
        }
    }

    /**
     * Runs {@code task} over {@code [0, count)} cut into contiguous parts of at least
     * {@code minPerPart} indices, one per thread (the caller's thread takes the first); returns when
     * all have finished. For elementwise work whose result must not depend on the thread count:
     * each index is computed by one part, in one order.
     */
    public synchronized void forRanges(int count, int minPerPart, RangeTask task) {
        int parts = Math.max(1, Math.min(threads, count / Math.max(1, minPerPart)));
        if (parts == 1 || crew == null) {
            task.run(0, count);
            return;
        }
        rangeCount = count;
        rangeParts = parts;
        rangeTask = task;
        try {
            crew.run(rangeWork);
        } finally {
            rangeTask = null;
        }
    }

    private void runRangePart(int part) {
        if (part < rangeParts) {
            rangeTask.run((int) ((long) part * rangeCount / rangeParts), (int) ((long) (part + 1) * rangeCount / rangeParts));
        }
    }

    private void runCallPart(int part) {
        if (part < callParts) {
            // Part 0 sums into the call's gradient itself, so that the reduction adds the other parts to it.
            partSums[part] = runPart(callWorkspaces[part], part, callParts, callN, callSlab, callTask,
                    callGrad == null ? null : part == 0 ? callGrad : partGrads[part]);
        }
    }

    private static double runPart(JetWorkspace ws, int part, int parts, int n, int slab, SlabTask task,
                                  double[] grad) {
        int start = (int) ((long) part * n / parts);
        int end = (int) ((long) (part + 1) * n / parts);
        if (grad != null) {
            java.util.Arrays.fill(grad, 0.0);
        }
        double sum = 0;
        for (int s = start; s < end; s += slab) {
            sum += task.run(ws, s, Math.min(slab, end - s), grad);
        }
        return sum;
    }

    /** Sums of parts 1, 2, … (part 0 sums into the call's gradient, so it has none). */
    private double[][] partGradients(int length) {
        double[][] parts = new double[threads][];
        for (int t = 1; t < threads; t++) {
            parts[t] = new double[length];
        }
        partGradLength = length;
        return parts;
    }

    private JetWorkspace[] workspaces(Network net) {
        if (cachedNetwork != net) {
            cachedWorkspaces = new JetWorkspace[threads];
            partGrads = partGradients(net.parameterCount());
            for (int t = 0; t < threads; t++) {
                cachedWorkspaces[t] = new JetWorkspace(net, slabRows, precision);
            }
            cachedNetwork = net;
        }
        return cachedWorkspaces;
    }

    @Override
    public void close() {
        if (crew != null) {
            crew.close();
        }
    }
}
