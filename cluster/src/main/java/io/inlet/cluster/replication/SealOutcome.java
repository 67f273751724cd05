package io.inlet.cluster.replication;

import io.inlet.cluster.replication.proto.EpochStart;
import java.util.List;

/**
 * A replica's answer to a seal: {@code sealed} false when it is sealed at a higher epoch already;
 * otherwise its durable tail, the committed LSN it knows and its epoch table.
 */
record SealOutcome(
    boolean sealed, long sealedEpoch, long tailLsn, long committedLsn, List<EpochStart> epochs) {}
