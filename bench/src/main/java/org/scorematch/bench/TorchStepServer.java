package org.scorematch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * One {@code bench/python/torch_step.py --serve} process, asked for one configuration at a time,
 * so that the harness times each row of PyTorch right after its own (the machine's speed drifts
 * by tens of percent over the minutes a whole objective takes, and a ratio should compare the two
 * sides in the same state). A process that dies (most likely killed for memory) answers
 * {@code null} for the configuration it was timing and is started again for the next.
 */
final class TorchStepServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> command;
    private final int threads;
    private Process process;
    private Writer requests;
    private BufferedReader answers;

    /** A server run as {@code python script --serve --threads threads}, started on the first request. */
    TorchStepServer(String python, String script, int threads) {
        this.command = List.of(python, script, "--serve", "--threads", Integer.toString(threads));
        this.threads = threads;
    }

    /**
     * The median milliseconds of one step of the configuration in {@code request} (the keys
     * {@code torch_step.py}'s {@code serve} reads), or {@code null} when it was skipped or its
     * process died.
     */
    Double medianMs(Map<String, Object> request) throws IOException, InterruptedException {
        if (process == null) {
            start();
        }
        requests.write(JSON.writeValueAsString(request));
        requests.write('\n');
        requests.flush();
        String line = answers.readLine();
        if (line == null) {
            int exit = process.waitFor();
            System.out.printf("PyTorch server exited with %d%s while timing %s%n", exit,
                    exit == 137 ? " (killed, most likely out of memory)" : "", JSON.writeValueAsString(request));
            close();
            return null;
        }
        JsonNode answer = JSON.readTree(line);
        if (answer.has("skipped")) {
            System.out.println("PyTorch skipped " + JSON.writeValueAsString(request) + ": " + answer.get("skipped").asText());
            return null;
        }
        return answer.get("ms_median").asDouble();
    }

    private void start() throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        pb.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
        // This JVM runs single-threaded OpenBLAS per engine thread; PyTorch gets the same total.
        pb.environment().put("OPENBLAS_NUM_THREADS", Integer.toString(threads));
        process = pb.start();
        requests = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    @Override
    public void close() throws InterruptedException {
        if (process == null) {
            return;
        }
        try {
            requests.close();
        } catch (IOException e) {
            // The process is gone already; nothing is left to tell it.
        }
        if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        process = null;
    }
}
