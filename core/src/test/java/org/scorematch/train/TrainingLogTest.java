package org.scorematch.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scorematch.ScorematchException;

class TrainingLogTest {
    @Test
    void readsLogsWithoutTheLikelihoodColumnAndWithoutHeldOutValues(@TempDir Path dir) throws Exception {
        Path old = dir.resolve("old.csv");
        Files.writeString(old, "step,loss,held_out_loss,learning_rate,seconds\n1,2.5,,0.001,0.1\n2,2.0,1.75,0.001,0.2\n");
        TrainingLog log = TrainingLog.read(old);
        assertThat(log.steps()).containsExactly(1, 2);
        assertThat(log.loss()).containsExactly(2.5, 2.0);
        assertThat(log.heldOutLoss()[0]).isNaN();
        assertThat(log.heldOutLoss()[1]).isEqualTo(1.75);
        assertThat(java.util.Arrays.stream(log.heldOutLogLikelihood()).allMatch(Double::isNaN)).isTrue();
    }

    @Test
    void badLogsNameTheFileAndLine(@TempDir Path dir) throws Exception {
        Path notLog = dir.resolve("data.csv");
        Files.writeString(notLog, "x,y\n1,2\n");
        assertThatThrownBy(() -> TrainingLog.read(notLog)).isInstanceOf(ScorematchException.class)
                .hasMessageContaining("data.csv").hasMessageContaining("no 'step' column");
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, Trainer.LOG_HEADER + "\n1,0.5,,,0.001,0.1\n2,oops,,,0.001,0.2\n");
        assertThatThrownBy(() -> TrainingLog.read(bad)).isInstanceOf(ScorematchException.class)
                .hasMessageContaining("bad.csv:3:2: not a number in column 'loss'").hasMessageContaining("'oops'");
        Path missing = dir.resolve("missing.csv");
        Files.writeString(missing, Trainer.LOG_HEADER + "\n1,0.5,,,0.001,0.1\n2,,,,0.001,0.2\n");
        assertThatThrownBy(() -> TrainingLog.read(missing)).isInstanceOf(ScorematchException.class)
                .hasMessageContaining("missing.csv:3:2: missing value in column 'loss'");
        Path empty = dir.resolve("empty.csv");
        Files.writeString(empty, Trainer.LOG_HEADER + "\n");
        assertThatThrownBy(() -> TrainingLog.read(empty)).hasMessageContaining("no steps");
    }
}
