package org.scorematch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * The core's packages import each other without a cycle: the package graph that {@code jdeps
 * -verbose:package} reports for the compiled classes, searched depth-first for a back edge.
 */
class PackageCyclesTest {
    @Test
    void corePackagesHaveNoCycle() {
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
        StringWriter out = new StringWriter();
        int code = jdeps.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "-verbose:package", "-e",
                "org\\.scorematch.*", Path.of("target/classes").toString());
        assertThat(code).isZero();
        Map<String, Set<String>> edges = new HashMap<>();
        for (String line : out.toString().split("\n")) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length >= 3 && parts[1].equals("->") && parts[0].startsWith("org.scorematch")
                    && parts[2].startsWith("org.scorematch") && !parts[0].equals(parts[2])) {
                edges.computeIfAbsent(parts[0], k -> new TreeSet<>()).add(parts[2]);
            }
        }
        assertThat(edges).as("jdeps found the packages").containsKey("org.scorematch.objective");
        List<String> cycle = findCycle(edges);
        assertThat(cycle).as("a cycle among the core packages").isEmpty();
    }

    private static List<String> findCycle(Map<String, Set<String>> edges) {
        Set<String> done = new HashSet<>();
        for (String start : new TreeSet<>(edges.keySet())) {
            List<String> path = new ArrayList<>();
            List<String> found = visit(start, edges, done, path);
            if (!found.isEmpty()) {
                return found;
            }
        }
        return List.of();
    }

    private static List<String> visit(String p, Map<String, Set<String>> edges, Set<String> done, List<String> path) {
        int at = path.indexOf(p);
        if (at >= 0) {
            List<String> cycle = new ArrayList<>(path.subList(at, path.size()));
            cycle.add(p);
            return cycle;
        }
        if (done.contains(p)) {
            return List.of();
        }
        path.add(p);
        for (String q : edges.getOrDefault(p, Set.of())) {
            List<String> found = visit(q, edges, done, path);
            if (!found.isEmpty()) {
                return found;
            }
        }
        path.remove(path.size() - 1);
        done.add(p);
        return List.of();
    }
}
