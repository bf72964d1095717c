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
    }
}
