package org.scorematch.plot;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.scorematch.ScorematchException;
import org.scorematch.linalg.Matrix;

/**
 * Rows of image data (D = side², row-major pixels such as the 8×8 digits) drawn as pictures:
 * model samples and data rows side by side, each as a grid of small grey images, dark ink for high
 * values on white, with one grey scale for both panels from the data's range (values outside it
 * are clipped, so a sample's out-of-range pixels show as full ink or blank).
 */
final class ImageGrid implements Figure {
    private final Matrix samples;
    private final Matrix data;
    private final int side;
    private final double lo;
    private final double hi;

    ImageGrid(Matrix samples, Matrix data) {
        int d = samples.cols();
        this.side = (int) Math.round(Math.sqrt(d));
        if (side * side != d || data.cols() != d) {
            throw new ScorematchException("images need square pictures: D = " + d + " is not a square number");
        }
        this.samples = samples;
        this.data = data;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < data.rows(); i++) {
            for (int c = 0; c < d; c++) {
                min = Math.min(min, data.get(i, c));
                max = Math.max(max, data.get(i, c));
            }
        }
        this.lo = min;
        this.hi = max > min ? max : min + 1;
    }

    @Override
    public void draw(Graphics2D g, Rectangle2D area) {
        g.setPaint(Color.WHITE);
        g.fill(area);
        double half = area.getWidth() / 2;
        panel(g, samples, "model samples", area.getX(), area.getY(), half, area.getHeight());
        panel(g, data, "data", area.getX() + half, area.getY(), half, area.getHeight());
    }

    private void panel(Graphics2D g, Matrix rows, String title, double x, double y, double w, double h) {
        int band = 28;
        g.setPaint(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(title, (float) x + 10, (float) y + 20);
        int shown = Math.min(rows.rows(), 100);
        int cols = (int) Math.ceil(Math.sqrt(shown));
        int lines = (shown + cols - 1) / cols;
        double cell = Math.min((w - 20) / cols, (h - band - 10) / lines);
        double pixel = cell * 0.9 / side;
        for (int k = 0; k < shown; k++) {
            double cx = x + 10 + (k % cols) * cell;
            double cy = y + band + (k / cols) * cell;
            for (int p = 0; p < side * side; p++) {
                float ink = (float) Math.max(0, Math.min(1, (rows.get(k, p) - lo) / (hi - lo)));
                g.setPaint(new Color(1 - ink, 1 - ink, 1 - ink));
                g.fill(new Rectangle2D.Double(cx + (p % side) * pixel, cy + (p / side) * pixel, pixel + 0.5,
                        pixel + 0.5));
            }
        }
    }

    @Override
    public List<JFreeChart> charts() {
        return List.of();
    }
}
