package org.scorematch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlotCommandTest {
    @Test
    void plotsEveryKindAsPngOrSvgAndRefusesWhatDoesNotApply(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("f.safetensors");
        Path log = dir.resolve("log.csv");
        assertThat(TrainCommandTest.run("train", "--dataset", "faithful", "--steps", "100", "--hidden", "16",
                "--threads", "1", "--log", log.toString(), "--out", model.toString()).code()).isZero();
        Path data = dir.resolve("f.csv");
        Files.writeString(data, "eruptions,waiting\n3.6,79\n1.8,54\n3.333,74\n2.283,62\n4.533,85\n2.883,55\n");
        for (String kind : new String[] {"density", "score", "samples", "loss", "energy", "pairs"}) {
            for (String ext : new String[] {"png", "svg"}) {
                Path out = dir.resolve(kind + "." + ext);
                TrainCommandTest.Result r = TrainCommandTest.run("plot", "--model", model.toString(), "--data",
                        data.toString(), "--kind", kind, "--log", log.toString(), "--out", out.toString(), "--width",
                        "400", "--height", "300");
                assertThat(r.code()).as(kind + " " + ext + ": " + r.err()).isZero();
                byte[] bytes = Files.readAllBytes(out);
                if (ext.equals("png")) {
                    assertThat(javax.imageio.ImageIO.read(out.toFile()).getWidth()).isEqualTo(400);
                } else {
                    assertThat(new String(bytes, java.nio.charset.StandardCharsets.UTF_8)).contains("<svg");
                }
            }
        }
        Path none = dir.resolve("none.png");
        TrainCommandTest.Result noLog = TrainCommandTest.run("plot", "--model", model.toString(), "--data",
                data.toString(), "--kind", "loss", "--out", none.toString());
        assertThat(noLog.code()).isNotZero();
        assertThat(noLog.err()).contains("--kind loss needs --log");
        assertThat(none).doesNotExist();
        TrainCommandTest.Result bad = TrainCommandTest.run("plot", "--model", model.toString(), "--data",
                data.toString(), "--kind", "violin", "--out", none.toString());
        assertThat(bad.err()).contains("unknown --kind 'violin'");
        TrainCommandTest.Result notSquare = TrainCommandTest.run("plot", "--model", model.toString(), "--data",
                data.toString(), "--kind", "images", "--out", none.toString());
        assertThat(notSquare.err()).contains("D = 2 is not a square number");
        assertThat(none).doesNotExist();
    }

    /**
     * Images: a diffusion model of 4×4 pictures (a bright diagonal on a dark ground) draws its
     * samples beside the data; the data panel's diagonal pixels are dark ink, the others white.
     */
    @Test
    void drawsSquareImageRowsAsPictures(@TempDir Path dir) throws Exception {
        StringBuilder csv = new StringBuilder();
        for (int c = 0; c < 16; c++) {
            csv.append(c == 0 ? "" : ",").append("p").append(c);
        }
        csv.append('\n');
        java.util.SplittableRandom rng = new java.util.SplittableRandom(1);
        for (int i = 0; i < 200; i++) {
            for (int c = 0; c < 16; c++) {
                csv.append(c == 0 ? "" : ",").append(c % 5 == 0 ? 14 + rng.nextInt(3) : rng.nextInt(2));
            }
            csv.append('\n');
        }
        Path data = dir.resolve("pictures.csv");
        Files.writeString(data, csv);
        Path model = dir.resolve("p.safetensors");
        TrainCommandTest.Result t = TrainCommandTest.run("train", "--data", data.toString(), "--objective", "diffusion",
                "--model", "score", "--steps", "30", "--hidden", "16", "--threads", "1", "--out", model.toString());
        assertThat(t.code()).as(t.err()).isZero();
        Path out = dir.resolve("images.png");
        TrainCommandTest.Result r = TrainCommandTest.run("plot", "--model", model.toString(), "--data", data.toString(),
                "--kind", "images", "--out", out.toString(), "--width", "800", "--height", "400");
        assertThat(r.code()).as(r.err()).isZero();
        java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(out.toFile());
        assertThat(img.getWidth()).isEqualTo(800);
        // The data panel starts at x = 400; its first picture's cells are 0.9 × cell / 4 pixels wide.
        int cell = (int) Math.min((400 - 20) / 10.0, (400 - 28 - 10) / 10.0);
        double pixel = cell * 0.9 / 4;
        int diagonal = img.getRGB((int) (400 + 10 + 0.5 * pixel), (int) (28 + 0.5 * pixel)) & 0xff;
        int ground = img.getRGB((int) (400 + 10 + 1.5 * pixel), (int) (28 + 0.5 * pixel)) & 0xff;
        assertThat(diagonal).as("ink").isLessThan(60);
        assertThat(ground).as("ground").isGreaterThan(180);
    }
}
