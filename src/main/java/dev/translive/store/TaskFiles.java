package dev.translive.store;

import dev.translive.bus.TaskSpec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Path;

/**
 * Where a task's upload and result are. On one node they are files under the data dir. In a
 * cluster the store holds them as well, because no node shares a disk: the receiving node puts the
 * upload there, a translator fetches it into its own data dir, puts the result back, and any HTTP
 * node serves the download from it.
 */
public record TaskFiles(Vertx vertx, Store store, Path uploads, Path results) {
  /** Uploads and results in their directories under {@code dataDir}. */
  public TaskFiles(Vertx vertx, Store store, Path dataDir) {
    this(vertx, store, dataDir.resolve("uploads"), dataDir.resolve("results"));
  }

  /** This node's copy of the upload (named as the receiving node named it). */
  public Path localUpload(TaskSpec spec) {
    return uploads.resolve(Path.of(spec.storedPath()).getFileName());
  }

  /** Where this node writes or keeps the result. */
  public Path localResult(TaskSpec spec) {
    return results.resolve(Path.of(spec.resultPath()).getFileName());
  }

  /** Shares an accepted upload with the cluster; nothing to do on one node. */
  public Future<Void> shareUpload(TaskSpec spec) {
    return share(localUpload(spec), uploadKey(spec));
  }

  /** The upload on this node's disk, fetched from the store first when another node received it. */
  public Future<Path> upload(TaskSpec spec) {
    return local(localUpload(spec), uploadKey(spec));
  }

  /** Shares a written result with the cluster; nothing to do on one node. */
  public Future<Void> shareResult(TaskSpec spec) {
    return share(localResult(spec), resultKey(spec));
  }

  /** Puts {@code local} into the store under {@code key} when nodes share the store. */
  private Future<Void> share(Path local, String key) {
    return store.sharedAcrossNodes()
        ? vertx.fileSystem().readFile(local.toString()).compose(bytes -> store.putFile(key, bytes))
        : Future.succeededFuture();
  }

  /** The result as a local file, fetched from the store when another node translated it. */
  public Future<Path> result(TaskSpec spec) {
    return local(localResult(spec), resultKey(spec));
  }

  /** {@code local} if this node has it, else fetched from the store under {@code key} into it. */
  private Future<Path> local(Path local, String key) {
    return vertx.fileSystem().exists(local.toString()).compose(present -> present || !store.sharedAcrossNodes()
        ? Future.succeededFuture(local)
        : store.getFile(key).compose(bytes -> write(local, bytes)).map(local));
  }

  /** Removes the task's files, here and in the store. */
  public Future<Void> delete(TaskSpec spec) {
    Future<Void> local = Future.join(deleteIfExists(localUpload(spec)), deleteIfExists(localResult(spec))).mapEmpty();
    return store.sharedAcrossNodes()
        ? local.compose(v -> Future.join(store.deleteFile(uploadKey(spec)), store.deleteFile(resultKey(spec))).mapEmpty())
        : local;
  }

  private Future<Void> deleteIfExists(Path path) {
    return vertx.fileSystem().exists(path.toString()).compose(present -> present
        ? vertx.fileSystem().delete(path.toString()) : Future.succeededFuture());
  }

  /** Written through a temp file and a rename, so a crash never leaves half a cached copy. */
  private Future<Void> write(Path target, Buffer bytes) {
    return vertx.executeBlocking(() -> {
      dev.translive.format.AtomicFiles.write(target, bytes.getBytes());
      return null;
    }, false);
  }

  private static String uploadKey(TaskSpec spec) {
    return "upload/" + spec.taskId();
  }

  private static String resultKey(TaskSpec spec) {
    return "result/" + spec.taskId();
  }
}
