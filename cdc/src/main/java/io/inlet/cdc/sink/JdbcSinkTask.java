package io.inlet.cdc.sink;

import io.inlet.api.append.StreamAppender;
import io.inlet.api.append.StreamProvisioner;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.read.ShardBatch;
import io.inlet.api.read.StreamReader;
import io.inlet.api.record.InvalidBatchException;
import io.inlet.api.record.RecordBatches;
import io.inlet.cdc.config.ConnectorConfig;
import io.inlet.cdc.config.ConnectorSpec;
import io.inlet.cdc.config.Target;
import io.inlet.cdc.runtime.ConnectorLog;
import io.inlet.cdc.runtime.ConnectorStats;
import io.inlet.cdc.runtime.ConnectorTask;
import io.inlet.cdc.state.ConnectorStateSpace;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A JDBC sink's run: reads every shard of the stream from its stored position, applies the records
 * to the table in transactions of up to {@code batch.size} records (upsert by key, delete for a
 * null value), sends refused records to the dead-letter stream, and stores each shard's new
 * position only after the database committed (at-least-once; idempotent by key).
 *
 * <p>Two threads share the work: this task's loop reads and decodes the records into transactions,
 * and a {@link TransactionPipeline} applies them in order on its own thread, so the next
 * transaction is decoded while the database works on the previous one. Positions are stored by a
 * {@link SinkPositionWriter}, at most once per {@code position.store.interval.ms}, so the next
 * transaction does not wait for their fsync and the database's commits do not share the disk with
 * one per transaction.
 */
public final class JdbcSinkTask implements ConnectorTask {
  private static final int MAX_BATCHES_PER_READ = 64;

  /** Transactions decoded and waiting for the writer thread, beyond the one it is applying. */
  static final int WAITING_TRANSACTIONS = 2;

  private final String name;
  private final ConnectorConfig config;
  private final StreamReader reader;
  private final ConnectorStats stats;
  private final ConnectorLog log;
  private final SinkPositions positions;
  private final DeadLetters deadLetters;
  private volatile boolean stopped;

  public JdbcSinkTask(
      String name,
      ConnectorConfig config,
      StreamReader reader,
      StreamAppender appender,
      StreamProvisioner provisioner,
      ConnectorStateSpace state,
      ConnectorStats stats,
      ConnectorLog log) {
    this.name = name;
    this.config = config;
    this.reader = reader;
    this.stats = stats;
    this.log = log;
    this.positions = new SinkPositions(state);
    String dlq = config.get(ConnectorSpec.ERROR_STREAM);
    this.deadLetters =
        new DeadLetters(
            appender,
            provisioner,
            dlq == null ? name + "-dlq" : dlq,
            config.get(ConnectorSpec.STREAM));
  }

  @Override
  public void run(Runnable running) throws Exception {
    Target target = config.spec().target();
    JdbcDialect dialect = JdbcDialect.of(target);
    String table = config.get(ConnectorSpec.TABLE);
    Connection connection =
        DriverManager.getConnection(
            dialect.url(
                target,
                config.get(ConnectorSpec.HOST),
                config.getInt(ConnectorSpec.PORT),
                config.get(ConnectorSpec.DATABASE)),
            dialect.properties(
                config.get(ConnectorSpec.USER), config.get(ConnectorSpec.PASSWORD_KEY)));
    try (TableWriter writer = new TableWriter(connection, dialect, table);
        SinkPositionWriter positionWriter =
            new SinkPositionWriter(
                positions, name, config.getInt(ConnectorSpec.POSITION_INTERVAL_MS));
        TransactionPipeline<SinkTransaction> pipeline =
            new TransactionPipeline<>(
                name, WAITING_TRANSACTIONS, t -> commit(writer, positionWriter, t))) {
      if (!writer.tableExists()) {
        throw new IllegalStateException(
            "table \"" + table + "\" does not exist in " + config.get(ConnectorSpec.DATABASE));
      }
      SinkRowDecoder rows = new SinkRowDecoder(writer.primaryKey());
      String stream = config.get(ConnectorSpec.STREAM);
      Map<Long, Long> next = startPositions(stream);
      running.run();
      while (!stopped) {
        pipeline.throwIfFailed();
        boolean read = false;
        for (long shard : reader.shards(stream)) {
          long from = next.computeIfAbsent(shard, this::startOf);
          List<ShardBatch> batches = reader.read(shard, from, MAX_BATCHES_PER_READ);
          if (!batches.isEmpty()) {
            next.put(shard, submit(pipeline, writer, rows, shard, batches));
            read = true;
          }
          if (stopped) {
            return;
          }
        }
        if (!read) {
          awaitAny(next);
        }
      }
    }
  }

  private Map<Long, Long> startPositions(String stream) {
    Map<Long, Long> stored = positions.load();
    Map<Long, Long> next = new HashMap<>();
    for (long shard : reader.shards(stream)) {
      next.put(shard, stored.containsKey(shard) ? stored.get(shard) : startOf(shard));
    }
    return next;
  }

  private long startOf(long shard) {
    return "LATEST".equals(config.get(ConnectorSpec.SPECIAL_OFFSET)) ? reader.nextLsn(shard) : 0;
  }

  /**
   * Decodes the batches into transactions of up to batch.size records (whole batches only) and
   * hands them to the writer thread; returns the LSN after the last batch, where the next read of
   * the shard starts.
   */
  private long submit(
      TransactionPipeline<SinkTransaction> pipeline,
      TableWriter writer,
      SinkRowDecoder rows,
      long shard,
      List<ShardBatch> batches)
      throws InterruptedException, SQLException {
    int limit = config.getInt(ConnectorSpec.BATCH_SIZE);
    SinkTransaction transaction = new SinkTransaction(shard);
    for (ShardBatch batch : batches) {
      List<HStreamRecord> records;
      try {
        records = RecordBatches.decode(batch.batch());
      } catch (InvalidBatchException e) {
        records = List.of();
        log.add("batch " + batch.lsn() + " of shard " + shard + " is skipped: " + e.getMessage());
      }
      for (int i = 0; i < records.size(); i++) {
        SinkTransaction.Source source =
            new SinkTransaction.Source(records.get(i), shard, batch.lsn(), i);
        try {
          transaction.changes.add(new SinkTransaction.Change(source, rows.decode(source.record())));
          transaction.bytes += source.record().getPayload().size();
        } catch (PoisonRecordException e) {
          transaction.refusals.add(new SinkTransaction.Refusal(source, e.getMessage()));
        }
      }
      transaction.oldestAppendMs = Math.min(transaction.oldestAppendMs, batch.appendTimeMs());
      transaction.after = batch.lsn() + 1;
      if (transaction.changes.size() >= limit) {
        submit(pipeline, writer, transaction);
        transaction = new SinkTransaction(shard);
      }
    }
    if (transaction.after != 0) {
      submit(pipeline, writer, transaction);
    }
    return batches.get(batches.size() - 1).lsn() + 1;
  }

  /** Binds the transaction's rows ahead (see {@link StatementSet}) and hands it to the writer. */
  private static void submit(
      TransactionPipeline<SinkTransaction> pipeline,
      TableWriter writer,
      SinkTransaction transaction)
      throws InterruptedException, SQLException {
    List<SinkRow> rows = new ArrayList<>(transaction.changes.size());
    for (SinkTransaction.Change change : transaction.changes) {
      rows.add(change.row());
    }
    transaction.statements = writer.bind(rows, pipeline::throwIfFailed);
    pipeline.submit(transaction);
  }

  /**
   * On the writer thread: applies the transaction and commits it, sends its refused records to the
   * dead-letter stream (durably), then reports the shard's position, in that order.
   */
  private void commit(
      TableWriter writer, SinkPositionWriter positionWriter, SinkTransaction transaction)
      throws Exception {
    for (SinkTransaction.Refusal refusal : transaction.refusals) {
      refuse(refusal.source(), refusal.error());
    }
    writer.apply(
        transaction.statements,
        transaction.changes,
        SinkTransaction.Change::row,
        (c, e) -> refuse(c.source(), e),
        why ->
            log.add(
                "a transaction of "
                    + transaction.changes.size()
                    + " records from shard "
                    + Long.toUnsignedString(transaction.shard)
                    + " is written record by record: the database refused it as a batch: "
                    + why));
    deadLetters.flush();
    List<SinkTransaction.Change> changes = transaction.changes;
    if (!changes.isEmpty()) {
      stats.delivered(
          changes.size(),
          transaction.bytes,
          System.currentTimeMillis() - transaction.oldestAppendMs);
    }
    positionWriter.committed(transaction.shard, transaction.after);
  }

  private void refuse(SinkTransaction.Source item, String error) {
    deadLetters.add(item.record(), item.shard(), item.lsn(), item.index(), error);
    stats.deadLettered(1);
    log.add(
        "record "
            + item.lsn()
            + "/"
            + item.index()
            + " of shard "
            + Long.toUnsignedString(item.shard())
            + " sent to "
            + deadLetters.stream()
            + ": "
            + error);
  }

  private void awaitAny(Map<Long, Long> next) throws InterruptedException {
    List<CompletableFuture<Void>> waits = new ArrayList<>();
    next.forEach((shard, lsn) -> waits.add(reader.awaitBeyond(shard, lsn - 1)));
    try {
      CompletableFuture.anyOf(waits.toArray(CompletableFuture[]::new)).get(1, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      // Look again: stop() and new shards are noticed at least once a second.
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(
          "stream read failed: " + e.getCause().getMessage(), e.getCause());
    }
  }

  @Override
  public void stop() {
    stopped = true;
  }

  @Override
  public String toString() {
    return "jdbc sink " + name;
  }
}
