package dev.translive.bus;

import dev.translive.progress.BridgeOptions;
import java.util.List;

/** Every event-bus address the service uses, public (CONTRACT.md) and internal, in one place. */
public final class Addresses {
  private Addresses() {}

  // Public: browsers (through the bridge) and other services.
  public static final String PROGRESS = BridgeOptions.PROGRESS;
  public static final String QUEUE = BridgeOptions.QUEUE;
  public static final String SNAPSHOT = BridgeOptions.SNAPSHOT;
  public static final String TASKS_SUBMIT = "translive.tasks.submit";
  /** Same body and headers as a submit; the reply is one estimate (nothing is queued or kept). */
  public static final String TASKS_ESTIMATE = "translive.tasks.estimate";
  public static final String TASKS_CANCEL = "translive.tasks.cancel";
  public static final String TASKS_GET = "translive.tasks.get";
  /** The owner pauses a running task ({@code {"task_id","token"}}); it stops at the next batch boundary. */
  public static final String TASKS_PAUSE = "translive.tasks.pause";
  /** The owner resumes a paused task ({@code {"task_id","token"}}): back in the queue at its old place. */
  public static final String TASKS_RESUME = "translive.tasks.resume";

  /** Addresses a browser may register on. */
  public static final List<String> BRIDGE_OUTBOUND = List.of(PROGRESS, QUEUE);

  // Internal: between the verticles of this service only, never bridged.
  /** HTTP edge hands an already-stored upload to the queue owner. */
  public static final String QUEUE_ENQUEUE = "translive.internal.queue.enqueue";
  /** HTTP edge and services ask the queue owner for the token check on a result download. */
  public static final String QUEUE_AUTHORIZE = "translive.internal.queue.authorize";
  /** History snapshot for GET /api/history. */
  public static final String QUEUE_HISTORY = "translive.internal.queue.history";
  /** A translator reports a finished task to the queue owner before announcing it. */
  public static final String QUEUE_FINISHED = "translive.internal.queue.finished";
  /** A translator tells the queue owner it stopped a task at a batch boundary, as asked ({@link Internal.Paused}). */
  public static final String QUEUE_PAUSED = "translive.internal.queue.paused";
  /** The HTTP edge, having checked the admin key, asks the queue owner for an operator's action ({@link Internal.Admin}). */
  public static final String QUEUE_ADMIN = "translive.internal.queue.admin";
  /** The queue owner asks translators to pause a task at the next batch boundary (publish, {@link Internal.Pause}). */
  public static final String TRANSLATOR_PAUSE = "translive.internal.translator.pause";
  /** The queue owner hands a task to a free translator (point to point). */
  public static final String TRANSLATOR_RUN = "translive.internal.translator.run";
  /** Translators tell the queue owner, every few seconds, which tasks they hold (publish). */
  public static final String TRANSLATOR_HEARTBEAT = "translive.internal.translator.heartbeat";
  /** The queue owner tells every translator to abandon a task (publish). */
  public static final String TRANSLATOR_CANCEL = "translive.internal.translator.cancel";
}
