package org.scorematch.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.scorematch.ScorematchException;

/** The spark-submit driver's arguments, checked before Spark starts. */
class TrainAndScoreTest {
    private static final String[] REQUIRED = {"--input", "x.csv", "--model-out", "m/", "--scores-out", "s.parquet"};

    private static String[] with(String... more) {
        String[] all = java.util.Arrays.copyOf(REQUIRED, REQUIRED.length + more.length);
        System.arraycopy(more, 0, all, REQUIRED.length, more.length);
        return all;
    }

    @Test
    void aMisspeltOptionIsRefusedNotIgnored() {
        assertThatThrownBy(() -> TrainAndScore.parse(with("--hiden", "8"), System.out))
                .isInstanceOf(ScorematchException.class).hasMessageContaining("unknown option '--hiden'")
                .hasMessageContaining("--hidden");
        assertThatThrownBy(() -> TrainAndScore.parse(with("--steps"), System.out))
                .hasMessageContaining("--steps needs a value");
        assertThatThrownBy(() -> TrainAndScore.parse(new String[] {"--input", "x.csv"}, System.out))
                .hasMessageContaining("--model-out is required");
    }

    @Test
    void optionsTakeTheirDefaultsAndHelpListsThem() {
        Map<String, String> o = TrainAndScore.parse(with("--hidden", "16,16"), System.out);
        assertThat(o).containsEntry("hidden", "16,16").containsEntry("steps", "2000").containsEntry("objective", "sliced")
                .doesNotContainKey("columns");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        assertThat(TrainAndScore.parse(new String[] {"--help"}, new PrintStream(bytes, true, StandardCharsets.UTF_8)))
                .isNull();
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("--hidden").contains("(default 128,128,128)")
                .contains("--input");
    }
}
