package dev.translive.queue;

import dev.translive.bus.TaskSpec;
import dev.translive.progress.Stage;
import dev.translive.store.FencedException;
import dev.translive.store.Store;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue owner's side of the {@link Store}: its writes carry its epoch, and the first write the
 * store refuses because a newer owner took over calls {@code fenced} once.
 */
final class OwnerStore {
  private static final Logger LOG = LoggerFactory.getLogger(OwnerStore.class);

  private final Store store;
  private final long epoch;
  private final Runnable fenced;
  private boolean wasFenced;

  OwnerStore(Store store, long epoch, Runnable fenced) {
    this.store = store;
    this.epoch = epoch;
    this.fenced = fenced;
  }

  /** Loads history, then the recent finished tasks, the numbers used, and the unfinished tasks in queue order. */
  Future<Integer> restore(QueueMachine machine, History history, int historyMax, int finishedKept, boolean clustered) {
    return store.history(historyMax)
        .onSuccess(history::load)
        .compose(v -> store.recentFinishedTasks(finishedKept))
        .onSuccess(finished -> finished.forEach(row -> machine.restore(row, clustered)))
        .compose(v -> store.highestQueueNo())
        .onSuccess(machine::numberedUpTo)
        .compose(v -> store.unfinishedTasks())
        .map(unfinished -> {
          unfinished.forEach(row -> machine.restore(row, clustered));
          return unfinished.size();
        });
  }

  /**
   * Makes sure the machine knows {@code taskId} if the store does: a finished task beyond the ones
   * kept in memory is read back, so it answers for its whole retention.
   */
  Future<Void> recall(QueueMachine machine, String taskId, boolean clustered) {
    if (machine.knows(taskId)) {
      return Future.succeededFuture();
    }
    return store.task(taskId).map(row -> {
      if (row != null && !machine.knows(taskId) && !"queued".equals(row.status()) && !"running".equals(row.status())) {
        machine.restore(row, clustered);
      }
      return null;
    });
  }

  /** Records an admitted task; once this succeeds it survives a crash. */
  Future<Void> insert(TaskRecord task) {
    return fenced(store.insertTask(new Store.StoredTask(task.id(), task.number, HexFormat.of().formatHex(task.tokenHash),
        task.spec.toJson(), "queued", Stage.QUEUED.wire(), 0, null, null, task.createdAt, null, null), epoch));
  }

  /** Writes the task's status; failures are logged, the in-memory state stays authoritative until restart. */
  void save(TaskRecord task) {
    fenced(store.updateTask(task.id(), task.storedStatus(), task.storedStage(), task.progress, task.error, task.message,
        task.startedAt, task.finishedAt, epoch))
        .onFailure(err -> LOG.warn("Cannot store the state of {}: {}", task.id(), err.getMessage()));
  }

  void saveHistory(TaskRecord task, JsonObject entry, int keep) {
    fenced(store.addHistory(task.id(), task.finishedAt, entry, keep, epoch))
        .onFailure(err -> LOG.warn("Cannot store history: {}", err.getMessage()));
  }

  /** Deletes the finished tasks that ended before {@code before}; their specs, to delete their files. */
  Future<List<TaskSpec>> expire(long before) {
    return fenced(store.deleteFinishedBefore(before, epoch))
        .map(rows -> rows.stream().map(row -> TaskSpec.fromJson(row.spec())).toList())
        .onSuccess(expired -> {
          if (!expired.isEmpty()) {
            LOG.info("Removed {} finished tasks and their files past the retention period", expired.size());
          }
        })
        .onFailure(err -> LOG.warn("Retention sweep failed: {}", err.getMessage()));
  }

  private <T> Future<T> fenced(Future<T> write) {
    return write.onFailure(err -> {
      if (err instanceof FencedException && !wasFenced) {
        wasFenced = true;
        LOG.error("This node is no longer the queue owner ({}); stopping its queue", err.getMessage());
        fenced.run();
      }
    });
  }
}
