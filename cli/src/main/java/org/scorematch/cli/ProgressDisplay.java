package org.scorematch.cli;

import java.io.PrintWriter;
import java.util.Locale;
import org.scorematch.train.Trainer;

/**
 * Training progress: on a terminal one line redrawn in place (step, bar, loss, held-out loss,
 * steps/s, ETA) a few times a second; otherwise plain lines every {@code every} steps and at
 * each evaluation.
 */
final class ProgressDisplay implements Trainer.Listener {
    private final PrintWriter out;
    private final boolean terminal;
    private final int every;
    private final int startStep;
    private long lastDraw;
    private double heldOut = Double.NaN;
    private double heldOutLikelihood = Double.NaN;
    private double smoothed = Double.NaN;

    ProgressDisplay(PrintWriter out, boolean terminal, int every, int startStep) {
        this.out = out;
        this.terminal = terminal;
        this.every = Math.max(1, every);
        this.startStep = startStep;
    }

    @Override
    public void onStep(Trainer.Progress p) {
        smoothed = Double.isNaN(smoothed) ? p.loss() : 0.95 * smoothed + 0.05 * p.loss();
        if (terminal) {
            long now = System.nanoTime();
            if (now - lastDraw > 200_000_000L || p.step() == p.totalSteps()) {
                lastDraw = now;
                out.print("\r" + line(p) + "   ");
                if (p.step() == p.totalSteps()) {
                    out.println();
                }
                out.flush();
            }
        } else if (p.step() % every == 0 || p.step() == p.totalSteps()) {
            out.println(line(p));
            out.flush();
        }
    }

    @Override
    public void onEvaluation(Trainer.Progress p) {
        heldOut = p.heldOutLoss();
        heldOutLikelihood = p.heldOutLogLikelihood();
        if (!terminal && p.step() % every != 0 && p.step() != p.totalSteps()) {
            out.println(line(p));
            out.flush();
        }
    }

    private String line(Trainer.Progress p) {
        int width = 24;
        int done = (int) Math.round(width * (double) p.step() / p.totalSteps());
        String bar = terminal ? "[" + "=".repeat(done) + " ".repeat(width - done) + "] " : "";
        double rate = (p.step() - startStep) / Math.max(1e-9, p.seconds());
        double eta = (p.totalSteps() - p.step()) / Math.max(1e-9, rate);
        return String.format(Locale.ROOT, "step %d/%d %sloss %.4f  held-out %s%s  %.0f steps/s  ETA %s", p.step(),
                p.totalSteps(), bar, smoothed, Double.isNaN(heldOut) ? "–" : String.format(Locale.ROOT, "%.4f", heldOut),
                Double.isNaN(heldOutLikelihood) ? "" : String.format(Locale.ROOT, " (log-lik %.4f)", heldOutLikelihood),
                rate, duration(eta));
    }

    private static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60)
                : s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
    }
}
