package org.scorematch.plot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jfree.chart.plot.XYPlot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scorematch.ScorematchException;
import org.scorematch.data.Standardization;
import org.scorematch.linalg.Matrix;
import org.scorematch.engine.Activation;
import org.scorematch.model.Architecture;
import org.scorematch.model.EnergyModel;
import org.scorematch.model.ScoreModel;
import org.scorematch.model.TrainedModel;

/** Figures carry their content: sizes, coloured plot areas, axes covering the data, arrow and point counts. */
class FiguresTest {
    private static final Matrix DATA = data(300);

    private static Matrix data(int n) {
        SplittableRandom rng = new SplittableRandom(1);
        double[] x = new double[2 * n];
        for (int i = 0; i < n; i++) {
            boolean a = rng.nextBoolean();
            x[2 * i] = (a ? 2 : 4.3) + 0.3 * rng.nextGaussian();
            x[2 * i + 1] = (a ? 54 : 80) + 6 * rng.nextGaussian();
        }
        return Matrix.of(n, 2, x);
    }

    /** A 2-D Gaussian energy fitted by hand to the data's spread (any energy model will do). */
    private static TrainedModel energy() {
        EnergyModel g = EnergyModel.gaussian(new double[] {0, 0}, Matrix.of(2, 2, 1, 0.5, 0.5, 1));
        return TrainedModel.of(g, new Standardization(new double[] {3.2, 67}, new double[] {1.1, 13}),
                List.of("eruptions", "waiting"), Map.of());
    }

    /** Share of pixels in the central plot area that are not white. */
    private static double coloured(BufferedImage img) {
        int count = 0;
        int total = 0;
        for (int y = img.getHeight() / 5; y < img.getHeight() * 4 / 5; y++) {
            for (int x = img.getWidth() / 5; x < img.getWidth() * 4 / 5; x++) {
                total++;
                if ((img.getRGB(x, y) & 0xffffff) != 0xffffff) {
                    count++;
                }
            }
        }
        return (double) count / total;
    }

    private static void assertAxesCoverData(Figure f, Matrix data) {
        XYPlot plot = f.charts().get(0).getXYPlot();
        for (int i = 0; i < data.rows(); i++) {
            assertThat(plot.getDomainAxis().getRange().contains(data.get(i, 0))).isTrue();
            assertThat(plot.getRangeAxis().getRange().contains(data.get(i, 1))).isTrue();
        }
        assertThat(plot.getDomainAxis().getLabel()).contains("eruptions");
        assertThat(plot.getRangeAxis().getLabel()).contains("waiting");
    }

    @Test
    void densityFillsThePlotAndHasAColourScale() {
        Figure f = Figures.density(energy(), DATA, 60);
        BufferedImage img = FigureFiles.image(f, 800, 600);
        assertThat(img.getWidth()).isEqualTo(800);
        assertThat(img.getHeight()).isEqualTo(600);
        assertThat(coloured(img)).as("heat map covers the plot area").isGreaterThan(0.9);
        assertAxesCoverData(f, DATA);
        assertThat(f.charts().get(0).getSubtitles()).anyMatch(t -> t instanceof org.jfree.chart.title.PaintScaleLegend);
    }

    @Test
    void scoreFieldHasOneArrowPerGridPointInSvg() {
        Figure f = Figures.score(energy(), DATA, 12);
        assertAxesCoverData(f, DATA);
        String svg = FigureFiles.svg(f, 800, 600);
        // Batik draws each arrow as a line and a head: count the vector series' 144 items instead.
        assertThat(((org.jfree.data.xy.VectorSeriesCollection) f.charts().get(0).getXYPlot().getDataset(0))
                .getItemCount(0)).isEqualTo(144);
        assertThat(count(svg, "<path")).isGreaterThan(144);
        assertThat(svg).contains("eruptions (data units)");
    }

    @Test
    void samplesPlotShowsEveryPointOfBothSeries() {
        Matrix samples = data(120);
        Figure f = Figures.samples(samples, DATA, List.of("eruptions", "waiting"), 0, 1);
        assertAxesCoverData(f, DATA);
        String svg = FigureFiles.svg(f, 800, 600);
        // Batik writes every point as a <path>; a few more are legend marks and frames.
        assertThat(count(svg, "<path")).isBetween(300 + 120, 300 + 120 + 20);
        assertThat(coloured(FigureFiles.image(f, 800, 600))).isGreaterThan(0.01);
    }

    @Test
    void lossCurveWithoutHeldOutRowsHasAnEmptyHeldOutSeries(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("log.csv");
        StringBuilder sb = new StringBuilder("step,loss,held_out_loss,held_out_log_likelihood,learning_rate,seconds\n");
        for (int s = 1; s <= 30; s++) {
            sb.append(s).append(',').append(1.0 / s).append(",,,0.001,").append(s * 0.01).append('\n');
        }
        Files.writeString(log, sb.toString());
        var dataset = Figures.loss(log).charts().get(0).getXYPlot().getDataset();
        assertThat(dataset.getItemCount(0)).isEqualTo(30);
        assertThat(dataset.getItemCount(2)).isZero();
    }

    @Test
    void lossCurveReadsTheTrainingLog(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("log.csv");
        StringBuilder sb = new StringBuilder("step,loss,held_out_loss,learning_rate,seconds\n");
        for (int s = 1; s <= 200; s++) {
            sb.append(s).append(',').append(-Math.log(s)).append(',').append(s % 20 == 0 ? Double.toString(-Math.log(s) + 0.3) : "")
                    .append(",0.001,").append(s * 0.01).append('\n');
        }
        Files.writeString(log, sb.toString());
        Figure f = Figures.loss(log);
        var dataset = f.charts().get(0).getXYPlot().getDataset();
        assertThat(dataset.getSeriesCount()).isEqualTo(3);
        assertThat(dataset.getItemCount(0)).isEqualTo(200);
        assertThat(dataset.getItemCount(2)).isEqualTo(10);
        assertThat(f.charts().get(0).getXYPlot().getDomainAxis().getRange().getUpperBound()).isGreaterThanOrEqualTo(200);
        Path png = dir.resolve("loss.png");
        FigureFiles.write(f, png, 640, 480);
        assertThat(javax.imageio.ImageIO.read(png.toFile()).getWidth()).isEqualTo(640);
    }

    @Test
    void pairPlotHasOnePanelPerPair() {
        SplittableRandom rng = new SplittableRandom(2);
        double[] x = new double[4 * 200];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextGaussian();
        }
        Matrix m = Matrix.of(200, 4, x);
        Figure f = Figures.pairs(m, m, List.of("a", "b", "c", "d"), new int[] {0, 1, 2});
        assertThat(f.charts()).hasSize(9);
        assertThat(coloured(FigureFiles.image(f, 900, 900))).isGreaterThan(0.02);
    }

    @Test
    void energyHistogramsAndRefusals() {
        Figure f = Figures.energies(List.of("samples", "data"), List.of(new double[] {1, 2, 2, 3}, new double[] {2, 3, 3, 4}));
        assertThat(f.charts().get(0).getXYPlot().getDataset().getSeriesCount()).isEqualTo(2);
        TrainedModel score = TrainedModel.of(ScoreModel.of(Architecture.mlp(Architecture.Kind.SCORE, 2, new int[] {4},
                Activation.SILU, null), new SplittableRandom(1)), Standardization.identity(2), List.of("a", "b"), Map.of());
        assertThatThrownBy(() -> Figures.density(score, DATA, 10)).isInstanceOf(ScorematchException.class)
                .hasMessageContaining("no energy");
        assertThatThrownBy(() -> FigureFiles.write(f, Path.of("x.gif"), 10, 10)).hasMessageContaining(".png or .svg");
    }

    private static int count(String s, String token) {
        Matcher m = Pattern.compile(Pattern.quote(token)).matcher(s);
        int c = 0;
        while (m.find()) {
            c++;
        }
        return c;
    }
}
