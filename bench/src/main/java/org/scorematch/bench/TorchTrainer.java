package org.scorematch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs {@code bench/python/torch_train.py} (the PyTorch reference training) on a list of jobs in
 * one process and returns its result per job, in order.
 */
final class TorchTrainer {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String python;
    private final String script;

    TorchTrainer(String python, String script) {
        this.python = python;
        this.script = script;
    }

    /** Results in job order; {@code onResult} sees each as it arrives (for progress and caching). */
    List<JsonNode> run(List<Map<String, Object>> jobs, java.util.function.BiConsumer<Integer, JsonNode> onResult)
            throws IOException, InterruptedException {
        List<JsonNode> results = new ArrayList<>();
        if (jobs.isEmpty()) {
            return results;
        }
        ProcessBuilder pb = new ProcessBuilder(python, script).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().putIfAbsent("OMP_WAIT_POLICY", "PASSIVE");
        Process p = pb.start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(JSON.writeValueAsBytes(jobs));
        }
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                JsonNode node = JSON.readTree(line);
                if (onResult != null) {
                    onResult.accept(results.size(), node);
                }
                results.add(node);
            }
        }
        int code = p.waitFor();
        if (code != 0 || results.size() != jobs.size()) {
            throw new IOException(script + " exited with " + code + " after " + results.size() + " of " + jobs.size()
                    + " jobs");
        }
        return results;
    }
}
