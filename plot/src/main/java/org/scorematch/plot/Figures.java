package org.scorematch.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Ellipse2D;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.LookupPaintScale;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.renderer.xy.XYShapeRenderer;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.VectorRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.statistics.HistogramDataset;
import org.jfree.data.statistics.HistogramType;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.VectorSeries;
import org.jfree.data.xy.VectorSeriesCollection;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.scorematch.ScorematchException;
import org.scorematch.linalg.Matrix;
import org.scorematch.model.EnergyModel;
import org.scorematch.model.TrainedModel;
import org.scorematch.train.TrainingLog;

/**
 * The figures people judge a density model by, as JFreeChart charts in the data's original units:
 * the density {@code ∝ exp(−E)} as a heat map with a colour scale, the score field as arrows,
 * samples against data, training and held-out loss curves, pair plots of 2-D marginals, and
 * histograms of energies. Every chart has labelled axes and a legend or colour scale.
 */
public final class Figures {
    private static final Color DATA = new Color(20, 20, 20, 150);
    private static final Color SAMPLES = new Color(214, 39, 40, 120);
    private static final Color HELD_OUT = new Color(31, 119, 180);
    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 15);
    /** Viridis, sampled at 9 points. */
    private static final Color[] SCALE = {new Color(68, 1, 84), new Color(71, 44, 122), new Color(59, 81, 139),
        new Color(44, 113, 142), new Color(33, 144, 141), new Color(39, 173, 129), new Color(92, 200, 99),
        new Color(170, 220, 50), new Color(253, 231, 37)};

    private Figures() {
    }

    /** The data range of two columns, widened by 10 % on each side. */
    static double[] range(Matrix data, int cx, int cy) {
        double[] r = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY};
        for (int i = 0; i < data.rows(); i++) {
            r[0] = Math.min(r[0], data.get(i, cx));
            r[1] = Math.max(r[1], data.get(i, cx));
            r[2] = Math.min(r[2], data.get(i, cy));
            r[3] = Math.max(r[3], data.get(i, cy));
        }
        double mx = 0.1 * Math.max(r[1] - r[0], 1e-9);
        double my = 0.1 * Math.max(r[3] - r[2], 1e-9);
        return new double[] {r[0] - mx, r[1] + mx, r[2] - my, r[3] + my};
    }

    /** Centres of a grid × grid lattice of cells over the range {xmin, xmax, ymin, ymax}, as rows (x, y). */
    static double[] cellCentres(double[] r, int grid) {
        double dx = (r[1] - r[0]) / grid;
        double dy = (r[3] - r[2]) / grid;
        double[] pts = new double[grid * grid * 2];
        for (int i = 0; i < grid; i++) {
            for (int j = 0; j < grid; j++) {
                pts[(i * grid + j) * 2] = r[0] + (i + 0.5) * dx;
                pts[(i * grid + j) * 2 + 1] = r[2] + (j + 0.5) * dy;
            }
        }
        return pts;
    }

    private static void requireTwoDimensions(TrainedModel m, String what) {
        if (m.dimension() != 2) {
            throw new ScorematchException(what + " plots are for 2-D models; this one has D = " + m.dimension()
                    + " (use setting 'kind' = pairs)");
        }
    }

    /** Heat map of {@code exp(−E)} relative to its maximum over the data range, data overlaid. */
    public static Figure density(TrainedModel m, Matrix data, int grid) {
        requireTwoDimensions(m, "density");
        if (!(m.model() instanceof EnergyModel)) {
            throw new ScorematchException("a score model has no energy, so no density to draw; plot setting 'kind' = score instead");
        }
        double[] r = range(data, 0, 1);
        double dx = (r[1] - r[0]) / grid;
        double dy = (r[3] - r[2]) / grid;
        double[] pts = cellCentres(r, grid);
        double[] e = m.energy(Matrix.of(grid * grid, 2, pts));
        double min = Double.POSITIVE_INFINITY;
        for (double v : e) {
            min = Math.min(min, v);
        }
        double[][] xyz = new double[3][grid * grid];
        for (int p = 0; p < grid * grid; p++) {
            xyz[0][p] = pts[2 * p];
            xyz[1][p] = pts[2 * p + 1];
            xyz[2][p] = Math.exp(-(e[p] - min));
        }
        DefaultXYZDataset heat = new DefaultXYZDataset();
        heat.addSeries("density", xyz);
        XYBlockRenderer block = new XYBlockRenderer();
        block.setBlockWidth(dx);
        block.setBlockHeight(dy);
        LookupPaintScale scale = new LookupPaintScale(0, 1.0000001, SCALE[0]);
        for (int i = 0; i < SCALE.length; i++) {
            scale.add((double) i / SCALE.length, SCALE[i]);
        }
        block.setPaintScale(scale);
        block.setDefaultSeriesVisibleInLegend(false);
        XYPlot plot = basePlot(m.columns().get(0) + " (data units)", m.columns().get(1) + " (data units)", r);
        plot.setDataset(0, scatter("data", data, 0, 1));
        plot.setRenderer(0, dots(new Color(255, 255, 255, 170), 3));
        plot.setDataset(1, heat);
        plot.setRenderer(1, block);
        JFreeChart chart = chart("Model density ∝ exp(−E)", plot);
        NumberAxis scaleAxis = new NumberAxis("density / maximum");
        scaleAxis.setRange(0, 1);
        PaintScaleLegend legend = new PaintScaleLegend(scale, scaleAxis);
        legend.setPosition(RectangleEdge.RIGHT);
        legend.setMargin(new RectangleInsets(40, 10, 40, 10));
        legend.setStripWidth(14);
        chart.addSubtitle(legend);
        return Figure.of(chart);
    }

    /** The score field ∇ₓ log p as arrows on a {@code grid}×{@code grid} lattice, data overlaid. */
    public static Figure score(TrainedModel m, Matrix data, int grid) {
        requireTwoDimensions(m, "score-field");
        double[] r = range(data, 0, 1);
        double dx = (r[1] - r[0]) / grid;
        double dy = (r[3] - r[2]) / grid;
        double[] pts = cellCentres(r, grid);
        Matrix raw = m.score(Matrix.of(grid * grid, 2, pts));
        // Drawn in standardised coordinates (∇_z log p = σ·∇ₓ log p per column): on axes spanning
        // columns of different scales the data-unit gradient would point almost along the
        // narrower column. Lengths in cell units, ∝ √|score| so weak scores near the modes stay
        // visible; the longest arrow spans 0.9 of a cell.
        double[] sd = m.standardization().scale();
        double[] u = new double[grid * grid];
        double[] v = new double[grid * grid];
        double max = 0;
        for (int p = 0; p < grid * grid; p++) {
            u[p] = raw.get(p, 0) * sd[0];
            v[p] = raw.get(p, 1) * sd[1];
            max = Math.max(max, Math.hypot(u[p], v[p]));
        }
        VectorSeries arrows = new VectorSeries("∇ log p in standardised coordinates (length ∝ √|score|)");
        for (int p = 0; p < grid * grid; p++) {
            double norm = Math.hypot(u[p], v[p]);
            double f = norm == 0 ? 0 : 0.9 * Math.sqrt(norm / max) / norm;
            arrows.add(pts[2 * p], pts[2 * p + 1], u[p] * f * dx, v[p] * f * dy);
        }
        VectorSeriesCollection vc = new VectorSeriesCollection();
        vc.addSeries(arrows);
        VectorRenderer vr = new VectorRenderer();
        vr.setSeriesPaint(0, new Color(31, 119, 180));
        vr.setSeriesStroke(0, new BasicStroke(1.2f));
        XYPlot plot = basePlot(m.columns().get(0) + " (data units)", m.columns().get(1) + " (data units)", r);
        plot.setDataset(0, vc);
        plot.setRenderer(0, vr);
        plot.setDataset(1, scatter("data", data, 0, 1));
        plot.setRenderer(1, dots(DATA, 3));
        return Figure.of(chart("Score field ∇ₓ log p", plot));
    }

    /** Samples against data on columns {@code cx} and {@code cy}. */
    public static Figure samples(Matrix samples, Matrix data, List<String> columns, int cx, int cy) {
        double[] r = range(data, cx, cy);
        XYSeriesCollection c = new XYSeriesCollection();
        c.addSeries(series("model samples", samples, cx, cy));
        c.addSeries(series("data", data, cx, cy));
        XYPlot plot = basePlot(columns.get(cx) + " (data units)", columns.get(cy) + " (data units)", r);
        plot.setDataset(c);
        XYShapeRenderer rr = new XYShapeRenderer();
        rr.setSeriesPaint(0, SAMPLES);
        rr.setSeriesPaint(1, DATA);
        rr.setSeriesShape(0, new Ellipse2D.Double(-2, -2, 4, 4));
        rr.setSeriesShape(1, new Ellipse2D.Double(-2, -2, 4, 4));
        plot.setRenderer(rr);
        return Figure.of(chart("Samples and data", plot));
    }

    /**
     * Training and held-out loss against step, from a training log ({@link TrainingLog}); the
     * held-out series is empty when the run held no rows out.
     */
    public static Figure loss(Path log) {
        TrainingLog rows = TrainingLog.read(log);
        XYSeries train = new XYSeries("training loss (batch)");
        XYSeries smooth = new XYSeries("training loss (moving average of 50)");
        XYSeries held = new XYSeries("held-out loss");
        double avg = Double.NaN;
        for (int i = 0; i < rows.steps().length; i++) {
            train.add(rows.steps()[i], rows.loss()[i]);
            avg = Double.isNaN(avg) ? rows.loss()[i] : avg + (rows.loss()[i] - avg) / Math.min(i + 1, 50);
            smooth.add(rows.steps()[i], avg);
            if (!Double.isNaN(rows.heldOutLoss()[i])) {
                held.add(rows.steps()[i], rows.heldOutLoss()[i]);
            }
        }
        XYSeriesCollection c = new XYSeriesCollection();
        c.addSeries(train);
        c.addSeries(smooth);
        c.addSeries(held);
        XYPlot plot = new XYPlot(c, axis("step"), axis("score-matching loss (standardised units)"), null);
        XYLineAndShapeRenderer rr = new XYLineAndShapeRenderer(true, false);
        rr.setSeriesPaint(0, new Color(180, 180, 180));
        rr.setSeriesPaint(1, Color.BLACK);
        rr.setSeriesPaint(2, HELD_OUT);
        rr.setSeriesStroke(1, new BasicStroke(1.8f));
        rr.setSeriesStroke(2, new BasicStroke(2.2f));
        rr.setSeriesShapesVisible(2, true);
        plot.setRenderer(rr);
        ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
        style(plot);
        return Figure.of(chart("Training curve", plot));
    }

    /** 2-D marginals of samples and data for each pair of {@code columns}, histograms on the diagonal. */
    public static Figure pairs(Matrix samples, Matrix data, List<String> names, int[] columns) {
        List<JFreeChart> charts = new ArrayList<>();
        for (int a : columns) {
            for (int b : columns) {
                if (a == b) {
                    HistogramDataset h = new HistogramDataset();
                    h.setType(HistogramType.SCALE_AREA_TO_1);
                    h.addSeries("samples", column(samples, a), 30);
                    h.addSeries("data", column(data, a), 30);
                    JFreeChart c = histogram(h, names.get(a) + " (data units)", "density");
                    c.setTitle((String) null);
                    charts.add(c);
                } else {
                    JFreeChart c = samples(samples, data, names, b, a).charts().get(0);
                    c.setTitle((String) null);
                    charts.add(c);
                }
            }
        }
        return Figure.grid(charts, columns.length, "Pair plot: model samples (red) and data (black)");
    }

    /**
     * Image rows (D a square number, row-major pixels, such as the 8×8 digits) as pictures: up to
     * 100 model samples beside up to 100 data rows, on one grey scale from the data's range.
     */
    public static Figure images(Matrix samples, Matrix data) {
        return new ImageGrid(samples, data);
    }

    /** Overlapping histograms of energies (e.g. training, held-out, samples) to pick anomaly thresholds. */
    public static Figure energies(List<String> labels, List<double[]> energies) {
        HistogramDataset h = new HistogramDataset();
        h.setType(HistogramType.SCALE_AREA_TO_1);
        for (int i = 0; i < labels.size(); i++) {
            h.addSeries(labels.get(i), energies.get(i), 40);
        }
        JFreeChart c = histogram(h, "energy E(x) (data units; lower = more likely)", "density (area 1 per series)");
        c.setTitle("Energy histograms");
        c.getTitle().setFont(TITLE);
        return Figure.of(c);
    }

    /** One line with its spread: x values, the middle (e.g. median) and a lower and upper band. */
    public record Band(String name, double[] x, double[] middle, double[] lower, double[] upper) {
    }

    /**
     * Lines with shaded spread bands (e.g. median and min–max over seeds), optionally on
     * logarithmic axes: for comparisons such as Fisher divergence against training time.
     */
    public static Figure bands(String title, String xLabel, String yLabel, boolean logX, boolean logY, List<Band> bands) {
        org.jfree.data.xy.YIntervalSeriesCollection c = new org.jfree.data.xy.YIntervalSeriesCollection();
        for (Band b : bands) {
            org.jfree.data.xy.YIntervalSeries s = new org.jfree.data.xy.YIntervalSeries(b.name());
            for (int i = 0; i < b.x().length; i++) {
                s.add(b.x()[i], b.middle()[i], b.lower()[i], b.upper()[i]);
            }
            c.addSeries(s);
        }
        org.jfree.chart.axis.ValueAxis x = logX ? logAxis(xLabel) : axis(xLabel);
        org.jfree.chart.axis.ValueAxis y = logY ? logAxis(yLabel) : axis(yLabel);
        org.jfree.chart.renderer.xy.DeviationRenderer r = new org.jfree.chart.renderer.xy.DeviationRenderer(true, true);
        Color[] colours = {new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44),
            new Color(214, 39, 40), new Color(148, 103, 189)};
        for (int i = 0; i < bands.size(); i++) {
            r.setSeriesPaint(i, colours[i % colours.length]);
            r.setSeriesFillPaint(i, colours[i % colours.length]);
            r.setSeriesStroke(i, new BasicStroke(2f));
            r.setSeriesShape(i, new Ellipse2D.Double(-3, -3, 6, 6));
        }
        r.setAlpha(0.18f);
        XYPlot plot = new XYPlot(c, x, y, r);
        style(plot);
        return Figure.of(chart(title, plot));
    }

    private static org.jfree.chart.axis.LogAxis logAxis(String label) {
        org.jfree.chart.axis.LogAxis a = new org.jfree.chart.axis.LogAxis(label);
        a.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        a.setSmallestValue(1e-6);
        // A labelled tick at every power of ten, written as a plain number ("0.1", not "10^-1.0").
        a.setTickUnit(new org.jfree.chart.axis.NumberTickUnit(1.0));
        a.setNumberFormatOverride(new java.text.DecimalFormat("0.####"));
        a.setMinorTickMarksVisible(true);
        a.setMinorTickCount(9);
        return a;
    }

    private static JFreeChart histogram(HistogramDataset h, String x, String y) {
        XYPlot plot = new XYPlot(h, axis(x), axis(y), null);
        XYBarRenderer r = new XYBarRenderer();
        r.setBarPainter(new StandardXYBarPainter());
        r.setShadowVisible(false);
        Color[] colours = {SAMPLES, new Color(20, 20, 20, 110), new Color(31, 119, 180, 120)};
        for (int i = 0; i < h.getSeriesCount(); i++) {
            r.setSeriesPaint(i, colours[i % colours.length]);
        }
        plot.setRenderer(r);
        style(plot);
        return chart(null, plot);
    }

    private static double[] column(Matrix m, int c) {
        double[] v = new double[m.rows()];
        for (int i = 0; i < m.rows(); i++) {
            v[i] = m.get(i, c);
        }
        return v;
    }

    private static XYSeries series(String name, Matrix m, int cx, int cy) {
        XYSeries s = new XYSeries(name, false, true);
        for (int i = 0; i < m.rows(); i++) {
            s.add(m.get(i, cx), m.get(i, cy));
        }
        return s;
    }

    private static XYSeriesCollection scatter(String name, Matrix m, int cx, int cy) {
        return new XYSeriesCollection(series(name, m, cx, cy));
    }

    private static XYShapeRenderer dots(Color c, double size) {
        XYShapeRenderer r = new XYShapeRenderer();
        r.setSeriesPaint(0, c);
        r.setSeriesShape(0, new Ellipse2D.Double(-size / 2, -size / 2, size, size));
        return r;
    }

    private static NumberAxis axis(String label) {
        NumberAxis a = new NumberAxis(label);
        a.setAutoRangeIncludesZero(false);
        a.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        return a;
    }

    private static XYPlot basePlot(String x, String y, double[] r) {
        NumberAxis ax = axis(x);
        NumberAxis ay = axis(y);
        ax.setRange(r[0], r[1]);
        ay.setRange(r[2], r[3]);
        XYPlot plot = new XYPlot(null, ax, ay, null);
        style(plot);
        return plot;
    }

    private static void style(XYPlot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(220, 220, 220));
        plot.setRangeGridlinePaint(new Color(220, 220, 220));
        plot.setOutlinePaint(new Color(120, 120, 120));
    }

    private static JFreeChart chart(String title, XYPlot plot) {
        JFreeChart c = new JFreeChart(title, TITLE, plot, true);
        c.setBackgroundPaint(Color.WHITE);
        if (c.getLegend() != null) {
            c.getLegend().setFrame(BlockBorder.NONE);
        }
        return c;
    }
}
