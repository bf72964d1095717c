package org.scorematch.bench;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** {@code --key value} options of the benchmark programs; flags named in {@code switches} take no value. */
final class BenchOptions {
    private final Map<String, String> values;

    private BenchOptions(Map<String, String> values) {
        this.values = values;
    }

    static BenchOptions parse(String[] args, Set<String> switches) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + args[i]);
            }
            String key = args[i].substring(2);
            if (switches.contains(key)) {
                m.put(key, "");
            } else if (i + 1 < args.length) {
                m.put(key, args[++i]);
            } else {
                throw new IllegalArgumentException("--" + key + " needs a value");
            }
        }
        return new BenchOptions(m);
    }

    String get(String key, String fallback) {
        return values.getOrDefault(key, fallback);
    }

    boolean has(String key) {
        return values.containsKey(key);
    }

    int integer(String key, int fallback) {
        return values.containsKey(key) ? Integer.parseInt(values.get(key)) : fallback;
    }

    double number(String key, double fallback) {
        return values.containsKey(key) ? Double.parseDouble(values.get(key)) : fallback;
    }

    int[] integers(String key, String fallback) {
        return Arrays.stream(get(key, fallback).split(",")).mapToInt(Integer::parseInt).toArray();
    }

    String[] list(String key, String fallback) {
        return get(key, fallback).split(",");
    }
}
