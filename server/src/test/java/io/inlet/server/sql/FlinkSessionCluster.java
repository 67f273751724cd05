package io.inlet.server.sql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inlet.testing.Await;
import io.inlet.testing.FreePorts;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A real Flink session cluster for a test: a JobManager ({@code
 * StandaloneSessionClusterEntrypoint}) and one TaskManager ({@code TaskManagerRunner}), each its
 * own JVM, started from Flink's Maven modules (Flink's distribution archive is not available here)
 * with a generated {@code config.yaml}: loopback only, free ports, small memory, logs and temporary
 * files in the test's directory.
 *
 * <p>Their classpath is this JVM's without Inlet's jars and without the libraries the {@code inlet}
 * connector brings along (gRPC, protobuf, Netty, Jackson, Guava, zstd): a job finds those only in
 * the jars it ships ({@code pipeline.jars}), as it would on a cluster that knows nothing of Inlet.
 */
final class FlinkSessionCluster implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** What {@code env.java.opts.all} holds in Flink's own config.yaml for Java 17 and later. */
  private static final List<String> JAVA_OPENS =
      List.of(
          "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
          "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
          "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
          "--add-opens=java.base/java.lang=ALL-UNNAMED",
          "--add-opens=java.base/java.net=ALL-UNNAMED",
          "--add-opens=java.base/java.io=ALL-UNNAMED",
          "--add-opens=java.base/java.nio=ALL-UNNAMED",
          "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
          "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
          "--add-opens=java.base/java.text=ALL-UNNAMED",
          "--add-opens=java.base/java.time=ALL-UNNAMED",
          "--add-opens=java.base/java.util=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

  /** Jar name prefixes left out of Flink's classpath (see the class comment). */
  private static final List<String> NOT_FLINKS =
      List.of(
          "inlet-",
          "grpc-",
          "protobuf-",
          "netty-",
          "jackson-",
          "guava-",
          "failureaccess",
          "perfmark",
          "zstd-jni",
          "rocksdbjni");

  private final Path dir;
  private final int restPort;
  private final List<Process> processes = new ArrayList<>();

  private FlinkSessionCluster(Path dir, int restPort) {
    this.dir = dir;
    this.restPort = restPort;
  }

  /** Starts both processes and waits until the TaskManager's slots are offered. */
  static FlinkSessionCluster start(Path dir, int slots) throws Exception {
    Path conf = Files.createDirectories(dir.resolve("conf"));
    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    int rpcPort = FreePorts.one();
    int restPort = FreePorts.one();
    Files.writeString(
        conf.resolve("config.yaml"),
        String.join(
                "\n",
                "jobmanager.rpc.address: 127.0.0.1",
                "jobmanager.rpc.port: " + rpcPort,
                "jobmanager.bind-host: 127.0.0.1",
                "jobmanager.memory.process.size: 640m",
                "rest.address: 127.0.0.1",
                "rest.bind-address: 127.0.0.1",
                "rest.port: " + restPort,
                "blob.server.port: 0",
                "taskmanager.host: 127.0.0.1",
                "taskmanager.bind-host: 127.0.0.1",
                "taskmanager.rpc.port: 0",
                "taskmanager.data.port: 0",
                "taskmanager.numberOfTaskSlots: " + slots,
                // Flink's start scripts derive these from a process size and pass them on; a
                // TaskManagerRunner started directly needs every one of them set.
                "taskmanager.cpu.cores: 2",
                "taskmanager.memory.framework.heap.size: 64m",
                "taskmanager.memory.framework.off-heap.size: 64m",
                "taskmanager.memory.task.heap.size: 256m",
                "taskmanager.memory.task.off-heap.size: 0m",
                "taskmanager.memory.managed.size: 128m",
                "taskmanager.memory.network.min: 64m",
                "taskmanager.memory.network.max: 64m",
                "taskmanager.memory.jvm-metaspace.size: 256m",
                "taskmanager.memory.jvm-overhead.min: 192m",
                "taskmanager.memory.jvm-overhead.max: 192m",
                "parallelism.default: 1",
                // Patient on a loaded machine (CI shares two cores with everything else).
                "pekko.ask.timeout: 60 s",
                "heartbeat.timeout: 180000",
                "taskmanager.registration.timeout: 5 min",
                "io.tmp.dirs: " + tmp,
                "web.tmpdir: " + tmp,
                "")
            + "\n");
    FlinkSessionCluster cluster = new FlinkSessionCluster(dir, restPort);
    try {
      cluster.launch(
          "jobmanager",
          "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
          conf,
          List.of("-Xmx320m"));
      cluster.launch(
          "taskmanager",
          "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
          conf,
          // The heap and direct memory the sizes above add up to.
          List.of("-Xmx320m", "-XX:MaxDirectMemorySize=200m"));
      Await.until(
          () -> "a TaskManager with " + slots + " slots; logs in " + dir,
          Duration.ofMinutes(2),
          () -> {
            cluster.checkAlive();
            return cluster.get("/overview").path("slots-total").asInt() == slots;
          });
    } catch (Throwable e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  /** The REST address to give Inlet's {@code sql-flink-rest}. */
  String restAddress() {
    return "127.0.0.1:" + restPort;
  }

  /** The jobs the JobManager knows ({@code /jobs/overview}): each with name, jid and state. */
  JsonNode jobs() {
    return get("/jobs/overview").path("jobs");
  }

  /** The answer of a GET on the REST API, or an empty object while it does not answer. */
  JsonNode get(String path) {
    try {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://" + restAddress() + path))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200
          ? JSON.readTree(response.body())
          : JSON.createObjectNode();
    } catch (IOException e) {
      return JSON.createObjectNode();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return JSON.createObjectNode();
    }
  }

  private void launch(String role, String mainClass, Path conf, List<String> jvm)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvm);
    command.addAll(JAVA_OPENS);
    command.add("-Djava.io.tmpdir=" + dir.resolve("tmp"));
    command.add("-cp");
    command.add(flinkClasspath());
    command.add(mainClass);
    command.add("--configDir");
    command.add(conf.toString());
    processes.add(
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve(role + ".log").toFile())
            .start());
  }

  private static String flinkClasspath() {
    return List.of(System.getProperty("java.class.path").split(File.pathSeparator)).stream()
        .filter(entry -> entry.endsWith(".jar"))
        .filter(
            entry -> {
              String file = Path.of(entry).getFileName().toString();
              return NOT_FLINKS.stream().noneMatch(file::startsWith);
            })
        .collect(Collectors.joining(File.pathSeparator));
  }

  private void checkAlive() {
    for (Process p : processes) {
      if (!p.isAlive()) {
        throw new AssertionError(
            "a Flink process exited with " + p.exitValue() + "; its log ends:\n" + logTails());
      }
    }
  }

  /** The last lines of the processes' logs (they are deleted with the test's directory). */
  String logTails() {
    StringBuilder out = new StringBuilder();
    for (String role : List.of("jobmanager", "taskmanager")) {
      try {
        List<String> lines = Files.readAllLines(dir.resolve(role + ".log"));
        out.append("--- ").append(role).append(".log\n");
        // Its errors first (a fatal error ends in a thread dump), then how it ends.
        lines.stream()
            .filter(line -> line.contains(" ERROR ") || line.startsWith("Caused by"))
            .limit(30)
            .forEach(line -> out.append(line).append('\n'));
        out.append("...\n");
        lines.stream()
            .skip(Math.max(0, lines.size() - 15))
            .forEach(line -> out.append(line).append('\n'));
      } catch (IOException e) {
        out.append("--- no ").append(role).append(".log: ").append(e).append('\n');
      }
    }
    return out.toString();
  }

  /** Stops the TaskManager, then the JobManager (SIGTERM, then SIGKILL after 20 s). */
  @Override
  public void close() throws InterruptedException {
    for (int i = processes.size() - 1; i >= 0; i--) {
      Process p = processes.get(i);
      p.destroy();
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    processes.clear();
  }
}
