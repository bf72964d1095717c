package org.scorematch.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.scorematch.engine.Engine;
import org.scorematch.engine.Precision;
import org.scorematch.linalg.Blas;

/**
 * Times one full training step (loss + θ-gradient + Adam) of this library against the PyTorch
 * reference formulation ({@code bench/python/torch_step.py}) on the same machine in one run, in
 * both precisions, and measures the GEMM peak of each precision with the same thread count.
 * Prints Markdown tables, one per batch size and objective, with a row per dimension and
 * precision: milliseconds, GFLOP/s and their share of the precision's peak, the share of the
 * step spent inside GEMMs (when the JVM runs with {@code -Dscorematch.gemm-timing=true}), and
 * the ratio to PyTorch in the same precision (the faster of its variants), PyTorch's step timed
 * right after this library's for the same row ({@link TorchStepServer}). {@code --out FILE}
 * also writes the report (atomically).
 *
 * <p>Usage: {@code java -jar scorematch-bench.jar [--batches 256,4096] [--dims 2,10,50,100,200]
 * [--denoising-dims 2,10,50,100,200,784] [--large-dims 10,50,200] [--large-denoising-dims 10,50,200,784]
 * [--objectives exact,sliced,sliced-vr,denoising-energy,denoising-score,multiscale,diffusion]
 * [--precisions float64,float32] [--hidden 128,128,128] [--threads 2] [--min-time 2] [--rounds 1]
 * [--python /usr/bin/python3] [--torch-script bench/python/torch_step.py] [--no-torch] [--out FILE]}.
 * The {@code --large-*} dimensions apply to batches above 256; {@code --rounds N} alternates the two
 * sides N times per row. Run it through {@code bench/run.sh},
 * which sets the environment both sides must share.
 */
public final class StepHarness {
    /** Steps whose GEMMs take at least this share of the time are GEMM-bound (issue 15). */
    private static final double GEMM_BOUND = 0.7;

    private StepHarness() {
    }

    /** Runs this benchmark; the class comment gives its arguments and what it prints. */
    public static void main(String[] args) throws Exception {
        Map<String, String> opt = parse(args);
        String[] objectives = opt.getOrDefault("objectives",
                "exact,sliced,sliced-vr,denoising-energy,denoising-score,multiscale,diffusion").split(",");
        int[] batches = ints(opt.getOrDefault("batches", "256,4096"));
        int[] hidden = ints(opt.getOrDefault("hidden", "128,128,128"));
        int threads = Integer.parseInt(opt.getOrDefault("threads", "2"));
        double minTime = Double.parseDouble(opt.getOrDefault("min-time", "2"));
        boolean torchOn = !opt.containsKey("no-torch");
        int rounds = Integer.parseInt(opt.getOrDefault("rounds", "1"));
        List<Precision> precisions = new ArrayList<>();
        for (String id : opt.getOrDefault("precisions", "float64,float32").split(",")) {
            precisions.add(Precision.fromId(id));
        }

        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "BLAS: %s; %d engine threads; hidden %s SiLU; "
                        + "OPENBLAS_CORETYPE=%s; %s %s; GEMM timing %s%n%n", Blas.description(), threads,
                Arrays.toString(hidden), System.getenv().getOrDefault("OPENBLAS_CORETYPE", "(auto)"),
                System.getProperty("java.vm.name"), System.getProperty("java.version"),
                Boolean.getBoolean("scorematch.gemm-timing") ? "on" : "off (no GEMM share)"));
        Map<Precision, Double> peak = new EnumMap<>(Precision.class);
        for (Precision p : precisions) {
            peak.put(p, gemmPeak(threads, p));
            md.append(String.format(Locale.ROOT, "%s GEMM peak (2048², %d threads × single-threaded OpenBLAS): "
                    + "%.1f GFLOP/s%n%n", p.id(), threads, peak.get(p) / 1e9));
        }
        System.out.print(md);

        Map<Precision, Engine> engines = new EnumMap<>(Precision.class);
        TorchStepServer torch = torchOn ? new TorchStepServer(opt.getOrDefault("python", "/usr/bin/python3"),
                opt.getOrDefault("torch-script", "bench/python/torch_step.py"), threads) : null;
        try {
            for (Precision p : precisions) {
                engines.put(p, Engine.create(threads, p));
            }
            for (int batch : batches) {
                boolean large = batch > 256;
                for (String objective : objectives) {
                    boolean denoising = !objective.equals("exact") && !objective.startsWith("sliced");
                    int[] dims = ints(opt.getOrDefault((large ? "large-" : "") + (denoising ? "denoising-dims" : "dims"),
                            large ? (denoising ? "10,50,200,784" : "10,50,200")
                                    : (denoising ? "2,10,50,100,200,784" : "2,10,50,100,200")));
                    StringBuilder table = new StringBuilder();
                    table.append(String.format(Locale.ROOT, "### %s step, batch %d%s%n%n", objective, batch,
                            objective.startsWith("denoising") ? " (σ = 0.5)" : objective.startsWith("sliced")
                                    ? " (K = 1)" : ""));
                    table.append("| D | precision | scorematch ms | GFLOP/s | % of peak | GEMM share | PyTorch ms | "
                            + "× PyTorch |\n|---|---|---|---|---|---|---|---|\n");
                    for (int dim : dims) {
                        for (Precision p : precisions) {
                            table.append(row(objective, dim, batch, hidden, engines.get(p), p, peak.get(p), minTime,
                                    rounds, torch));
                        }
                    }
                    table.append('\n');
                    md.append(table);
                    System.out.print(table);
                }
            }
        } finally {
            engines.values().forEach(Engine::close);
            if (torch != null) {
                torch.close();
            }
        }
        if (opt.containsKey("out")) {
            Path out = Path.of(opt.get("out"));
            Path tmp = Files.createTempFile(out.toAbsolutePath().getParent(), ".bench", ".tmp");
            Files.writeString(tmp, md.toString(), StandardCharsets.UTF_8);
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /**
     * One table row: times the step, counts its GEMM time, and times PyTorch's step right after
     * (the faster of its variants); with several rounds the two alternate and each side's median
     * over the rounds is shown.
     */
    private static String row(String objective, int dim, int batch, int[] hidden, Engine engine, Precision p,
                              double peak, double minTime, int rounds, TorchStepServer torch)
            throws IOException, InterruptedException {
        StepWorkload w = new StepWorkload(objective, dim, batch, hidden, 1);
        List<Double> ours = new ArrayList<>();
        List<Double> theirs = new ArrayList<>();
        long gemmNanos = 0;
        double wall = 0;
        for (int r = 0; r < rounds; r++) {
            long gemmBefore = Blas.gemmNanos();
            long wallBefore = System.nanoTime();
            ours.add(timeMs(() -> w.step(engine), minTime));
            wall += System.nanoTime() - wallBefore;
            gemmNanos += Blas.gemmNanos() - gemmBefore;
            Double t = torch == null ? null : torchMs(torch, objective, dim, batch, hidden, p, minTime);
            if (t != null) {
                theirs.add(t);
            }
        }
        double ms = median(ours);
        Double torchMs = theirs.isEmpty() ? null : median(theirs);
        double gemmShare = gemmNanos / (wall * engine.threads());
        double[] f = w.flops();
        double gflops = (f[0] + f[1]) / (ms * 1e-3) / 1e9;
        String share = Boolean.getBoolean("scorematch.gemm-timing")
                ? String.format(Locale.ROOT, "%.0f %%%s", 100 * gemmShare, gemmShare >= GEMM_BOUND ? " (bound)" : "")
                : "–";
        System.out.printf(Locale.ROOT, "%s %s B=%d D=%d: %.2f ms/step, PyTorch %s ms/step%n", p.id(), objective, batch,
                dim, ms, fmt(torchMs));
        return String.format(Locale.ROOT, "| %d | %s | %.2f | %.1f | %.0f %% | %s | %s | %s |%n", dim, p.id(), ms, gflops,
                100 * gflops * 1e9 / peak, share, fmt(torchMs), ratio(torchMs, ms));
    }

    /** PyTorch's step for the row: the faster median of its variants, or null when none ran. */
    private static Double torchMs(TorchStepServer torch, String objective, int dim, int batch, int[] hidden,
                                  Precision p, double minTime) throws IOException, InterruptedException {
        boolean denoising = objective.startsWith("denoising");
        // functorch's per-sample Hessians cost B·D² and took 17 s a step at B = 4096, D = 50 (nested: 2.1 s).
        List<String> variants = objective.equals("exact") && batch <= 256 ? List.of("nested", "functorch")
                : List.of("nested");
        Double best = null;
        for (String variant : variants) {
            Map<String, Object> request = new HashMap<>();
            request.put("objective", denoising ? "denoising" : objective);
            request.put("model", objective.equals("denoising-score") ? "score" : "energy");
            request.put("sigma", 0.5);
            request.put("variant", variant);
            request.put("dim", dim);
            request.put("dtype", p.id());
            request.put("batch", batch);
            request.put("hidden", Arrays.stream(hidden).boxed().toList());
            request.put("projections", 1);
            request.put("min_time", minTime);
            Double ms = torch.medianMs(request);
            if (ms != null) {
                System.out.printf(Locale.ROOT, "pytorch %s %s %s D=%d: %.2f ms/step%n", objective, variant, p.id(), dim, ms);
                best = best == null ? ms : Math.min(best, ms);
            }
        }
        return best;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** Median milliseconds of {@code body} over repetitions filling {@code minTime} seconds, after warm-up. */
    static double timeMs(Runnable body, double minTime) {
        long warmEnd = System.nanoTime() + (long) (Math.max(0.5, minTime / 2) * 1e9);
        int warm = 0;
        while (System.nanoTime() < warmEnd || warm < 3) {
            body.run();
            warm++;
        }
        List<Double> times = new ArrayList<>();
        long end = System.nanoTime() + (long) (minTime * 1e9);
        while (System.nanoTime() < end || times.size() < 5) {
            long t = System.nanoTime();
            body.run();
            times.add((System.nanoTime() - t) / 1e6);
        }
        times.sort(Double::compare);
        return times.get(times.size() / 2);
    }

    /**
     * Aggregate FLOP/s of {@code threads} threads each running single-threaded 2048² GEMMs of
     * {@code precision} at once.
     */
    static double gemmPeak(int threads, Precision precision) throws InterruptedException {
        int n = 2048;
        int reps = 4;
        double[] seconds = new double[threads];
        CountDownLatch start = new CountDownLatch(1);
        Thread[] ts = new Thread[threads];
        boolean single = precision == Precision.FLOAT32;
        for (int t = 0; t < threads; t++) {
            final int id = t;
            ts[t] = new Thread(() -> {
                Runnable gemm = single ? singleGemm(n) : doubleGemm(n);
                gemm.run();
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                long t0 = System.nanoTime();
                for (int r = 0; r < reps; r++) {
                    gemm.run();
                }
                seconds[id] = (System.nanoTime() - t0) / 1e9;
            });
            ts[t].start();
        }
        start.countDown();
        double flops = 0;
        for (int t = 0; t < threads; t++) {
            ts[t].join();
            flops += 2.0 * n * n * n * reps / seconds[t];
        }
        return flops;
    }

    private static Runnable doubleGemm(int n) {
        double[] a = new double[n * n];
        double[] b = new double[n * n];
        double[] c = new double[n * n];
        Arrays.fill(a, 0.5);
        Arrays.fill(b, 0.25);
        return () -> Blas.gemm(false, false, n, n, n, 1, a, 0, n, b, 0, n, 0, c, 0, n);
    }

    private static Runnable singleGemm(int n) {
        float[] a = new float[n * n];
        float[] b = new float[n * n];
        float[] c = new float[n * n];
        Arrays.fill(a, 0.5f);
        Arrays.fill(b, 0.25f);
        return () -> Blas.gemm(false, false, n, n, n, 1f, a, 0, n, b, 0, n, 0f, c, 0, n);
    }

    private static String fmt(Double ms) {
        return ms == null ? "not run" : String.format(Locale.ROOT, "%.2f", ms);
    }

    private static String ratio(Double theirs, double ours) {
        return theirs == null ? "–" : String.format(Locale.ROOT, "%.1f", theirs / ours);
    }

    private static String join(int[] a) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < a.length; i++) {
            sb.append(i == 0 ? "" : ",").append(a[i]);
        }
        return sb.toString();
    }

    private static int[] ints(String s) {
        return Arrays.stream(s.split(",")).mapToInt(Integer::parseInt).toArray();
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + args[i]);
            }
            String key = args[i].substring(2);
            if (key.equals("no-torch")) {
                m.put(key, "");
            } else if (i + 1 < args.length) {
                m.put(key, args[++i]);
            } else {
                throw new IllegalArgumentException("--" + key + " needs a value");
            }
        }
        return m;
    }
}
