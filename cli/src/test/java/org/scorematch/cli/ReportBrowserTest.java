package org.scorematch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML report opened in headless Chromium (Debian's {@code chromium}, installed by
 * {@code .ci/run}): it loads with no console messages from the page and every figure decodes.
 * Skipped, with the reason printed, where no Chromium can be found.
 */
class ReportBrowserTest {
    private static String chromium() {
        for (String c : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
            if (Files.isExecutable(Path.of(c))) {
                return c;
            }
        }
        return null;
    }

    @Test
    void reportLoadsInABrowserWithEveryFigure(@TempDir Path dir) throws Exception {
        String chrome = chromium();
        if (chrome == null) {
            System.out.println("ReportBrowserTest skipped: no chromium found (install Debian's chromium package)");
        }
        Assumptions.assumeTrue(chrome != null, "no chromium found");
        Path model = dir.resolve("f.safetensors");
        Path log = dir.resolve("log.csv");
        assertThat(TrainCommandTest.run("train", "--dataset", "faithful", "--steps", "150", "--hidden", "16,16",
                "--threads", "1", "--log", log.toString(), "--out", model.toString()).code()).isZero();
        Path data = dir.resolve("faithful.csv");
        Files.writeString(data, "eruptions,waiting\n3.6,79\n1.8,54\n3.333,74\n2.283,62\n4.533,85\n2.883,55\n4.7,88\n"
                + "3.6,85\n1.95,51\n4.35,85\n1.833,54\n3.917,84\n");
        Path report = dir.resolve("report.html");
        TrainCommandTest.Result r = TrainCommandTest.run("report", "--model", model.toString(), "--data", data.toString(),
                "--train", data.toString(), "--log", log.toString(), "--out", report.toString());
        assertThat(r.code()).as(r.err()).isZero();

        List<String> cmd = new ArrayList<>(List.of(chrome, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + dir.resolve("profile"), "--virtual-time-budget=5000", "--enable-logging=stderr",
                "--v=0", "--dump-dom", report.toUri().toString()));
        Process p = new ProcessBuilder(cmd).redirectError(dir.resolve("stderr.txt").toFile()).start();
        String dom = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String stderr = Files.readString(dir.resolve("stderr.txt"));
        Matcher body = Pattern.compile("<body data-figures-loaded=\"(\\d+)\" data-figures=\"(\\d+)\"").matcher(dom);
        assertThat(body.find()).as("the page's load handler ran; DOM starts: %s", dom.substring(0, Math.min(300,
                dom.length()))).isTrue();
        assertThat(Integer.parseInt(body.group(2))).isEqualTo(5);
        assertThat(body.group(1)).as("figures decoded").isEqualTo(body.group(2));
        assertThat(stderr.lines().filter(l -> l.contains(":CONSOLE(") || l.contains("Uncaught"))).as("console messages")
                .isEmpty();
        assertThat(dom).contains("Model card").contains("log likelihood").contains("kde log likelihood");
    }
}
