/**
 * Where a shard's replicas live: a pure function of the shard id, the replication factor and the
 * live nodes ({@link io.inlet.cluster.placement.RendezvousPlacement}), so every node computes the
 * same answer from the same membership without asking anyone.
 */
package io.inlet.cluster.placement;
