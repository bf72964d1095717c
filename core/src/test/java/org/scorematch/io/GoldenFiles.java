package org.scorematch.io;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.scorematch.data.Standardization;
import org.scorematch.linalg.Matrix;
import org.scorematch.engine.Activation;
import org.scorematch.model.Architecture;
import org.scorematch.model.EnergyModel;
import org.scorematch.model.NoiseLadder;
import org.scorematch.model.ScoreModel;
import org.scorematch.model.TrainedModel;

/**
 * Writes the committed golden model files (format version 1) and the energies and scores they
 * gave when written. Run once per format version from the repository root:
 * {@code java -cp core/target/test-classes:core/target/classes:... org.scorematch.io.GoldenFiles};
 * later versions must keep reading these files to the same values ({@link ModelFileTest}).
 */
public final class GoldenFiles {
    static final Matrix POINTS = Matrix.of(3, 2, 3.5, 70, 1.8, 55, 4.9, 88);

    private GoldenFiles() {
    }

    static TrainedModel energy() {
        Architecture arch = Architecture.mlp(Architecture.Kind.ENERGY, 2, new int[] {5, 4}, Activation.SILU, null);
        return TrainedModel.of(EnergyModel.of(arch, new SplittableRandom(2026)),
                new Standardization(new double[] {3.49, 70.9}, new double[] {1.14, 13.6}), List.of("eruptions", "waiting"),
                Map.of("objective", "exact", "steps", "0"));
    }

    static TrainedModel conditionalScore() {
        Architecture arch = Architecture.mlp(Architecture.Kind.SCORE, 2, new int[] {6}, Activation.TANH,
                NoiseLadder.geometric(3, 0.1, 4));
        return TrainedModel.of(ScoreModel.of(arch, new SplittableRandom(2027)),
                new Standardization(new double[] {3.49, 70.9}, new double[] {1.14, 13.6}), List.of("eruptions", "waiting"),
                Map.of("objective", "multiscale", "steps", "0"));
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of("core/src/test/resources/golden");
        TrainedModel e = energy();
        TrainedModel s = conditionalScore();
        ModelFile.save(e, dir.resolve("energy-v1.safetensors"));
        ModelFile.save(s, dir.resolve("conditional-score-v1.safetensors"));
        StringBuilder sb = new StringBuilder("{\n");
        sb.append("  \"points\": ").append(json(POINTS.toArray())).append(",\n");
        sb.append("  \"energy\": ").append(json(e.energy(POINTS))).append(",\n");
        sb.append("  \"energy_score\": ").append(json(e.score(POINTS).toArray())).append(",\n");
        sb.append("  \"conditional_score\": ").append(json(s.score(POINTS).toArray())).append("\n}\n");
        Files.writeString(dir.resolve("expected-v1.json"), sb.toString());
    }

    private static String json(double[] a) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < a.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(a[i]);
        }
        return sb.append(']').toString();
    }
}
