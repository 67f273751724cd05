package io.inlet.bench.fsync;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --dir}: the directory whose filesystem a disk benchmark measures. */
public final class MeasuredDirectory {
  @Option(
      names = "--dir",
      paramLabel = "DIR",
      description = "Directory on the filesystem to measure. Default: ${DEFAULT-VALUE}.",
      defaultValue = "${sys:java.io.tmpdir}")
  Path dir;

  Path path() {
    return dir;
  }
}
