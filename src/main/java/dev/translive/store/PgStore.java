package dev.translive.store;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster store: PostgreSQL shared by every node, through the non-blocking Vert.x client and a
 * connection pool. Same schema (the same migration files) and the same semantics as
 * {@link SqliteStore}; the queue owner's writes are fenced by the owner epoch under a row lock.
 */
public final class PgStore implements Store {
  private static final Logger LOG = LoggerFactory.getLogger(PgStore.class);

  @Override
  public boolean sharedAcrossNodes() {
    return true;
  }

  public static final int DEFAULT_POOL_SIZE = 8;
  /** Serializes migrations of nodes starting together; any constant unique to Translive will do. */
  private static final long MIGRATION_LOCK = 0x7472616e736c6976L;
  private static final String TASK_COLUMNS = "task_id, queue_no, token_hash, spec, status, stage, progress, error, message,"
      + " created_at, started_at, finished_at";

  private final Vertx vertx;
  private final Pool pool;
  private final MemoryBound memoryBound;
  /** The tail of the queue owner's writes; each starts when the one before has finished. */
  private Future<?> ownerWrites = Future.succeededFuture();

  public PgStore(Vertx vertx, PgConnectOptions connect, int poolSize, MemoryBound memoryBound) {
    this.vertx = vertx;
    this.pool = PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(poolSize))
        .connectingTo(connect)
        .using(vertx)
        .build();
    this.memoryBound = memoryBound;
  }

  /** @param url e.g. {@code postgresql://user:pass@127.0.0.1:5432/translive} (config {@code store.postgresUrl}) */
  public PgStore(Vertx vertx, String url, MemoryBound memoryBound) {
    this(vertx, PgConnectOptions.fromUri(url), DEFAULT_POOL_SIZE, memoryBound);
  }

  // ---- schema ----------------------------------------------------------------------------

  @Override
  public Future<Void> migrate() {
    // One connection holds a session advisory lock for the whole run, so a second node waits and
    // then finds the schema current instead of racing to create the same tables.
    return pool.withConnection(conn -> conn.preparedQuery("SELECT pg_advisory_lock($1)").execute(Tuple.of(MIGRATION_LOCK))
        .compose(locked -> Migrations.run(Migrations.Dialect.POSTGRES, new Migrations.Database() {
          @Override
          public Future<Void> executeInTransaction(List<String> statements) {
            return conn.begin().compose(tx -> commitOrRollBack(tx, executeAll(conn, statements, 0)));
          }

          @Override
          public Future<Long> queryLong(String sql) {
            return conn.query(sql).execute().map(rows -> rows.iterator().next().getLong(0));
          }
        }, LOG))
        .eventually(() -> conn.preparedQuery("SELECT pg_advisory_unlock($1)").execute(Tuple.of(MIGRATION_LOCK))));
  }

  private static Future<Void> commitOrRollBack(io.vertx.sqlclient.Transaction tx, Future<Void> work) {
    return work.compose(v -> tx.commit(), err -> tx.rollback().transform(ignored -> Future.failedFuture(err)));
  }

  private static Future<Void> executeAll(SqlConnection conn, List<String> statements, int from) {
    if (from == statements.size()) {
      return Future.succeededFuture();
    }
    return conn.query(statements.get(from)).execute().compose(v -> executeAll(conn, statements, from + 1));
  }

  // ---- queue ownership -------------------------------------------------------------------

  @Override
  public Future<Long> claimOwnership(long epoch) {
    // GREATEST keeps the row write (and so the wait for fenced writers holding the row) unconditional.
    return inOwnerOrder(() -> pool.preparedQuery("UPDATE queue_owner SET epoch = GREATEST(epoch, $1) WHERE id = 1 RETURNING epoch")
        .execute(Tuple.of(epoch))
        .map(PgStore::singleLong));
  }

  @Override
  public Future<Long> claimNextOwnership() {
    return inOwnerOrder(() -> pool.query("UPDATE queue_owner SET epoch = epoch + 1 WHERE id = 1 RETURNING epoch")
        .execute()
        .map(PgStore::singleLong));
  }

  private static long singleLong(RowSet<Row> rows) {
    if (rows.size() == 0) {
      throw new IllegalStateException("queue_owner has no row; the store is not migrated");
    }
    return rows.iterator().next().getLong(0);
  }

  /**
   * A queue-owner write: one transaction that first reads the owner epoch FOR SHARE. The share lock
   * makes a concurrent claim (an UPDATE of that row) wait until this write has committed, and a write
   * that starts after a claim sees the new epoch, so once a claim returns no write of an older epoch
   * can still land. A condition inside each statement would not be enough: it reads a snapshot and
   * does not hold the claim off.
   */
  private <T> Future<T> fenced(long epoch, Function<SqlConnection, Future<T>> work) {
    return inOwnerOrder(() -> pool.withTransaction(conn -> conn.query("SELECT epoch FROM queue_owner WHERE id = 1 FOR SHARE")
        .execute()
        .compose(rows -> {
          long current = singleLong(rows);
          return current == epoch ? work.apply(conn) : Future.failedFuture(new FencedException(epoch, current));
        })));
  }

  /**
   * Runs the queue owner's writes one after another in call order, as the single SQLite connection
   * does: the queue fires status updates without waiting, and with a pool a later update could
   * otherwise commit before an earlier one. The outcome is delivered on the caller's context, since
   * a write may have been started from whichever context finished the one before.
   */
  private <T> Future<T> inOwnerOrder(Supplier<Future<T>> write) {
    Context caller = vertx.getOrCreateContext();
    Future<T> result;
    synchronized (this) {
      result = ownerWrites.transform(previous -> write.get());
      ownerWrites = result.transform(done -> Future.succeededFuture());
    }
    Promise<T> delivered = Promise.promise();
    result.onComplete(outcome -> caller.runOnContext(v -> delivered.handle(outcome)));
    return delivered.future();
  }

  // ---- tasks -----------------------------------------------------------------------------

  @Override
  public Future<Void> insertTask(StoredTask t, long epoch) {
    return fenced(epoch, conn -> conn.preparedQuery("INSERT INTO tasks (" + TASK_COLUMNS + ")"
            + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)")
        .execute(Tuple.of(t.taskId(), t.queueNo(), t.tokenHash(), t.spec().encode(), t.status(), t.stage(), t.progress(),
            t.error(), t.message(), t.createdAt(), t.startedAt(), t.finishedAt()))
        .compose(v -> transition(conn, t.taskId(), t.status(), null)));
  }

  @Override
  public Future<Void> updateTask(String taskId, String status, String stage, double progress, String error, String message,
      Long startedAt, Long finishedAt, long epoch) {
    return fenced(epoch, conn -> conn.preparedQuery("UPDATE tasks SET status = $1, stage = $2, progress = $3, error = $4,"
            + " message = $5, started_at = $6, finished_at = $7 WHERE task_id = $8")
        .execute(Tuple.of(status, stage, progress, error, message, startedAt, finishedAt, taskId))
        .compose(v -> transition(conn, taskId, status, error)));
  }

  private static Future<Void> transition(SqlConnection conn, String taskId, String status, String detail) {
    return conn.preparedQuery("INSERT INTO task_transitions (task_id, at_micros, status, detail) VALUES ($1, $2, $3, $4)"
            + " ON CONFLICT DO NOTHING")
        .execute(Tuple.of(taskId, System.currentTimeMillis() * 1000 + System.nanoTime() % 1000, status, detail))
        .mapEmpty();
  }

  @Override
  public Future<List<StoredTask>> unfinishedTasks() {
    return queryTasks(pool, "SELECT * FROM tasks WHERE status IN ('queued', 'running') ORDER BY queue_no", Tuple.tuple());
  }

  @Override
  public Future<Long> highestQueueNo() {
    return pool.query("SELECT COALESCE(MAX(queue_no), 0) FROM tasks").execute().map(PgStore::singleLong);
  }

  @Override
  public Future<List<StoredTask>> recentFinishedTasks(int limit) {
    return queryTasks(pool, "SELECT * FROM tasks WHERE status NOT IN ('queued', 'running') ORDER BY finished_at DESC LIMIT $1",
        Tuple.of((long) limit))
        .map(newestFirst -> {
          List<StoredTask> oldestFirst = new ArrayList<>(newestFirst);
          Collections.reverse(oldestFirst);
          return oldestFirst;
        });
  }

  @Override
  public Future<List<StoredTask>> deleteFinishedBefore(long finishedBefore, long epoch) {
    return fenced(epoch, conn -> queryTasks(conn,
            "SELECT * FROM tasks WHERE status NOT IN ('queued', 'running') AND finished_at < $1", Tuple.of(finishedBefore))
        .compose(expired -> {
          String[] ids = expired.stream().map(StoredTask::taskId).toArray(String[]::new);
          Tuple byIds = Tuple.tuple().addArrayOfString(ids);
          List<String> forget = MemoryBound.forgetSql("task_id = ANY($1)");
          return conn.preparedQuery("DELETE FROM tasks WHERE task_id = ANY($1)").execute(byIds)
              .compose(v -> conn.preparedQuery("DELETE FROM task_transitions WHERE task_id = ANY($1)").execute(byIds))
              .compose(v -> conn.preparedQuery(forget.get(0)).execute(byIds))
              .compose(v -> conn.preparedQuery(forget.get(1)).execute(byIds))
              .map(v -> expired);
        }));
  }

  @Override
  public Future<StoredTask> task(String taskId) {
    return queryTasks(pool, "SELECT * FROM tasks WHERE task_id = $1", Tuple.of(taskId))
        .map(rows -> rows.isEmpty() ? null : rows.get(0));
  }

  private static Future<List<StoredTask>> queryTasks(SqlClient client, String sql, Tuple parameters) {
    return client.preparedQuery(sql).execute(parameters).map(rows -> {
      List<StoredTask> out = new ArrayList<>(rows.size());
      for (Row r : rows) {
        out.add(new StoredTask(r.getString("task_id"), r.getLong("queue_no"), r.getString("token_hash"),
            new JsonObject(r.getString("spec")), r.getString("status"), r.getString("stage"), r.getDouble("progress"),
            r.getString("error"), r.getString("message"), r.getLong("created_at"), r.getLong("started_at"),
            r.getLong("finished_at")));
      }
      return out;
    });
  }

  // ---- history ---------------------------------------------------------------------------

  @Override
  public Future<Void> addHistory(String taskId, long finishedAt, JsonObject entry, int keep, long epoch) {
    return fenced(epoch, conn -> conn.preparedQuery("INSERT INTO history (task_id, finished_at, entry) VALUES ($1, $2, $3)"
            + " ON CONFLICT (task_id) DO UPDATE SET finished_at = EXCLUDED.finished_at, entry = EXCLUDED.entry")
        .execute(Tuple.of(taskId, finishedAt, entry.encode()))
        .compose(v -> conn.preparedQuery("DELETE FROM history WHERE task_id NOT IN"
            + " (SELECT task_id FROM history ORDER BY finished_at DESC LIMIT $1)").execute(Tuple.of((long) keep)))
        .mapEmpty());
  }

  @Override
  public Future<JsonArray> history(int limit) {
    return pool.preparedQuery("SELECT entry FROM history ORDER BY finished_at DESC LIMIT $1")
        .execute(Tuple.of((long) limit))
        .map(rows -> {
          JsonArray out = new JsonArray();
          for (Row r : rows) {
            out.add(new JsonObject(r.getString(0)));
          }
          return out;
        });
  }

  // ---- translation memory ----------------------------------------------------------------

  @Override
  public Future<Map<String, String>> recall(TranslationKey key, String taskId, List<String> segments) {
    if (segments.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    Map<String, String> byHash = new HashMap<>();
    for (String segment : segments) {
      byHash.put(key.hash(segment), segment);
    }
    String[] hashes = byHash.keySet().toArray(String[]::new);
    return pool.preparedQuery("SELECT key_hash, translation FROM translation_memory WHERE key_hash = ANY($1)")
        .execute(Tuple.tuple().addArrayOfString(hashes))
        .compose(rows -> {
          Map<String, String> found = new HashMap<>();
          for (Row r : rows) {
            found.put(byHash.get(r.getString(0)), r.getString(1));
          }
          // Rows another node is writing right now are skipped rather than waited for (or deadlocked
          // on): that writer stamps them with a fresh last_used anyway.
          return pool.preparedQuery("UPDATE translation_memory SET last_used = $1 WHERE key_hash IN (SELECT key_hash"
                  + " FROM translation_memory WHERE key_hash = ANY($2) ORDER BY key_hash FOR UPDATE SKIP LOCKED)")
              .execute(Tuple.tuple().addLong(System.currentTimeMillis()).addArrayOfString(hashes))
              .compose(v -> addSources(pool, taskId, found.keySet().stream().map(key::hash).toList()))
              .map(v -> found);
        });
  }

  @Override
  public Future<Void> remember(TranslationKey key, String taskId, Map<String, String> translations) {
    if (translations.isEmpty()) {
      return Future.succeededFuture();
    }
    long now = System.currentTimeMillis();
    List<Tuple> rows = new ArrayList<>(translations.size());
    for (Map.Entry<String, String> e : translations.entrySet()) {
      rows.add(Tuple.of(key.hash(e.getKey()), key.engine(), key.sourceLang(), key.targetLang(), e.getValue(), now,
          MemoryBound.bytes(e.getKey(), e.getValue())));
    }
    // Upserting in key order means two nodes remembering overlapping segments lock rows in the same order.
    rows.sort((a, b) -> a.getString(0).compareTo(b.getString(0)));
    return pool.withTransaction(conn -> conn.preparedQuery("INSERT INTO translation_memory"
                + " (key_hash, engine, source_lang, target_lang, translation, last_used, bytes) VALUES ($1, $2, $3, $4, $5, $6, $7)"
                + " ON CONFLICT (key_hash) DO UPDATE SET engine = EXCLUDED.engine, source_lang = EXCLUDED.source_lang,"
                + " target_lang = EXCLUDED.target_lang, translation = EXCLUDED.translation, last_used = EXCLUDED.last_used,"
                + " bytes = EXCLUDED.bytes")
            .executeBatch(rows)
            .compose(v -> addSources(conn, taskId, translations.keySet().stream().map(key::hash).toList()))
            .compose(v -> evictBeyondBound(conn)));
  }

  /** Records {@code taskId} as a source of the entries under {@code hashes}; nothing for a null task. */
  private static Future<Void> addSources(SqlClient client, String taskId, List<String> hashes) {
    if (taskId == null || hashes.isEmpty()) {
      return Future.succeededFuture();
    }
    return client.preparedQuery("INSERT INTO memory_sources (key_hash, task_id) SELECT h, $2 FROM UNNEST($1::text[]) AS h"
            + " ON CONFLICT DO NOTHING")
        .execute(Tuple.tuple().addArrayOfString(hashes.stream().sorted().toArray(String[]::new)).addString(taskId))
        .mapEmpty();
  }

  /** Keeps the memory within its bounds ({@link MemoryBound}): the least recently used go. */
  private Future<Void> evictBeyondBound(SqlConnection conn) {
    return conn.query(MemoryBound.TOTALS_SQL).execute()
        .map(rows -> rows.iterator().next())
        .compose(totals -> {
          long entries = memoryBound.entriesToDrop(totals.getLong(0));
          long bytes = memoryBound.bytesToDrop(totals.getLong(1));
          return entries == 0 && bytes == 0 ? Future.succeededFuture()
              : conn.preparedQuery(MemoryBound.evictionSql("$1", "$2")).execute(Tuple.of(entries, bytes))
                  .compose(v -> conn.query(MemoryBound.ORPHAN_SOURCES_SQL).execute()).mapEmpty();
        });
  }

  @Override
  public Future<Long> memorySize() {
    return pool.query("SELECT COUNT(*) FROM translation_memory").execute().map(PgStore::singleLong);
  }

  // ---- files -----------------------------------------------------------------------------

  @Override
  public Future<Void> putFile(String key, Buffer content) {
    return pool.preparedQuery("INSERT INTO files (key, content, size, created_at) VALUES ($1, $2, $3, $4)"
            + " ON CONFLICT (key) DO UPDATE SET content = EXCLUDED.content, size = EXCLUDED.size, created_at = EXCLUDED.created_at")
        .execute(Tuple.of(key, content, (long) content.length(), System.currentTimeMillis()))
        .mapEmpty();
  }

  @Override
  public Future<Buffer> getFile(String key) {
    return pool.preparedQuery("SELECT content FROM files WHERE key = $1").execute(Tuple.of(key))
        .compose(rows -> rows.size() == 0
            ? Future.failedFuture(new NoSuchFileException(key, null, "no such file in the store"))
            : Future.succeededFuture(rows.iterator().next().getBuffer(0)));
  }

  @Override
  public Future<Void> deleteFile(String key) {
    return pool.preparedQuery("DELETE FROM files WHERE key = $1").execute(Tuple.of(key)).mapEmpty();
  }

  @Override
  public Future<Void> close() {
    return pool.close();
  }
}
