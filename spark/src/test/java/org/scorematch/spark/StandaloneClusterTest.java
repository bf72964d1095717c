package org.scorematch.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Spark standalone cluster on 127.0.0.1: a Master and a Worker (two cores) started as
 * their own JVMs from Maven's Spark jars, with the SPARK_HOME a standalone Worker needs (a
 * {@code jars/} folder: here the test's classpath, the modules' classes packed as jars, so the
 * executors load the same classes) and {@code SPARK_SCALA_VERSION}. {@code TrainAndScore} runs
 * against it with two partitions, one engine thread per task and barrier jobs, and then in
 * {@code local[2]} with the same settings: the same partitions compute the same parts, which two
 * partitions sum in either order to the same bits, so the model and every row's scores agree bit
 * for bit. Before the Worker starts, the driver warns that no executor is available. Takes
 * about 40 s (three JVMs start).
 */
class StandaloneClusterTest {
    private static final String[] TRAINING = {"--hidden", "16,16", "--objective", "sliced", "--steps", "30", "--batch",
        "128", "--partitions", "2", "--steps-per-job", "10", "--id-column", "id"};

    @Test
    void trainAndScoreOnAStandaloneClusterMatchesLocalMode(@TempDir Path dir) throws Exception {
        Path home = dir.resolve("spark-home");
        sparkHome(home.resolve("jars"));
        int masterPort = freePort();
        String master = "spark://127.0.0.1:" + masterPort;
        List<Process> daemons = new ArrayList<>();
        Path input = dir.resolve("rows.csv");
        writeRows(input);
        try {
            int ui = freePort();
            daemons.add(start(home, dir.resolve("master.log"), "org.apache.spark.deploy.master.Master", "--host",
                    "127.0.0.1", "--port", Integer.toString(masterPort), "--webui-port", Integer.toString(ui)));
            awaitMaster(ui, dir);
            SparkSession cluster = session(master).config("spark.cores.max", "2").config("spark.executor.cores", "2")
                    .config("spark.executor.memory", "1g").getOrCreate();
            // No Worker yet: the driver says so instead of waiting in silence.
            List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
            try (ExecutorWatch watch = ExecutorWatch.start(cluster.sparkContext(), 1, warnings::add)) {
                Thread.sleep(2500);
            }
            assertThat(warnings).isNotEmpty().allMatch(w -> w.contains("no executor has been available"));
            daemons.add(start(home, dir.resolve("worker.log"), "org.apache.spark.deploy.worker.Worker", "--host",
                    "127.0.0.1", "--cores", "2", "--memory", "2g", "--webui-port", Integer.toString(freePort()),
                    "--work-dir", dir.resolve("work").toString(), master));
            awaitAliveWorker(ui, dir);
            int clusterStatus = TrainAndScore.run(args(input, dir.resolve("cluster")));
            assertThat(clusterStatus).as("on the cluster; executor logs under %s", dir.resolve("work")).isZero();
        } finally {
            for (Process p : daemons) {
                p.destroyForcibly().waitFor();
            }
        }
        session("local[2]").getOrCreate();
        assertThat(TrainAndScore.run(args(input, dir.resolve("local")))).isZero();
        SparkSession read = session("local[1]").getOrCreate();
        try {
            assertThat(ScoreMatchingModel.load(dir.resolve("cluster/model").toString()).trainedModel().model().parameters())
                    .containsExactly(ScoreMatchingModel.load(dir.resolve("local/model").toString()).trainedModel().model()
                            .parameters());
            Map<Integer, Double> local = energies(read, dir.resolve("local/scores"));
            Map<Integer, Double> cluster = energies(read, dir.resolve("cluster/scores"));
            assertThat(cluster).hasSize(400).isEqualTo(local);
        } finally {
            read.stop();
        }
    }

    private static SparkSession.Builder session(String master) {
        return SparkSession.builder().master(master).appName("scorematch-standalone").config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1");
    }

    private static String[] args(Path input, Path out) {
        List<String> a = new ArrayList<>(List.of("--input", input.toString(), "--model-out", out.resolve("model").toString(),
                "--scores-out", out.resolve("scores").toString()));
        a.addAll(List.of(TRAINING));
        return a.toArray(String[]::new);
    }

    private static Map<Integer, Double> energies(SparkSession spark, Path scores) {
        Map<Integer, Double> m = new HashMap<>();
        for (Row r : spark.read().parquet(scores.toString()).select("id", "energy").collectAsList()) {
            m.put(r.getInt(0), r.getDouble(1));
        }
        return m;
    }

    private static void writeRows(Path file) throws IOException {
        StringBuilder csv = new StringBuilder("id,a,b,c\n");
        SplittableRandom rng = new SplittableRandom(11);
        for (int i = 0; i < 400; i++) {
            double z = rng.nextGaussian();
            csv.append(i).append(',').append(z).append(',').append(2 * z + rng.nextGaussian()).append(',')
                    .append(rng.nextDouble() < 0.5 ? -1 + 0.3 * rng.nextGaussian() : 1 + 0.3 * rng.nextGaussian())
                    .append('\n');
        }
        Files.writeString(file, csv);
    }

    /** SPARK_HOME/jars: this JVM's classpath, folders of classes packed as jars. */
    private static void sparkHome(Path jars) throws IOException {
        Files.createDirectories(jars);
        int folders = 0;
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path p = Path.of(entry);
            if (Files.isDirectory(p)) {
                pack(p, jars.resolve("classes-" + (folders++) + ".jar"));
            } else if (Files.isRegularFile(p) && p.toString().endsWith(".jar")) {
                Path link = jars.resolve(p.getFileName());
                if (!Files.exists(link)) {
                    Files.createSymbolicLink(link, p.toAbsolutePath());
                }
            }
        }
    }

    private static void pack(Path folder, Path jar) throws IOException {
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar)); Stream<Path> files = Files.walk(folder)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                out.putNextEntry(new JarEntry(folder.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, out);
                out.closeEntry();
            }
        }
    }

    /** A Spark daemon in its own JVM, with this JVM's flags (Java 17's module openings) and a Spark home. */
    private static Process start(Path home, Path log, String mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String flag : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (flag.startsWith("--add-opens") || flag.startsWith("-Dio.netty") || flag.startsWith("-Djdk.reflect")) {
                command.add(flag);
            }
        }
        command.addAll(List.of("-Xmx512m", "-cp", home.resolve("jars") + "/*", mainClass));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SPARK_HOME", home.toString());
        pb.environment().put("SPARK_SCALA_VERSION", "2.13");
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        return pb.start();
    }

    private static void awaitMaster(int uiPort, Path dir) throws Exception {
        await(uiPort, dir, java.util.regex.Pattern.compile("\"aliveworkers\""), "the Master is not up");
    }

    private static void awaitAliveWorker(int uiPort, Path dir) throws Exception {
        await(uiPort, dir, java.util.regex.Pattern.compile("\"aliveworkers\"\\s*:\\s*([1-9])"), "no Worker alive");
    }

    /** Polls the Master's JSON status page until it matches {@code ready} (90 s at most). */
    private static void await(int uiPort, Path dir, java.util.regex.Pattern ready, String failure) throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpRequest status = java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + uiPort + "/json/")).build();
        long deadline = System.nanoTime() + 90_000_000_000L;
        while (System.nanoTime() < deadline) {
            try {
                if (ready.matcher(http.send(status, java.net.http.HttpResponse.BodyHandlers.ofString()).body()).find()) {
                    return;
                }
            } catch (IOException notYetListening) {
                // the Master is still starting
            }
            Thread.sleep(250);
        }
        throw new AssertionError(failure + " after 90 s; master log:\n" + Files.readString(dir.resolve("master.log"))
                + "\nworker log:\n" + Files.readString(dir.resolve("worker.log")));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
