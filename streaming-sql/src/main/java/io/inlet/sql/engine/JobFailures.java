package io.inlet.sql.engine;

import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;

/** Why a query's Flink job ended: the innermost cause of its failure, as a user reads it. */
final class JobFailures {
  private JobFailures() {}

  /**
   * The cause of a job that ended with {@code status} (FAILED once its restarts are used up), e.g.
   * {@code "java.lang.NumberFormatException: For input string: \"a\""}; the status alone when Flink
   * does not say.
   */
  static String cause(JobClient job, JobStatus status) {
    Throwable failure;
    try {
      job.getJobExecutionResult().get(10, TimeUnit.SECONDS);
      return "Flink job " + status;
    } catch (Exception e) {
      failure = e;
    }
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    // A SerializedThrowable (a cause whose class is not on this side) prints the original class.
    return "Flink job " + status + ": " + root;
  }
}
