package io.inlet.server.stats;

import io.inlet.api.hstream.CacheStoreStats;
import io.inlet.api.hstream.StatType;
import io.inlet.server.metrics.AppendMetrics;
import io.inlet.server.metrics.SubscriptionMetrics;
import io.inlet.store.metrics.StoreMetrics;
import java.util.Map;

/**
 * GetStats' counter totals, read from the same meters {@code /metrics} exposes: per stream from the
 * store's and the append meters, per subscription from the StreamingFetch meters.
 */
final class StatTotals {
  /** A statistic HStreamDB defines that Inlet does not keep. */
  static final class NotKept extends Exception {
    NotKept(String message) {
      super(message, null, false, false);
    }
  }

  private final MeterTotals meters;

  StatTotals(MeterTotals meters) {
    this.meters = meters;
  }

  Map<String, Long> of(StatType stat) throws NotKept {
    return switch (stat.getStatCase()) {
      case STREAMSTAT -> stream(stat);
      case SUBSTAT -> subscription(stat);
      case CONNSTAT ->
          throw new NotKept(
              "connector statistics are not available yet: they come with Inlet's cdc module");
      case QUERYSTAT ->
          throw new NotKept(
              "query statistics are not available yet: they come with Inlet's streaming-sql module");
      case VIEWSTAT ->
          throw new NotKept(
              "view statistics are not available yet: they come with Inlet's streaming-sql module");
      case CACHESTORESTAT -> cacheStore(stat);
      case STAT_NOT_SET -> throw new NotKept("no statistic named");
    };
  }

  private Map<String, Long> stream(StatType stat) throws NotKept {
    return switch (stat.getStreamStat()) {
      case AppendInBytes -> meters.byTag(StoreMetrics.APPEND_BYTES, "stream");
      case AppendInRecords -> meters.byTag(StoreMetrics.APPEND_RECORDS, "stream");
      case AppendTotal -> meters.byTag(AppendMetrics.REQUESTS, "stream");
      case AppendFailed -> meters.byTag(AppendMetrics.FAILURES, "stream");
      case ReadInBytes -> meters.byTag(StoreMetrics.READ_BYTES, "stream");
      case ReadInBatches -> meters.byTag(StoreMetrics.READ_BATCHES, "stream");
      case UNRECOGNIZED ->
          throw new NotKept("invalid stream statistic " + stat.getStreamStatValue());
    };
  }

  /**
   * HStreamDB's cache store buffers appends while its log store is down; Inlet has none (an append
   * is acknowledged only once durable in the store), so every cache-store statistic has no values.
   */
  private static Map<String, Long> cacheStore(StatType stat) throws NotKept {
    if (stat.getCacheStoreStat() == CacheStoreStats.UNRECOGNIZED) {
      throw new NotKept("invalid cache store statistic " + stat.getCacheStoreStatValue());
    }
    return Map.of();
  }

  private Map<String, Long> subscription(StatType stat) throws NotKept {
    String tag = "subscription";
    return switch (stat.getSubStat()) {
      case SendOutBytes -> meters.byTag(SubscriptionMetrics.SENT_BYTES, tag);
      case SendOutRecords -> meters.byTag(SubscriptionMetrics.SENT_RECORDS, tag);
      case ResendRecords -> meters.byTag(SubscriptionMetrics.RESENT_RECORDS, tag);
      case ReceivedAcks -> meters.byTag(SubscriptionMetrics.ACKS, tag);
      case RequestMessages -> meters.byTag(SubscriptionMetrics.REQUESTS, tag);
      case ResponseMessages -> meters.byTag(SubscriptionMetrics.RESPONSES, tag);
      case SendOutRecordsFailed, ResendRecordsFailed, ChecklistSize ->
          throw new NotKept(
              stat.getSubStat()
                  + " is not kept by Inlet; see inlet_subscription_unacked_records on /metrics");
      case UNRECOGNIZED ->
          throw new NotKept("invalid subscription statistic " + stat.getSubStatValue());
    };
  }
}
