package org.scorematch.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scorematch.ScorematchException;
import org.scorematch.data.Standardization;
import org.scorematch.engine.Activation;
import org.scorematch.io.ModelFile;
import org.scorematch.model.Architecture;
import org.scorematch.model.EnergyModel;
import org.scorematch.model.TrainedModel;

/** The typed checkpoint record survives its file exactly, and a damaged or plain file is refused by name. */
class CheckpointFileTest {
    private static TrainedModel model() {
        Architecture arch = Architecture.mlp(Architecture.Kind.ENERGY, 2, new int[] {3}, Activation.SILU, null);
        return TrainedModel.of(EnergyModel.of(arch, new SplittableRandom(3)),
                new Standardization(new double[] {0, 1}, new double[] {1, 2}), List.of("a", "b"), Map.of());
    }

    private static Checkpoint state(TrainedModel m, boolean withEma, boolean withBest) {
        double[] theta = m.model().parameters();
        Map<String, double[]> optimizer = new LinkedHashMap<>();
        optimizer.put("m", new double[] {0.25, -1});
        optimizer.put("v", new double[] {1e-300, 7});
        optimizer.put("step", new double[] {17});
        double[] ema = withEma ? theta.clone() : null;
        BestEvaluation.State best = new BestEvaluation.State(withBest ? theta.clone() : null, withBest ? -0.125 : Double.POSITIVE_INFINITY,
                withBest ? 0.5 : Double.NaN, withBest ? -3.75 : Double.NaN, 2);
        return new Checkpoint(40, 12.5, "objective=x seed=1", theta, ema, optimizer, best);
    }

    @Test
    void everyFieldRoundTrips(@TempDir Path dir) {
        TrainedModel m = model();
        for (boolean withEma : new boolean[] {false, true}) {
            for (boolean withBest : new boolean[] {false, true}) {
                Path path = dir.resolve("c" + withEma + withBest + ".safetensors");
                Checkpoint written = state(m, withEma, withBest);
                CheckpointFile.write(path, m, written);
                CheckpointFile.Read read = CheckpointFile.read(path);
                Checkpoint back = read.checkpoint();
                assertThat(back.step()).isEqualTo(40);
                assertThat(back.seconds()).isEqualTo(12.5);
                assertThat(back.settings()).isEqualTo(written.settings());
                assertThat(back.theta()).containsExactly(written.theta());
                assertThat(back.ema()).isEqualTo(written.ema());
                assertThat(back.optimizerState().keySet()).containsExactlyInAnyOrderElementsOf(written.optimizerState().keySet());
                written.optimizerState().forEach((k, v) -> assertThat(back.optimizerState().get(k)).containsExactly(v));
                assertThat(back.best().weights()).isEqualTo(written.best().weights());
                // Boxed comparison: NaN (no evaluation yet) equals NaN.
                assertThat(Double.valueOf(back.best().criterion())).isEqualTo(Double.valueOf(written.best().criterion()));
                assertThat(Double.valueOf(back.best().heldOutLoss())).isEqualTo(Double.valueOf(written.best().heldOutLoss()));
                assertThat(Double.valueOf(back.best().logLikelihood())).isEqualTo(Double.valueOf(written.best().logLikelihood()));
                assertThat(back.best().sinceBest()).isEqualTo(2);
                // The checkpoint is also a model file that any reader opens.
                assertThat(ModelFile.load(path).model().parameters()).containsExactly(m.model().parameters());
            }
        }
    }

    @Test
    void aPlainModelOrADamagedEntryIsRefusedByName(@TempDir Path dir) throws Exception {
        Path plain = dir.resolve("model.safetensors");
        ModelFile.save(model(), plain);
        assertThatThrownBy(() -> CheckpointFile.read(plain)).isInstanceOf(ScorematchException.class)
                .hasMessageContaining(plain.toString()).hasMessageContaining("not a checkpoint");

        Path ckpt = dir.resolve("ckpt.safetensors");
        CheckpointFile.write(ckpt, model(), state(model(), true, true));
        String text = new String(Files.readAllBytes(ckpt), StandardCharsets.ISO_8859_1);
        Files.write(ckpt, text.replace("\"checkpoint.bad_evaluations\":\"2\"", "\"checkpoint.bad_evaluations\":\"x\"")
                .getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> CheckpointFile.read(ckpt)).isInstanceOf(ScorematchException.class)
                .hasMessageContaining(ckpt.toString()).hasMessageContaining("checkpoint.bad_evaluations");
    }
}
