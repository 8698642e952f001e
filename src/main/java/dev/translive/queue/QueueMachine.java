package dev.translive.queue;

import dev.translive.bus.ErrorCode;
import dev.translive.bus.Internal;
import dev.translive.bus.TaskSpec;
import dev.translive.progress.Stage;
import dev.translive.store.Store;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The queue as a state machine: every task, the dispatch order, the translator slots, every
 * transition and the numbers derived from them (positions, waits, queue-number ranges). Plain Java
 * on an injected clock: no event bus, no timers, no store. {@link QueueVerticle} feeds it the bus's
 * requests and writes and publishes what changed.
 *
 * <p>Invariants (checked by QueueMachinePropertyTest): a task is in exactly one of queued, running
 * or finished; at most {@code concurrency} run; queue numbers are never reused, also across a
 * restore; positions are 1..n in dispatch order.
 */
final class QueueMachine {
  /** A running task no translator has claimed for this long lost its translator and goes back to the queue. */
  static final long TRANSLATOR_LOST_MS = 10_000;
  /** A running task's progress is written to the store at most this often. */
  static final long PROGRESS_SAVE_INTERVAL_MS = 1000;

  /**
   * @param maxQueuedPerClient tasks one submitter ({@link TaskSpec#client()}) may have waiting; 0: no limit
   * @param maxRunSeconds seconds a task may run before it fails; 0: no limit
   * @param fairShare round robin across submitters (the default) instead of first come first served
   */
  record Settings(int concurrency, int maxQueued, int maxFinishedKept, boolean showFilenames,
      double defaultSecondsPerSegment, int maxQueuedPerClient, long maxRunSeconds, boolean fairShare) {
    Settings(int concurrency, int maxQueued, int maxFinishedKept, boolean showFilenames, double defaultSecondsPerSegment) {
      this(concurrency, maxQueued, maxFinishedKept, showFilenames, defaultSecondsPerSegment, 0, 0, false);
    }

    static Settings of(dev.translive.config.AppConfig config) {
      dev.translive.config.AppConfig.Queue q = config.queue();
      return new Settings(q.concurrency(), q.maxQueued(), config.finishedInMemory(), q.showFilenames(),
          q.defaultSecondsPerSegment(), config.maxQueuedPerClient(), config.taskMaxRunSeconds(),
          !"fifo".equals(config.queueDispatch()));
    }
  }

  /** What a progress message did: nothing, changed the task, or changed it and is due to be saved. */
  enum ProgressEffect { IGNORED, APPLIED, SAVE }

  /** What a cancel did: ended a queued task, asked the translator, or found that already asked. */
  enum CancelEffect { CANCELLED, ASK_TRANSLATOR, ALREADY_CANCELLING }

  /** An end report's fate; not accepted when the task already ended or another translator owns it. */
  record Ending(TaskRecord task, boolean accepted) {}

  /** Queue numbers of the queued tasks as inclusive ranges, in dispatch order; cut when there are too many. */
  record Ranges(List<long[]> ranges, boolean complete) {}

  private final Settings settings;
  private final LongSupplier clock;
  /** Learned seconds per character for a task (engine, language pair, format), or null without history. */
  private final Function<TaskSpec, Double> learnedPace;
  private final Map<String, TaskRecord> tasks = new LinkedHashMap<>();
  private final DispatchOrder queued;
  private final Map<String, TaskRecord> running = new LinkedHashMap<>();
  private int finishedCount;
  private long lastQueueNo;
  /** The operator paused the queue (draining): running tasks finish, nothing new starts. */
  private boolean queuePaused;

  QueueMachine(Settings settings, LongSupplier clock, Function<TaskSpec, Double> learnedPace) {
    this.settings = settings;
    this.queued = settings.fairShare() ? new DispatchOrder.FairShare() : new DispatchOrder.Fifo();
    this.clock = clock;
    this.learnedPace = learnedPace;
  }

  // ---- restore ---------------------------------------------------------------------------

  /**
   * Rebuilds a task from its stored row, unfinished ones in queue order. A task that was running
   * goes back to the queue, or, in a cluster, stays running: its translator may be alive on another
   * node, and its heartbeat (or its silence) decides.
   */
  TaskRecord restore(Store.StoredTask row, boolean clustered) {
    TaskRecord task = new TaskRecord(TaskSpec.fromJson(row.spec()), HexFormat.of().parseHex(row.tokenHash()),
        row.createdAt(), row.queueNo());
    task.durable = true;
    lastQueueNo = Math.max(lastQueueNo, row.queueNo());
    forget(tasks.put(task.id(), task));
    Stage stored = Internal.stage(row.stage());
    switch (row.status()) {
      case "queued" -> {
        if (PAUSED.equals(row.stage())) {
          pausedWith(task, row.progress());
        } else {
          queued.add(task);
        }
      }
      case "running" -> {
        task.resumed = true;
        task.progress = row.progress(); // a resumed task never shows less than it had
        if (clustered) {
          task.stage = stored == null || stored.terminal() || stored == Stage.QUEUED ? Stage.EXTRACTING : stored;
          task.startedAt = row.startedAt();
          task.lastSeen = clock.getAsLong();
          running.put(task.id(), task);
        } else {
          queued.add(task);
        }
      }
      default -> {
        task.stage = stored != null && stored.terminal() ? stored : Stage.FAILED;
        task.progress = row.progress();
        task.error = row.error();
        task.message = row.message();
        task.startedAt = row.startedAt();
        task.finishedAt = row.finishedAt();
        if (task.stage == Stage.COMPLETED) {
          task.completedSegments = task.spec.totalSegments();
        }
        finishedCount++;
        evictOldFinished();
      }
    }
    return task;
  }

  /** How a paused task is stored: status queued (so every store keeps it as unfinished), this stage. */
  static final String PAUSED = "paused";

  private static void pausedWith(TaskRecord task, double progress) {
    task.paused = true;
    task.resumed = true;
    task.progress = progress;
  }

  /** Numbers up to {@code highest} were given to stored tasks, also to those not restored here. */
  void numberedUpTo(long highest) {
    lastQueueNo = Math.max(lastQueueNo, highest);
  }

  /** The retention sweep removed a finished task. */
  void expire(String taskId) {
    TaskRecord task = tasks.get(taskId);
    if (task != null && task.finished()) {
      forget(tasks.remove(taskId));
    }
  }

  private void forget(TaskRecord task) {
    if (task != null) {
      queued.remove(task);
      running.remove(task.id());
      if (task.finished()) {
        finishedCount--;
      }
    }
  }

  // ---- admission -------------------------------------------------------------------------

  boolean full() {
    return queued.size() >= settings.maxQueued();
  }

  /** Refuses with the queue-full error when no task can be admitted. */
  void checkRoom() {
    if (full()) {
      throw queueFull();
    }
  }

  /**
   * Admits a task at the back of the queue with the next queue number; it starts once
   * {@link #stored} says it is durable.
   */
  TaskRecord submit(TaskSpec spec, String token) {
    checkRoom();
    checkShare(spec.client());
    if (tasks.containsKey(spec.taskId())) {
      throw ErrorCode.CONFLICT.error("task " + spec.taskId() + " exists");
    }
    TaskRecord task = new TaskRecord(spec, sha256(token), clock.getAsLong(), ++lastQueueNo);
    tasks.put(task.id(), task);
    queued.add(task);
    return task;
  }

  void stored(String taskId) {
    TaskRecord task = tasks.get(taskId);
    if (task != null) {
      task.durable = true;
    }
  }

  /** The task could not be stored: it never existed (its queue number stays used). */
  void withdraw(String taskId) {
    TaskRecord task = tasks.get(taskId);
    if (task != null && !task.durable) {
      forget(tasks.remove(taskId));
    }
  }

  /**
   * One submitter never holds more than its share of the queue (each file of an upload counts).
   * Bus submissions that name no submitter are services, not one person: only maxQueued bounds them.
   */
  private void checkShare(String client) {
    int limit = settings.maxQueuedPerClient();
    if (limit <= 0 || TaskSpec.UNNAMED_SERVICE.equals(client)) {
      return;
    }
    int waiting = 0;
    for (TaskRecord task : queued) {
      if (java.util.Objects.equals(task.spec.client(), client) && ++waiting >= limit) {
        throw ErrorCode.TOO_MANY.error("you have " + limit + " tasks waiting, the most one submitter may have; "
            + "try again when some have started");
      }
    }
  }

  private dev.translive.bus.TransliveException queueFull() {
    return ErrorCode.QUEUE_FULL.error("the queue is full (" + settings.maxQueued() + " tasks waiting); try again later");
  }

  // ---- dispatch --------------------------------------------------------------------------

  /**
   * Starts queued tasks, in dispatch order, while slots are free; the caller hands them to
   * translators. A next task not stored yet holds the others back (its insert is a moment away).
   */
  List<TaskRecord> admit() {
    List<TaskRecord> started = new ArrayList<>();
    long now = clock.getAsLong();
    while (!queuePaused && running.size() < settings.concurrency()) {
      TaskRecord task = queued.next();
      if (task == null || !task.durable) {
        break;
      }
      queued.poll();
      running.put(task.id(), task);
      task.stage = Stage.EXTRACTING;
      task.startedAt = now;
      task.etaSeconds = estimatedDuration(task);
      task.etaSeenAt = now;
      task.translator = null;
      task.lastSeen = now;
      started.add(task);
    }
    return started;
  }

  /** A translator took a started task. */
  void handedTo(String taskId, String translator) {
    TaskRecord task = running.get(taskId);
    if (task != null && task.translator == null) {
      task.translator = translator;
    }
  }

  /** A started task goes back to the front of the queue (no translator took it); false if it was not running. */
  boolean requeue(String taskId) {
    TaskRecord task = running.remove(taskId);
    if (task == null) {
      return false;
    }
    task.stage = Stage.QUEUED;
    task.startedAt = null;
    task.translator = null;
    task.latestProgress = null;
    if (task.pauseRequested) {
      // It was to pause anyway: it waits paused rather than running again.
      task.pauseRequested = false;
      pausedWith(task, task.progress);
      return true;
    }
    queued.addFirst(task);
    return true;
  }

  /** Running tasks whose translator went silent (its node died) go back to the front of the queue; returns them. */
  List<TaskRecord> requeueLost() {
    long now = clock.getAsLong();
    List<TaskRecord> lost = running.values().stream().filter(t -> now - t.lastSeen > TRANSLATOR_LOST_MS).toList();
    for (TaskRecord task : lost) {
      task.resumed = true;
      requeue(task.id());
    }
    return lost;
  }

  /**
   * A translator says which tasks it holds. Returns those it must drop quietly: unknown here,
   * ended, waiting again or run by another translator (only one translator may end a task).
   */
  List<String> heartbeat(Internal.Heartbeat beat) {
    long now = clock.getAsLong();
    List<String> abandon = new ArrayList<>();
    for (String id : beat.tasks()) {
      TaskRecord task = running.get(id);
      if (task != null && (task.translator == null || task.translator.equals(beat.translator()))) {
        task.translator = beat.translator();
        task.lastSeen = now;
        Double live = beat.paces().get(id);
        task.livePace = live != null ? live : task.livePace;
      } else {
        abandon.add(id);
      }
    }
    for (String id : beat.unreported()) {
      TaskRecord task = running.get(id);
      if (task != null) {
        task.lastSeen = now; // its end report is on its way
      }
    }
    return abandon;
  }

  /**
   * Running tasks past {@code maxRunSeconds} fail here; returns them (their translators are to drop
   * them quietly, and the queue announces the end).
   */
  List<TaskRecord> stopOverdue() {
    long limit = settings.maxRunSeconds();
    if (limit <= 0) {
      return List.of();
    }
    long now = clock.getAsLong();
    List<TaskRecord> overdue = running.values().stream()
        .filter(t -> t.startedAt != null && now - t.startedAt > limit * 1000).toList();
    String why = "stopped after " + limit + " s, the most one task may run (task.maxRunSeconds)";
    overdue.forEach(task -> end(task, Stage.FAILED, "Translation failed: " + why, why));
    return overdue;
  }

  // ---- progress and the end --------------------------------------------------------------

  /**
   * A running task's progress. Only the end report ends a task, so a final or unknown stage here
   * changes nothing; progress never goes backwards.
   */
  ProgressEffect progress(Internal.ProgressSeen seen, Object message) {
    TaskRecord task = running.get(seen.taskId());
    if (task == null || seen.stage() == null || seen.stage().terminal() || seen.stage() == Stage.QUEUED) {
      return ProgressEffect.IGNORED;
    }
    task.stage = seen.stage();
    task.progress = Math.max(task.progress, seen.progress());
    task.completedSegments = seen.completedSegments() == null ? task.completedSegments : seen.completedSegments();
    task.uniqueSegments = seen.uniqueSegments() == null ? task.uniqueSegments : seen.uniqueSegments();
    task.cachedSegments = seen.cachedSegments() == null ? task.cachedSegments : seen.cachedSegments();
    task.etaSeconds = seen.etaSeconds();
    task.latestProgress = message;
    long now = clock.getAsLong();
    task.etaSeenAt = now;
    if (now - task.progressSavedAt > PROGRESS_SAVE_INTERVAL_MS) {
      task.progressSavedAt = now;
      return ProgressEffect.SAVE;
    }
    return ProgressEffect.APPLIED;
  }

  /** A translator's end report. */
  Ending report(Internal.Report report) {
    TaskRecord task = find(report.taskId());
    boolean runsElsewhere = running.containsKey(task.id()) && task.translator != null && report.translator() != null
        && !task.translator.equals(report.translator());
    if (task.finished() || runsElsewhere) {
      return new Ending(task, false);
    }
    end(task, report.status(), report.message(), report.error());
    return new Ending(task, true);
  }

  private void end(TaskRecord task, Stage stage, String message, String error) {
    task.paused = false;
    task.pauseRequested = false;
    queued.remove(task);
    running.remove(task.id());
    task.stage = stage;
    task.finishedAt = clock.getAsLong();
    task.message = message;
    task.error = stage == Stage.COMPLETED ? null : error;
    if (stage == Stage.COMPLETED) {
      task.progress = 1.0;
      task.completedSegments = task.spec.totalSegments();
    }
    task.etaSeconds = stage == Stage.COMPLETED ? 0.0 : null;
    task.latestProgress = null;
    finishedCount++;
    evictOldFinished();
  }

  /** Finished tasks beyond the bound are forgotten here; their rows and files stay until the retention sweep. */
  private void evictOldFinished() {
    for (Iterator<TaskRecord> it = tasks.values().iterator(); finishedCount > settings.maxFinishedKept() && it.hasNext(); ) {
      if (it.next().finished()) {
        it.remove();
        finishedCount--;
      }
    }
  }

  // ---- cancel ----------------------------------------------------------------------------

  /**
   * The owner cancels (or the operator, {@code admin}): a queued or paused task ends now, a running
   * one once its translator confirms (or is presumed gone).
   */
  CancelEffect cancel(String taskId, String token, boolean admin) {
    TaskRecord task = find(taskId);
    if (!admin) {
      checkToken(task, token);
    }
    if (task.finished()) {
      throw ErrorCode.CONFLICT.error("task " + taskId + " already " + task.status());
    }
    if (!running.containsKey(taskId)) {
      end(task, Stage.CANCELLED, "Cancelled before it started", "cancelled by the user");
      return CancelEffect.CANCELLED;
    }
    if (task.cancelRequested) {
      return CancelEffect.ALREADY_CANCELLING;
    }
    task.cancelRequested = true;
    return CancelEffect.ASK_TRANSLATOR;
  }

  /** The translator did not confirm a cancel in time: the task ends here. Returns whether it was still open. */
  boolean cancelTimedOut(String taskId) {
    TaskRecord task = tasks.get(taskId);
    if (task == null || task.finished()) {
      return false;
    }
    end(task, Stage.CANCELLED, "Cancelled", "cancelled by the user");
    return true;
  }

  CancelEffect cancel(String taskId, String token) {
    return cancel(taskId, token, false);
  }

  // ---- pause, resume, priority, draining ---------------------------------------------------

  /**
   * The owner pauses a running task; returns whether its translator is to be asked (false: already
   * asked). The task stays running until the translator says it stopped ({@link #pausedBy}).
   */
  boolean pause(String taskId, String token) {
    TaskRecord task = find(taskId);
    checkToken(task, token);
    if (!running.containsKey(taskId)) {
      throw ErrorCode.CONFLICT.error("task " + taskId + " is " + task.status() + "; only a running task can be paused");
    }
    if (task.pauseRequested) {
      return false;
    }
    task.pauseRequested = true;
    return true;
  }

  /**
   * Its translator stopped a task at a batch boundary: it leaves its slot and waits, paused, with
   * its progress. Null when the task is not running here, or another translator runs it.
   */
  TaskRecord pausedBy(String taskId, String translator) {
    TaskRecord task = running.get(taskId);
    if (task == null || task.translator != null && translator != null && !task.translator.equals(translator)) {
      return null;
    }
    running.remove(taskId);
    task.stage = Stage.QUEUED;
    task.pauseRequested = false;
    task.translator = null;
    task.latestProgress = null;
    task.etaSeconds = null;
    pausedWith(task, task.progress);
    return task;
  }

  /** The owner resumes a paused task: back in the queue at its old place (its queue number and priority). */
  TaskRecord resume(String taskId, String token) {
    TaskRecord task = find(taskId);
    checkToken(task, token);
    if (!task.paused) {
      throw ErrorCode.CONFLICT.error("task " + taskId + " is " + task.status() + "; only a paused task can be resumed");
    }
    task.paused = false;
    queued.add(task);
    return task;
  }

  /** The operator changes a task's priority; a queued task moves to its place under the new one. */
  TaskRecord reprioritize(String taskId, String priority) {
    TaskRecord task = find(taskId);
    if (task.finished()) {
      throw ErrorCode.CONFLICT.error("task " + taskId + " already " + task.status());
    }
    boolean wasQueued = queued.remove(task);
    task.priority = priority;
    if (wasQueued) {
      queued.add(task);
    }
    return task;
  }

  /** Draining for maintenance: while paused, running tasks finish and nothing new starts. */
  void pauseQueue(boolean paused) {
    queuePaused = paused;
  }

  boolean queuePaused() {
    return queuePaused;
  }

  // ---- reading ---------------------------------------------------------------------------

  boolean knows(String taskId) {
    return tasks.containsKey(taskId);
  }

  TaskRecord find(String taskId) {
    TaskRecord task = taskId == null ? null : tasks.get(taskId);
    if (task == null) {
      throw ErrorCode.NOT_FOUND.error("no task " + taskId);
    }
    return task;
  }

  /** A completed task's record for its owner, for a download. */
  TaskRecord authorizeResult(String taskId, String token) {
    TaskRecord task = find(taskId);
    checkToken(task, token);
    if (task.stage != Stage.COMPLETED) {
      throw ErrorCode.CONFLICT.error("task " + task.id() + " is " + task.status() + "; the result exists once it is completed");
    }
    return task;
  }

  static boolean ownedBy(TaskRecord task, String token) {
    return token != null && MessageDigest.isEqual(task.tokenHash, sha256(token));
  }

  private static void checkToken(TaskRecord task, String token) {
    if (token == null || token.isEmpty()) {
      throw ErrorCode.FORBIDDEN.error("this needs the task's token (header X-Task-Token)");
    }
    if (!ownedBy(task, token)) {
      throw ErrorCode.FORBIDDEN.error("wrong token for task " + task.id());
    }
  }

  /** Every task known here: queued, running and the recent finished ones. */
  Collection<TaskRecord> tasks() {
    return Collections.unmodifiableCollection(tasks.values());
  }

  Collection<TaskRecord> running() {
    return Collections.unmodifiableCollection(running.values());
  }

  boolean isRunning(String taskId) {
    return running.containsKey(taskId);
  }

  int queuedCount() {
    return queued.size();
  }

  int concurrency() {
    return settings.concurrency();
  }

  /** The first {@code limit} queued tasks in dispatch order. */
  List<TaskRecord> queuedHead(int limit) {
    List<TaskRecord> head = new ArrayList<>(Math.min(limit, queued.size()));
    for (TaskRecord task : queued.inOrder()) {
      if (head.size() == limit) {
        break;
      }
      head.add(task);
    }
    return head;
  }

  /** 1-based place in dispatch order; 0 when the task is not queued. */
  int position(TaskRecord task) {
    if (task.orderKey == null) {
      return 0;
    }
    int position = 0;
    for (TaskRecord q : queued.inOrder()) {
      position++;
      if (q == task) {
        return position;
      }
    }
    return 0;
  }

  /** Estimated seconds until each of the first {@code count} queued tasks starts. */
  double[] waits(int count) {
    List<Double> durations = queuedHead(count).stream().map(this::estimatedDuration).toList();
    return WaitEstimator.waits(settings.concurrency(), runningRemaining(), durations);
  }

  /** Estimated seconds until a task submitted now starts: after every queued task, on the slots as they free. */
  double startInForNew() {
    List<Double> durations = new ArrayList<>(queuedHead(queued.size()).stream().map(this::estimatedDuration).toList());
    durations.add(0.0);
    double[] waits = WaitEstimator.waits(settings.concurrency(), runningRemaining(), durations);
    return waits[waits.length - 1];
  }

  /** Each running task's remaining seconds: the translator's ETA as of its last progress, counted down since. */
  private List<Double> runningRemaining() {
    List<Double> etas = new ArrayList<>(running.size());
    long now = clock.getAsLong();
    for (TaskRecord r : running.values()) {
      etas.add(r.etaSeconds == null ? estimatedDuration(r) : Math.max(0, r.etaSeconds - (now - r.etaSeenAt) / 1000.0));
    }
    return etas;
  }

  /** The estimated wait of one queued task; null when it is not queued. */
  Double waitOf(TaskRecord task) {
    int position = position(task);
    if (position == 0) {
      return null;
    }
    double[] waits = waits(position);
    return waits[position - 1];
  }

  /** Seconds each task beyond the head adds to a wait: the mean duration of the head, spread over the slots. */
  double tailSecondsPerTask(int headSize) {
    List<TaskRecord> head = queuedHead(headSize);
    if (head.isEmpty()) {
      return settings.defaultSecondsPerSegment();
    }
    double mean = head.stream().mapToDouble(this::estimatedDuration).average().orElse(0);
    return mean / Math.max(1, settings.concurrency());
  }

  Ranges queueNoRanges(int maxRanges) {
    List<long[]> ranges = new ArrayList<>();
    long start = -1;
    long end = -1;
    long previous = Long.MIN_VALUE;
    for (TaskRecord q : queued.inOrder()) {
      if (q.number <= previous) {
        // Clients count the numbers below their own to place themselves; when the dispatch order
        // is not the numbers' order (several submitters taking turns, priorities, a task put back
        // first) that would be wrong, so none are sent and clients rely on the head or GET.
        return new Ranges(List.of(), false);
      }
      previous = q.number;
      if (q.number == end + 1) {
        end = q.number;
        continue;
      }
      if (start >= 0) {
        if (ranges.size() == maxRanges) {
          return new Ranges(ranges, false);
        }
        ranges.add(new long[] {start, end});
      }
      start = q.number;
      end = q.number;
    }
    if (start >= 0) {
      ranges.add(new long[] {start, end});
    }
    return new Ranges(ranges, true);
  }

  /** Seconds per segment for a task's engine without a pace per character: its nominal pace, else the configured default. */
  double pace(TaskRecord task) {
    return task.spec.nominalSecondsPerSegment() > 0 ? task.spec.nominalSecondsPerSegment() : settings.defaultSecondsPerSegment();
  }

  /**
   * Seconds per character for a task, or null when nothing is known: the live pace of a running
   * task of the same engine and language pair (it measures this machine and backend right now),
   * else the learned pace of finished tasks (engine, pair and format first).
   */
  Double secondsPerCharacter(TaskSpec spec) {
    TaskRecord own = running.get(spec.taskId());
    if (own != null && own.livePace != null) {
      return own.livePace;
    }
    double sum = 0;
    int count = 0;
    for (TaskRecord r : running.values()) {
      if (r.livePace != null && r.spec.engine().equals(spec.engine()) && r.spec.sourceLang().equals(spec.sourceLang())
          && r.spec.targetLang().equals(spec.targetLang())) {
        sum += r.livePace;
        count++;
      }
    }
    return count > 0 ? Double.valueOf(sum / count) : learnedPace.apply(spec);
  }

  /** A task's estimated run time: its characters times the pace, else its segments times the nominal pace. */
  double estimatedDuration(TaskRecord task) {
    return PaceEstimate.seconds(task.spec, secondsPerCharacter(task.spec), pace(task));
  }

  /** The run time of a task not submitted: {@code characters} to translate (those not remembered) at its pace. */
  double estimatedDuration(TaskSpec spec, long characters, int segments) {
    double perSegment = spec.nominalSecondsPerSegment() > 0 ? spec.nominalSecondsPerSegment() : settings.defaultSecondsPerSegment();
    return PaceEstimate.seconds(characters, segments, secondsPerCharacter(spec), perSegment);
  }

  double durationSeconds(TaskRecord task) {
    long from = task.startedAt != null ? task.startedAt : task.createdAt;
    return ((task.finishedAt == null ? clock.getAsLong() : task.finishedAt) - from) / 1000.0;
  }

  /** The name others see: the file name, or "document N" when names are hidden. */
  String displayName(TaskRecord task) {
    return settings.showFilenames() ? task.spec.filename() : "document " + task.number;
  }

  boolean showFilenames() {
    return settings.showFilenames();
  }

  static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
