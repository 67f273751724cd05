package io.inlet.cluster.replication;

import io.inlet.cluster.replication.proto.EpochStart;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** How a follower answered an {@link AppendBatch}. */
sealed interface AppendOutcome {
  /** Taken: {@code durable} completes once every entry up to {@code ackedLsn} is fsync'd. */
  record Accepted(long ackedLsn, CompletableFuture<?> durable) implements AppendOutcome {}

  /** The follower is sealed at a higher epoch than the sender's. */
  record StaleEpoch(long sealedEpoch) implements AppendOutcome {}

  /** The batch does not follow the follower's log; its tail and epochs tell where they agree. */
  record Mismatch(long tailLsn, List<EpochStart> epochs) implements AppendOutcome {}
}
