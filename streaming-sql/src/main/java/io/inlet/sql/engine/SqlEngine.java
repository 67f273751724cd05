package io.inlet.sql.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import io.grpc.Channel;
import io.inlet.api.error.InletException;
import io.inlet.api.hstream.ErrorCode;
import io.inlet.api.hstream.Schema;
import io.inlet.api.naming.ObjectNames;
import io.inlet.api.read.StreamReader;
import io.inlet.api.state.KeyValueStore;
import io.inlet.sql.flink.JsonRows;
import io.inlet.sql.statement.CreateStreamAs;
import io.inlet.sql.statement.CreateView;
import io.inlet.sql.statement.FlinkStatement;
import io.inlet.sql.statement.InsertSelect;
import io.inlet.sql.statement.PullSelect;
import io.inlet.sql.statement.PushSelect;
import io.inlet.sql.statement.SelectQuery;
import io.inlet.sql.statement.SqlStatement;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the node's persistent queries and views on Flink. A query is saved in the node's store when
 * it is created and submitted as a Flink job reading its source streams and writing its result
 * stream (or its view's changelog) through the {@code inlet} connector; a restarted node submits
 * every running query again from its newest checkpoint or savepoint. Nothing starts Flink until the
 * first query.
 *
 * <p>In a cluster ({@link QueryPlacement#movable()}) the state is the cluster's and each query runs
 * on the node its placement names: any node creates, pauses, resumes, terminates and deletes
 * queries by changing their saved definitions, and {@link #reconcile()}, called every second on
 * every node, starts and stops the jobs to match, sharing each job's newest checkpoint so that the
 * node that takes a query over resumes it with its state.
 *
 * <p>Methods block (planning, job submission); never call them on an event loop. Thread-safe.
 */
public final class SqlEngine implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SqlEngine.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Duration RESUBMIT_AFTER = Duration.ofSeconds(10);

  private final SqlEngineSettings settings;
  private final SqlState state;
  private final StreamReader reader;
  private final NodeStreams streams;
  private final NodeConnectors connectors;
  private final ColumnTypes types;
  private final FlinkSession session;
  private final FlinkTables flinkTables;
  private final QueryPlacement placement;

  /** Where restore points are shared, in a cluster; null on a single node. */
  private final SharedCheckpoints shared;

  /** Changes made here, so that a reconcile round that read the state before one does nothing. */
  private final AtomicLong localChanges = new AtomicLong();

  /** When each query whose job could not be submitted here is tried again (in a cluster). */
  private final Map<String, Long> resubmitAt = new ConcurrentHashMap<>();

  /** The queries whose failure this node has written to the state. */
  private final Set<String> failuresShared = ConcurrentHashMap.newKeySet();

  private final Map<String, QueryDefinition> queries = new ConcurrentHashMap<>();
  private final Map<String, JobClient> jobs = new ConcurrentHashMap<>();
  private final Map<String, String> failures = new ConcurrentHashMap<>();
  private final Map<String, ViewMaterializer> views = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /**
   * @param meters where the per-query meters go (input and output records, lag, checkpoint age,
   *     state size; in-process cluster only)
   * @param placement which queries run on this node
   */
  public SqlEngine(
      SqlEngineSettings settings,
      KeyValueStore store,
      StreamReader reader,
      Channel node,
      MeterRegistry meters,
      QueryPlacement placement) {
    this.settings = settings;
    this.state = new SqlState(store);
    this.reader = reader;
    this.streams = new NodeStreams(node);
    this.connectors = new NodeConnectors(node);
    this.types = new ColumnTypes(state, reader);
    this.session = new FlinkSession(settings, new QueryMeters(meters), queries::containsKey);
    this.flinkTables = new FlinkTables(store, settings.connectorTarget());
    this.placement = placement;
    this.shared = placement.movable() ? new SharedCheckpoints(store, session) : null;
  }

  /**
   * Loads the saved queries; the running ones are submitted again (in the background: the node does
   * not wait for Flink to start). Views' rows are kept up to date from now on. In a cluster this
   * does nothing: the state may have no majority yet, and the first {@link #reconcile()} that reads
   * it starts this node's queries.
   */
  public SqlEngine start() {
    if (placement.movable()) {
      return this;
    }
    List<QueryDefinition> toRun = new ArrayList<>();
    for (QueryDefinition q : state.queries()) {
      queries.put(q.name(), q);
      if (q.kind() == QueryDefinition.Kind.VIEW) {
        startMaterializer(q);
      }
      if (q.state() == QueryDefinition.State.RUNNING) {
        toRun.add(q);
      }
    }
    if (!toRun.isEmpty()) {
      Thread restore =
          new Thread(
              () -> {
                for (QueryDefinition q : toRun) {
                  if (closed) {
                    return;
                  }
                  try {
                    submit(q, true);
                  } catch (RuntimeException e) {
                    failures.put(q.name(), e.getMessage());
                    log.warn("query \"{}\" could not be restored: {}", q.name(), e.toString());
                  }
                }
              },
              "inlet-sql-restore");
      restore.setDaemon(true);
      restore.start();
    }
    return this;
  }

  /** Whether Flink was started (the first query starts it). */
  public boolean flinkStarted() {
    return session.started();
  }

  // ------------------------------------------------------------------------ queries

  /**
   * Creates and starts a persistent query: CREATE STREAM AS (the stream is created), CREATE VIEW,
   * INSERT INTO ... SELECT, or a push query (SELECT ... EMIT CHANGES, into a new stream named after
   * the query).
   *
   * @param name the query's name, or null for a generated one
   */
  public synchronized QueryInfo create(SqlStatement statement, String sql, String name) {
    String queryName = name == null || name.isEmpty() ? generatedName() : name;
    ObjectNames.requireValid("query name", queryName, ErrorCode.QueryInvalidObjectIdentifier);
    if (queries.containsKey(queryName)
        || placement.movable() && state.find(queryName).isPresent()) {
      throw new InletException(
          ErrorCode.QueryExists, "query " + ObjectNames.quote(queryName) + " exists");
    }
    QueryDefinition q;
    if (statement instanceof CreateStreamAs c) {
      q = define(queryName, QueryDefinition.Kind.STREAM, c.name(), c.query(), sql);
      streams.create(c.name(), c.replicationFactor(), 0);
    } else if (statement instanceof PushSelect p) {
      String stream = queryName;
      q = define(queryName, QueryDefinition.Kind.STREAM, stream, p.query(), sql);
      streams.create(stream, placement.ownStreamsReplicationFactor(), 0);
    } else if (statement instanceof InsertSelect i) {
      if (!streams.exists(i.stream())) {
        throw InletException.streamNotFound(i.stream());
      }
      q = define(queryName, QueryDefinition.Kind.STREAM, i.stream(), i.query(), sql);
    } else if (statement instanceof CreateView v) {
      ObjectNames.requireValid("view name", v.name(), ErrorCode.ViewInvalidObjectIdentifier);
      if (view(v.name()).isPresent()) {
        throw new InletException(
            ErrorCode.ViewExists, "view " + ObjectNames.quote(v.name()) + " exists");
      }
      q = define(queryName, QueryDefinition.Kind.VIEW, v.name(), v.query(), sql);
      streams.create(changelogStream(v.name()), placement.ownStreamsReplicationFactor(), 0);
    } else if (statement instanceof FlinkStatement f
        && FlinkStatements.kind(f.flinkSql()) == FlinkStatements.Kind.SELECT) {
      q = defineFlink(queryName, f, sql, QueryDefinition.Kind.STREAM);
      streams.create(queryName, placement.ownStreamsReplicationFactor(), 0);
    } else if (statement instanceof FlinkStatement f
        && FlinkStatements.kind(f.flinkSql()) == FlinkStatements.Kind.INSERT) {
      q = defineFlink(queryName, f, sql, QueryDefinition.Kind.FLINK_INSERT);
    } else {
      throw new InletException(
          ErrorCode.QueryInvalidSQL,
          "a query is CREATE STREAM ... AS SELECT, CREATE VIEW ... AS SELECT, INSERT INTO ..."
              + " SELECT, SELECT ... EMIT CHANGES, FLINK SELECT or FLINK INSERT INTO; found: "
              + sql);
    }
    save(q);
    if (!placement.runsHere(q.name())) {
      return info(q); // the node that runs it starts it within a second
    }
    if (q.kind() == QueryDefinition.Kind.VIEW) {
      startMaterializer(q);
    }
    try {
      submit(q, false);
    } catch (RuntimeException e) {
      failed(q.name(), e.getMessage());
      throw e;
    }
    return info(q);
  }

  /** Plans a query without running it: what its source and result tables are. */
  private QueryDefinition define(
      String name, QueryDefinition.Kind kind, String target, SelectQuery query, String sql) {
    Map<String, List<Column>> sources = new LinkedHashMap<>();
    query
        .columnsByStream()
        .forEach((stream, columns) -> sources.put(stream, types.resolve(stream, columns)));
    QueryDefinition draft =
        new QueryDefinition(
            name,
            kind,
            sql == null ? query.originalSql() : sql,
            query.flinkSql(),
            target,
            sources,
            List.of(),
            System.currentTimeMillis(),
            QueryDefinition.State.RUNNING,
            settings.eventTimeField(),
            settings.allowedLateness().toMillis(),
            false,
            List.of());
    List<Column> output;
    try {
      StreamTableEnvironment planner = FlinkSession.planner();
      for (String ddl : JobPlans.sourceDdls(draft, settings.connectorTarget())) {
        planner.executeSql(ddl);
      }
      output = JobPlans.columns(planner.sqlQuery(query.flinkSql()).getResolvedSchema());
    } catch (RuntimeException e) {
      throw invalidSql(kind, e);
    }
    return new QueryDefinition(
        name,
        kind,
        draft.sql(),
        draft.flinkSql(),
        target,
        sources,
        output,
        draft.createdAt(),
        draft.state(),
        draft.eventTimeField(),
        draft.latenessMs(),
        draft.startLatest(),
        List.of());
  }

  /**
   * Plans a Flink SQL query ({@code FLINK SELECT} into a new stream named after the query, or
   * {@code FLINK INSERT INTO} a kept table): every stream it names is a table of all its fields,
   * and every kept table is declared.
   */
  private QueryDefinition defineFlink(
      String name, FlinkStatement f, String sql, QueryDefinition.Kind kind) {
    Map<String, List<Column>> sources = flinkSources(f.flinkSql());
    List<String> tables = List.copyOf(flinkTables.all().values());
    StreamTableEnvironment planner = FlinkSession.planner();
    String target = name;
    List<Column> output = List.of();
    try {
      Map<String, String> tableStreams = flinkTables.declare(planner, tables);
      declareSources(planner, sources);
      if (kind == QueryDefinition.Kind.FLINK_INSERT) {
        String table = FlinkStatements.insertTarget(f.flinkSql());
        target = tableStreams.get(table);
        if (target == null) {
          throw new InletException(
              ErrorCode.QueryInvalidSQL,
              "FLINK INSERT INTO writes a table kept with FLINK CREATE TABLE ... WITH ('connector'"
                  + " = 'inlet', 'stream' = ...); "
                  + ObjectNames.quote(table)
                  + " is not one");
        }
        planner.explainSql(f.flinkSql());
      } else {
        output = JobPlans.columns(planner.sqlQuery(f.flinkSql()).getResolvedSchema());
      }
    } catch (InletException e) {
      throw e;
    } catch (RuntimeException e) {
      throw invalidSql(kind, e);
    }
    return new QueryDefinition(
        name,
        kind,
        sql,
        f.flinkSql(),
        target,
        sources,
        output,
        System.currentTimeMillis(),
        QueryDefinition.State.RUNNING,
        settings.eventTimeField(),
        settings.allowedLateness().toMillis(),
        false,
        tables);
  }

  /** Every stream a Flink statement names, as a table of all the fields known for it. */
  private Map<String, List<Column>> flinkSources(String flinkSql) {
    Set<String> streamNames = new HashSet<>();
    streams.list().forEach(s -> streamNames.add(s.getStreamName()));
    Map<String, List<Column>> sources = new LinkedHashMap<>();
    for (String stream : FlinkStatements.streamsNamed(flinkSql, streamNames::contains)) {
      sources.put(stream, types.resolve(stream, Set.of(SelectQuery.ALL_COLUMNS)));
    }
    return sources;
  }

  private void declareSources(TableEnvironment env, Map<String, List<Column>> sources) {
    for (Map.Entry<String, List<Column>> e : sources.entrySet()) {
      env.executeSql(
          JobPlans.sourceDdl(
              e.getKey(),
              e.getValue(),
              settings.connectorTarget(),
              settings.eventTimeField(),
              settings.allowedLateness().toMillis(),
              false));
    }
  }

  // ------------------------------------------------------------- Flink statements

  /** FLINK CREATE TABLE: checks the table and keeps it for the following Flink statements. */
  public String createFlinkTable(String ddl) {
    Set<String> streamNames = new HashSet<>();
    streams.list().forEach(s -> streamNames.add(s.getStreamName()));
    return flinkTables.create(ddl, streamNames::contains, streamNames::contains);
  }

  /** FLINK DROP TABLE. Queries that declared the table keep their own copy of it. */
  public void dropFlinkTable(String name, boolean ifExists) {
    if (!flinkTables.drop(name) && !ifExists) {
      throw new InletException(
          ErrorCode.QueryInvalidSQL, "table " + ObjectNames.quote(name) + " not found");
    }
  }

  /** The tables kept with FLINK CREATE TABLE, by name, with their DDL. */
  public Map<String, String> flinkTables() {
    return new TreeMap<>(flinkTables.all());
  }

  /** FLINK EXPLAIN: Flink's plan for a Flink statement over the streams and kept tables. */
  public String explainFlink(String flinkSql) {
    String explained = FlinkStatements.explained(flinkSql);
    try {
      StreamTableEnvironment planner = FlinkSession.planner();
      flinkTables.declare(planner, List.copyOf(flinkTables.all().values()));
      declareSources(planner, flinkSources(explained));
      return planner.explainSql(explained);
    } catch (InletException e) {
      throw e;
    } catch (RuntimeException e) {
      throw invalidSql(QueryDefinition.Kind.STREAM, e);
    }
  }

  static InletException invalidSql(QueryDefinition.Kind kind, RuntimeException e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = e.getMessage() == null ? root.toString() : e.getMessage();
    if (root != e && root.getMessage() != null && !message.contains(root.getMessage())) {
      message = message + ": " + root.getMessage();
    }
    return new InletException(
        kind == QueryDefinition.Kind.VIEW ? ErrorCode.ViewInvalidSQL : ErrorCode.QueryInvalidSQL,
        "the query does not plan: " + message);
  }

  /** The plan Flink makes for a query, as text (EXPLAIN). */
  public String explain(SelectQuery query) {
    try {
      StreamTableEnvironment planner = FlinkSession.planner();
      Map<String, List<Column>> sources = new LinkedHashMap<>();
      query
          .columnsByStream()
          .forEach((stream, columns) -> sources.put(stream, types.resolve(stream, columns)));
      for (Map.Entry<String, List<Column>> e : sources.entrySet()) {
        planner.executeSql(
            JobPlans.sourceDdl(
                e.getKey(),
                e.getValue(),
                settings.connectorTarget(),
                settings.eventTimeField(),
                settings.allowedLateness().toMillis(),
                false));
      }
      return planner.explainSql(query.flinkSql());
    } catch (InletException e) {
      throw e;
    } catch (RuntimeException e) {
      throw invalidSql(QueryDefinition.Kind.STREAM, e);
    }
  }

  private void submit(QueryDefinition q, boolean restore) {
    if (shared != null) {
      if (restore) {
        shared.fetch(q.name());
      } else {
        shared.delete(q.name()); // a deleted query's of the same name
      }
    }
    String restorePath =
        restore ? session.latestRestorePoint(q.name()).map(Object::toString).orElse(null) : null;
    if (!restore) {
      session.deleteState(q.name());
    }
    StreamTableEnvironment env = session.streaming(q.name(), restorePath);
    env.getConfig().set("table.local-time-zone", "UTC");
    flinkTables.declare(env, q.tables());
    for (String ddl : JobPlans.sourceDdls(q, settings.connectorTarget())) {
      env.executeSql(ddl);
    }
    boolean view = q.kind() == QueryDefinition.Kind.VIEW;
    boolean asWritten = q.kind() == QueryDefinition.Kind.FLINK_INSERT;
    if (!asWritten) {
      env.executeSql(
          JobPlans.resultDdl(
              q.output(),
              settings.connectorTarget(),
              view ? changelogStream(q.target()) : q.target(),
              view));
    }
    TableResult result;
    try {
      result = env.executeSql(asWritten ? q.flinkSql() : JobPlans.insert(q.flinkSql()));
    } catch (RuntimeException e) {
      throw new InletException(
          ErrorCode.InternalError,
          "query " + ObjectNames.quote(q.name()) + " could not be started: " + e.getMessage());
    }
    JobClient client =
        result
            .getJobClient()
            .orElseThrow(() -> new IllegalStateException("no job for query " + q.name()));
    jobs.put(q.name(), client);
    failures.remove(q.name());
    if (placement.movable()) {
      failuresShared.remove(q.name());
      state.deleteFailure(q.name());
    }
    log.info(
        "query \"{}\" runs as Flink job {}{}",
        q.name(),
        client.getJobID(),
        restorePath == null ? "" : " restored from " + restorePath);
  }

  public List<QueryInfo> queries() {
    List<QueryInfo> out = new ArrayList<>();
    queries.values().stream()
        .sorted((a, b) -> Long.compare(a.createdAt(), b.createdAt()))
        .forEach(q -> out.add(info(q)));
    return out;
  }

  public QueryInfo query(String name) {
    return info(definition(name));
  }

  /** The owner node of query {@code name}, as its placement names it now. */
  public int ownerOf(String name) {
    return placement.ownerId(name);
  }

  private QueryDefinition definition(String name) {
    QueryDefinition q = queries.get(name);
    if (q == null && placement.movable()) {
      q = state.find(name).orElse(null); // created through another node since the last reconcile
    }
    if (q == null) {
      throw new InletException(
          ErrorCode.QueryNotFound, "query " + ObjectNames.quote(name) + " not found");
    }
    return q;
  }

  private QueryInfo info(QueryDefinition q) {
    return switch (q.state()) {
      case PAUSED -> new QueryInfo(q, QueryInfo.Status.PAUSED, null);
      case TERMINATED -> new QueryInfo(q, QueryInfo.Status.TERMINATED, null);
      case RUNNING -> running(q);
    };
  }

  private QueryInfo running(QueryDefinition q) {
    JobClient job = jobs.get(q.name());
    String failure = failures.get(q.name());
    if (job == null && failure == null && !placement.runsHere(q.name())) {
      return state
          .failure(q.name())
          .map(f -> new QueryInfo(q, QueryInfo.Status.ABORTED, f))
          .orElseGet(() -> new QueryInfo(q, QueryInfo.Status.RUNNING, null));
    }
    if (job == null) {
      return failure == null
          ? new QueryInfo(q, QueryInfo.Status.CREATING, null)
          : new QueryInfo(q, QueryInfo.Status.ABORTED, failure);
    }
    JobStatus status;
    try {
      status = job.getJobStatus().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      return new QueryInfo(q, QueryInfo.Status.RUNNING, null);
    }
    return switch (status) {
      case RUNNING -> new QueryInfo(q, QueryInfo.Status.RUNNING, null);
      case CREATED, INITIALIZING, RESTARTING, RECONCILING ->
          new QueryInfo(q, QueryInfo.Status.CREATING, null);
      default ->
          new QueryInfo(
              q,
              QueryInfo.Status.ABORTED,
              failure == null
                  ? failures.computeIfAbsent(q.name(), k -> JobFailures.cause(job, status))
                  : failure);
    };
  }

  /** Stops a query for good; its result stream or view stays. */
  public synchronized void terminate(String name) {
    QueryDefinition q = definition(name);
    if (q.state() == QueryDefinition.State.TERMINATED) {
      throw new InletException(
          ErrorCode.QueryAlreadyTerminated,
          "query " + ObjectNames.quote(name) + " is terminated already");
    }
    cancel(name);
    save(q.withState(QueryDefinition.State.TERMINATED));
  }

  /** Deletes a terminated query (and its checkpoints). */
  public synchronized void delete(String name) {
    QueryDefinition q = definition(name);
    if (q.kind() == QueryDefinition.Kind.VIEW) {
      throw new InletException(
          ErrorCode.QueryFoundAssociatedView,
          "query "
              + ObjectNames.quote(name)
              + " maintains view "
              + ObjectNames.quote(q.target())
              + "; delete the view");
    }
    if (q.state() != QueryDefinition.State.TERMINATED) {
      throw new InletException(
          ErrorCode.QueryNotTerminated,
          "query " + ObjectNames.quote(name) + " is not terminated; terminate it first");
    }
    remove(q);
  }

  private void remove(QueryDefinition q) {
    cancel(q.name());
    localChanges.incrementAndGet();
    state.delete(q.name());
    queries.remove(q.name());
    failures.remove(q.name());
    session.deleteState(q.name());
    if (shared != null) {
      shared.delete(q.name());
      state.deleteFailure(q.name());
    }
  }

  /** Stops a query with a savepoint; {@link #resume} goes on from it. */
  public synchronized void pause(String name) {
    QueryDefinition q = definition(name);
    if (q.state() != QueryDefinition.State.RUNNING) {
      throw new InletException(
          ErrorCode.QueryNotRunning, "query " + ObjectNames.quote(name) + " is not running");
    }
    handOver(name);
    save(q.withState(QueryDefinition.State.PAUSED));
  }

  public synchronized void resume(String name) {
    QueryDefinition q = definition(name);
    if (q.state() != QueryDefinition.State.PAUSED) {
      throw new InletException(
          ErrorCode.QueryStillRunning,
          "query " + ObjectNames.quote(name) + " is not paused (" + q.state() + ")");
    }
    QueryDefinition running = q.withState(QueryDefinition.State.RUNNING);
    save(running);
    if (placement.runsHere(name)) {
      submit(running, true);
    }
  }

  private void save(QueryDefinition q) {
    localChanges.incrementAndGet();
    state.save(q);
    queries.put(q.name(), q);
  }

  /** Records why a query could not run; in a cluster every node then lists it ABORTED. */
  private void failed(String name, String failure) {
    failures.put(name, failure);
    if (placement.movable() && failuresShared.add(name)) {
      state.putFailure(name, failure == null ? "failed" : failure);
    }
  }

  /**
   * Stops a job here with a savepoint and, in a cluster, shares it, so that the node that runs the
   * query next (or this one, when it is resumed) goes on exactly there.
   */
  private void handOver(String name) {
    boolean ran = jobs.containsKey(name);
    stopWithSavepoint(name);
    if (ran && shared != null) {
      try {
        shared.share(name);
      } catch (RuntimeException e) {
        log.warn("query \"{}\": its savepoint could not be shared: {}", name, e.toString());
      }
    }
  }

  /**
   * Whether queries are placed on the cluster's nodes and may move between them: then {@link
   * #reconcile} must run every second or so.
   */
  public boolean placesQueries() {
    return placement.movable();
  }

  /**
   * Brings this node in line with the cluster's saved queries and their placement (call it every
   * second or so when the placement is movable): jobs of queries deleted or terminated are
   * cancelled; jobs of queries paused or now placed elsewhere stop with a shared savepoint; queries
   * placed here that run nowhere here start from the newest restore point shared or kept here;
   * views are materialized where their query is placed; and each job's newest checkpoint, or its
   * failure, is shared. A round that a change made on this node meanwhile made stale does nothing.
   */
  public void reconcile() {
    long seen = localChanges.get();
    List<QueryDefinition> saved = state.queries();
    synchronized (this) {
      if (closed || localChanges.get() != seen) {
        return;
      }
      Map<String, QueryDefinition> byName = new LinkedHashMap<>();
      saved.forEach(q -> byName.put(q.name(), q));
      queries.keySet().retainAll(byName.keySet());
      queries.putAll(byName);
      for (String name : Set.copyOf(jobs.keySet())) {
        QueryDefinition q = byName.get(name);
        if (q == null) {
          cancel(name);
          failures.remove(name);
          session.deleteState(name);
          if (shared != null) {
            shared.delete(name);
          }
        } else if (q.state() == QueryDefinition.State.TERMINATED) {
          cancel(name);
        } else if (q.state() == QueryDefinition.State.PAUSED || !placement.runsHere(name)) {
          handOver(name);
        }
      }
      long now = System.nanoTime();
      for (QueryDefinition q : byName.values()) {
        if (q.state() == QueryDefinition.State.RUNNING
            && placement.runsHere(q.name())
            && !jobs.containsKey(q.name())
            && now - resubmitAt.getOrDefault(q.name(), now) >= 0) {
          try {
            submit(q, true);
            resubmitAt.remove(q.name());
          } catch (RuntimeException e) {
            // Perhaps passing (Flink starting under load): tried again after a while.
            failed(q.name(), e.getMessage());
            resubmitAt.put(q.name(), System.nanoTime() + RESUBMIT_AFTER.toNanos());
            log.warn(
                "query \"{}\" could not be started here (tried again in {} s): {}",
                q.name(),
                RESUBMIT_AFTER.toSeconds(),
                e.toString());
          }
        }
      }
      placeViews(byName.values());
      for (String name : jobs.keySet()) {
        QueryInfo info = running(byName.get(name));
        if (info.status() == QueryInfo.Status.ABORTED) {
          failed(name, info.error());
        } else if (shared != null) {
          shared.share(name);
        }
      }
    }
  }

  /** Materializes the views whose query is placed here, and only those. */
  private void placeViews(Collection<QueryDefinition> saved) {
    Set<String> here = new HashSet<>();
    Set<String> all = new HashSet<>();
    for (QueryDefinition q : saved) {
      if (q.kind() != QueryDefinition.Kind.VIEW) {
        continue;
      }
      all.add(q.target());
      if (placement.runsHere(q.name())) {
        here.add(q.target());
        startMaterializer(q);
      }
    }
    for (String view : Set.copyOf(views.keySet())) {
      if (!here.contains(view)) {
        views.remove(view).close();
        if (!all.contains(view)) {
          // Deleted through another node: rows this node wrote meanwhile go too.
          ViewMaterializer.clear(state.store(), view);
        }
      }
    }
  }

  private void cancel(String name) {
    JobClient job = jobs.remove(name);
    if (job != null) {
      try {
        job.cancel().get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        log.warn("query \"{}\": cancelling its job failed: {}", name, e.toString());
      }
    }
  }

  private void stopWithSavepoint(String name) {
    JobClient job = jobs.remove(name);
    if (job == null) {
      return;
    }
    try {
      String path =
          job.stopWithSavepoint(
                  false,
                  session.savepointDir(name).toUri().toString(),
                  SavepointFormatType.CANONICAL)
              .get(60, TimeUnit.SECONDS);
      log.info("query \"{}\" stopped with savepoint {}", name, path);
    } catch (Exception e) {
      log.warn(
          "query \"{}\": no savepoint ({}); it goes on from its last checkpoint",
          name,
          e.toString());
      try {
        job.cancel().get(30, TimeUnit.SECONDS);
      } catch (Exception e2) {
        // already stopped
      }
    }
  }

  // -------------------------------------------------------------------------- views

  /** The view's query, if the view exists. */
  public Optional<QueryDefinition> view(String name) {
    return queries.values().stream()
        .filter(q -> q.kind() == QueryDefinition.Kind.VIEW && q.target().equals(name))
        .findFirst();
  }

  public List<QueryInfo> views() {
    return queries().stream()
        .filter(q -> q.definition().kind() == QueryDefinition.Kind.VIEW)
        .toList();
  }

  public QueryInfo viewInfo(String name) {
    return info(view(name).orElseThrow(() -> viewNotFound(name)));
  }

  private static InletException viewNotFound(String name) {
    return new InletException(
        ErrorCode.ViewNotFound, "view " + ObjectNames.quote(name) + " not found");
  }

  /** Deletes a view, its query, its rows and its changelog stream. */
  public synchronized void deleteView(String name, boolean ignoreNonExist) {
    Optional<QueryDefinition> q = view(name);
    if (q.isEmpty()) {
      if (ignoreNonExist) {
        return;
      }
      throw viewNotFound(name);
    }
    remove(q.get());
    ViewMaterializer m = views.remove(name);
    if (m != null) {
      m.close();
    }
    ViewMaterializer.clear(state.store(), name);
    streams.delete(changelogStream(name), true);
  }

  /** A pull query: the statement evaluated over the view's current rows (no Flink job). */
  public List<Struct> pull(PullSelect select) {
    QueryDefinition q = view(select.view()).orElseThrow(() -> viewNotFound(select.view()));
    return PullQueries.run(select, q.output(), ViewMaterializer.rows(state.store(), select.view()));
  }

  static String changelogStream(String view) {
    return view + "-view-changelog";
  }

  private void startMaterializer(QueryDefinition q) {
    views.computeIfAbsent(
        q.target(),
        v ->
            new ViewMaterializer(
                    v,
                    changelogStream(v),
                    q.output().stream().map(Column::name).toList(),
                    state.store(),
                    reader)
                .start());
  }

  // ------------------------------------------------------------------------ schemas

  public void registerSchema(Schema schema) {
    if (schema.getOwner().isEmpty()) {
      throw new InletException(ErrorCode.StreamInvalidObjectIdentifier, "a schema needs an owner");
    }
    state.putSchema(schema.getOwner(), schema.toByteArray());
  }

  public Schema schema(String owner) {
    byte[] bytes =
        state
            .schema(owner)
            .orElseThrow(
                () ->
                    new InletException(
                        ErrorCode.StreamNotFound,
                        "no schema registered for " + ObjectNames.quote(owner)));
    try {
      return Schema.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new InletException(ErrorCode.InternalError, "the stored schema does not decode");
    }
  }

  public void unregisterSchema(String owner) {
    if (!state.deleteSchema(owner)) {
      throw new InletException(
          ErrorCode.StreamNotFound, "no schema registered for " + ObjectNames.quote(owner));
    }
  }

  // ---------------------------------------------------------------------- lifecycle

  NodeStreams streams() {
    return streams;
  }

  NodeConnectors connectors() {
    return connectors;
  }

  private static String generatedName() {
    String letters = "abcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder out = new StringBuilder("query-");
    for (int i = 0; i < 12; i++) {
      out.append(letters.charAt(RANDOM.nextInt(letters.length())));
    }
    return out.toString();
  }

  /** A row of a JSON object (used by INSERT statements and tests). */
  static JsonNode json(Struct struct) {
    return JsonRows.fromStruct(struct);
  }

  /**
   * Stops every query with a savepoint (a restart goes on exactly there), then Flink. The queries
   * stay RUNNING in the store: the next start submits them again.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (String name : Set.copyOf(jobs.keySet())) {
      handOver(name);
    }
    views.values().forEach(ViewMaterializer::close);
    views.clear();
    session.close();
  }

  /** For tests: how long queries wait between checkpoints. */
  Duration checkpointInterval() {
    return settings.checkpointInterval();
  }
}
