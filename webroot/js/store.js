/*
 * The page's one client-side state. Live messages, snapshots, the user's own tasks and the
 * connection all land here; every panel renders from the views below, so no two panels can
 * disagree about a task (a started task is running everywhere at once, a finished one is gone from
 * both lists at once).
 *
 * Ordering: each message carries the server's seq. Seqs of translive.progress and translive.queue
 * are drawn from one clock on the server, so "newer" is comparable across the two addresses: the
 * newest thing known about a task decides its phase.
 */
import { readJson, writeStorage } from './storage.js';

const MY_TASKS_KEY = 'translive.myTasks';
const MY_BATCHES_KEY = 'translive.myBatches';
const MAX_MY_BATCHES = 20;
const MAX_MY_TASKS = 50;
const MAX_TRACKED_TASKS = 300;
export const FINAL_STATUSES = new Set(['completed', 'failed', 'cancelled']);
const LIVE_STATES = new Set(['connected', 'polling']);

const state = {
  connection: 'connecting',
  everLive: false,
  /** performance.now() when the page lost the server; countdowns stand still from then on. */
  staleSince: null,
  /** The latest queue_update: {seq, running, queued, queue_length}. */
  queue: null,
  /** task_id -> {seq, type, filename, progress (last progress data), completed (task_completed data)}. */
  tasks: new Map(),
  /** task_id -> {value, at, source, low, high}: the shown ETA, counted down from `at`. */
  etas: new Map(),
  /** The user's tasks, newest first: {task_id, token, filename, added_at}. */
  mine: loadMyTasks(),
  /** The user's batches (a .zip upload), newest first: {batch_id, token, filename, files, skipped}. */
  myBatches: loadMyBatches(),
  /** batch_id -> GET /api/batches/{id} (files done / total, progress, eta), or {gone: true}; and the download state. */
  batchStatus: new Map(),
  batchDownloads: new Map(),
  /** task_id -> task JSON from GET /api/tasks/{id}, or {gone: true}. */
  details: new Map(),
  /** task_id -> 'confirm' | 'pending' | an error text. */
  cancel: new Map(),
  /** task_id -> 'pending' | an error text. */
  downloads: new Map(),
  /** task_id -> 'pausing' | 'resuming' | 'pending' | an error text: the owner's pause or resume on its way. */
  pausing: new Map(),
  history: null,
};

const listeners = new Set();
let notifyScheduled = false;

export function subscribe(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Listeners run once per burst of changes (a microtask, not a frame: hidden tabs must stay current). */
export function changed() {
  if (notifyScheduled) return;
  notifyScheduled = true;
  queueMicrotask(() => {
    notifyScheduled = false;
    for (const listener of Array.from(listeners)) listener(state);
  });
}

export function getState() {
  return state;
}

// ---- the connection ---------------------------------------------------------------------

export function isLive() {
  return LIVE_STATES.has(state.connection);
}

/** Stale: the page was live and lost the server, or cannot reach it at all. */
export function isStale() {
  return !isLive() && (state.everLive || state.connection === 'offline');
}

export function setConnection(connection) {
  const wasStale = isStale();
  state.connection = connection;
  if (isLive()) state.everLive = true;
  const stale = isStale();
  const now = performance.now();
  if (stale && !wasStale) {
    state.staleSince = now;
  } else if (!stale && wasStale && state.staleSince != null) {
    // Resume the countdowns from where they stood; the snapshot that follows corrects them.
    const paused = now - state.staleSince;
    for (const eta of state.etas.values()) eta.at += paused;
    state.staleSince = null;
  }
  changed();
}

function clockNow() {
  return state.staleSince ?? performance.now();
}

// ---- live messages ----------------------------------------------------------------------

function isNewer(seq, than) {
  return typeof seq !== 'number' || than === undefined || seq > than;
}

/** A progress_update, task_started or task_completed; returns false when it was not newer. */
export function applyTaskMessage(message) {
  if (!message || !message.task_id) return false;
  const previous = state.tasks.get(message.task_id);
  if (previous && !isNewer(message.seq, previous.seq)) return false;
  const data = message.data || {};
  state.tasks.delete(message.task_id); // re-inserted: Map order is least recently updated first
  state.tasks.set(message.task_id, {
    seq: message.seq,
    type: message.type,
    filename: data.filename || (previous && previous.filename),
    // task_started and task_completed carry no progress: keep the last progress beside them.
    progress: message.type === 'progress_update' ? data
      : message.type === 'task_paused' ? Object.assign({}, previous && previous.progress, data) : previous && previous.progress,
    completed: message.type === 'task_completed' ? data : null,
    // task_paused: the task left its slot and waits, its progress kept; task_resumed: queued again.
    paused: message.type === 'task_paused',
    resumed: message.type === 'task_resumed',
  });
  if (state.tasks.size > MAX_TRACKED_TASKS) {
    const oldest = state.tasks.keys().next().value;
    state.tasks.delete(oldest);
    state.etas.delete(oldest);
  }
  if (message.type === 'progress_update') anchorEta(message.task_id, data);
  else if (message.type !== 'task_started') state.etas.delete(message.task_id);
  if (message.type === 'task_paused' || message.type === 'task_resumed') state.pausing.delete(message.task_id);
  changed();
  return true;
}

export function applyQueue(message) {
  if (!message || message.type !== 'queue_update') return false;
  if (state.queue && !isNewer(message.seq, state.queue.seq)) return false;
  const data = message.data || {};
  state.queue = {
    seq: message.seq,
    running: data.running || [],
    queued: data.queued || [],
    queue_length: data.queue_length || 0,
    concurrency: typeof data.concurrency === 'number' && data.concurrency > 0 ? data.concurrency : null,
  };
  for (const entry of state.queue.running) {
    const m = state.tasks.get(entry.task_id);
    if (!(m && m.progress && isNewer(m.seq, message.seq))) anchorEta(entry.task_id, entry);
  }
  changed();
  return true;
}

/**
 * The body of GET /api/queue or the translive.snapshot reply replaces what the page knew: only
 * task messages newer than the snapshot survive (they arrived while it was on its way).
 */
export function applySnapshot(snapshot) {
  if (!snapshot || !snapshot.queue) return;
  const seq = snapshot.queue.seq;
  for (const [taskId, entry] of state.tasks) {
    if (!isNewer(entry.seq, seq) || typeof seq !== 'number') {
      state.tasks.delete(taskId);
      state.etas.delete(taskId);
    }
  }
  state.queue = null;
  applyQueue(snapshot.queue);
  for (const message of snapshot.progress || []) applyTaskMessage(message);
  changed();
}

/** Anchors a new ETA; a rising estimate is eased in so the countdown does not jump up and down. */
function anchorEta(taskId, data) {
  const eta = data.eta_seconds;
  if (eta == null) {
    state.etas.delete(taskId);
    return;
  }
  const now = clockNow();
  const current = state.etas.get(taskId);
  const range = data.eta_low != null && data.eta_high != null ? { low: data.eta_low, high: data.eta_high } : { low: null, high: null };
  if (current && current.source === eta) {
    Object.assign(current, range); // the same estimate again: keep counting down
    return;
  }
  let value = eta;
  if (current) {
    const shown = Math.max(0, current.value - (now - current.at) / 1000);
    if (eta > shown) value = shown + (eta - shown) * 0.3;
  }
  state.etas.set(taskId, Object.assign({ value, at: now, source: eta }, range));
}

/** {remaining, low, high} in seconds now, or null while there is no estimate. Stands still while stale. */
export function etaOf(taskId) {
  const anchor = state.etas.get(taskId);
  if (!anchor) return null;
  const elapsed = Math.max(0, (clockNow() - anchor.at) / 1000);
  const shift = (x) => (x == null ? null : Math.max(0, x - elapsed));
  return { remaining: Math.max(0, anchor.value - elapsed), low: shift(anchor.low), high: shift(anchor.high) };
}

// ---- views (what every panel renders from) ----------------------------------------------

/**
 * The newest thing known of a task: 'running', a final status, 'queued', or null when the
 * broadcast does not mention it (finished long ago, or queued beyond the broadcast head).
 */
export function phaseOf(taskId) {
  const phase = announcedPhase(taskId);
  return phase === 'running' && !runningIds().includes(taskId) ? null : phase;
}

/**
 * The running tasks that fit the slots. Ends and starts come from different publishers, so the
 * next task's task_started may arrive before the previous one's task_completed: with every slot
 * taken, a newer start proves that the task known least recently has ended, and it is no longer
 * shown as running (its task_completed or the next queue_update confirms it).
 */
function runningIds() {
  const queueSeq = state.queue ? state.queue.seq : undefined;
  const ids = ((state.queue && state.queue.running) || []).map((x) => x.task_id);
  for (const [taskId, message] of state.tasks) {
    if (!ids.includes(taskId) && !message.completed && isNewer(message.seq, queueSeq)) ids.push(taskId);
  }
  const running = ids.filter((taskId) => announcedPhase(taskId) === 'running');
  const slots = state.queue && state.queue.concurrency;
  if (!slots || running.length <= slots) return running;
  const lastHeard = (taskId) => {
    const message = state.tasks.get(taskId);
    const listed = state.queue.running.some((x) => x.task_id === taskId) ? queueSeq : -Infinity;
    return Math.max(listed, message && typeof message.seq === 'number' ? message.seq : -Infinity);
  };
  const kept = new Set(running.slice().sort((a, b) => lastHeard(b) - lastHeard(a)).slice(0, slots));
  return running.filter((taskId) => kept.has(taskId));
}

function announcedPhase(taskId) {
  const message = state.tasks.get(taskId);
  const queueSeq = state.queue ? state.queue.seq : undefined;
  if (message && (state.queue == null || isNewer(message.seq, queueSeq))) {
    if (message.completed) return message.completed.status || (message.completed.success ? 'completed' : 'failed');
    if (message.paused) return 'paused';
    if (message.resumed) return 'queued';
    return 'running';
  }
  if (state.queue) {
    if (state.queue.running.some((x) => x.task_id === taskId)) return 'running';
    if (state.queue.queued.some((x) => x.task_id === taskId)) return 'queued';
  }
  return null;
}

/** Running tasks in the order the queue lists them, each the queue entry merged with its newest progress. */
export function runningTasks() {
  const result = new Map();
  const queueSeq = state.queue ? state.queue.seq : undefined;
  for (const taskId of runningIds()) {
    const entry = ((state.queue && state.queue.running) || []).find((x) => x.task_id === taskId) || { task_id: taskId };
    const message = state.tasks.get(taskId);
    const live = (message && message.progress) || {};
    // The newer source wins; the other fills in what it lacks (segments, stage description).
    const liveIsNewer = message && isNewer(message.seq, queueSeq);
    const merged = liveIsNewer ? Object.assign({}, entry, live) : Object.assign({}, live, entry);
    merged.task_id = taskId;
    merged.filename = merged.filename || (message && message.filename) || detailsOf(taskId).filename;
    merged.progress = Math.max(entry.progress || 0, live.progress || 0);
    merged.stage = merged.stage || 'extracting';
    result.set(taskId, merged);
  }
  return result;
}

/**
 * The queue as shown: the broadcast head minus tasks known to have started or ended since, then
 * the user's own tasks further back (their positions come from GET /api/tasks/{id}).
 */
export function queuedTasks() {
  const shown = ((state.queue && state.queue.queued) || [])
    .filter((entry) => phaseOf(entry.task_id) === 'queued')
    .map((entry) => ({ task_id: entry.task_id, filename: entry.filename, position: entry.position, wait_seconds: entry.wait_seconds, beyondHead: false }));
  const shownIds = new Set(shown.map((x) => x.task_id));
  const lastShown = state.queue && state.queue.queued.length ? state.queue.queued[state.queue.queued.length - 1].position : 0;
  const beyond = state.mine
    .map((task) => ({ task, details: state.details.get(task.task_id) }))
    .filter(({ task, details }) => !shownIds.has(task.task_id) && details && details.status === 'queued'
      && details.position > lastShown && phaseOf(task.task_id) === null)
    .sort((a, b) => a.details.position - b.details.position)
    .map(({ task, details }) => ({ task_id: task.task_id, filename: details.filename || task.filename, position: details.position,
      wait_seconds: details.wait_seconds, beyondHead: true }));
  return shown.concat(beyond);
}

export function queueLength() {
  return (state.queue && state.queue.queue_length) || 0;
}

function detailsOf(taskId) {
  return state.details.get(taskId) || {};
}

/** What the page knows of one of the user's tasks, the newest source winning. */
export function myTaskView(task, running) {
  const details = detailsOf(task.task_id);
  const view = {
    task_id: task.task_id,
    status: details.status || 'queued',
    filename: details.filename || task.filename,
    position: details.position,
    wait: details.wait_seconds,
    progress: details.progress || 0,
    stage: details.stage,
    error: details.error,
    resultFilename: details.result_filename,
    details,
    gone: !!details.gone,
  };
  if (view.gone || FINAL_STATUSES.has(view.status)) return view;
  const phase = phaseOf(task.task_id);
  const message = state.tasks.get(task.task_id);
  if (phase && FINAL_STATUSES.has(phase)) {
    view.status = phase;
    if (phase !== 'completed' && !view.error && message && message.completed) view.error = message.completed.message;
  } else if (phase === 'running') {
    const live = running.get(task.task_id) || {};
    view.status = 'running';
    view.progress = Math.max(view.progress, live.progress || 0);
    view.stage = live.stage || view.stage;
    view.live = live;
  } else if (phase === 'queued') {
    const queued = state.queue && state.queue.queued.find((x) => x.task_id === task.task_id);
    view.status = 'queued';
    if (queued) {
      view.position = queued.position;
      view.wait = queued.wait_seconds;
    }
  } else if (phase === 'paused') {
    const live = (message && message.progress) || {};
    view.status = 'paused';
    view.progress = Math.max(view.progress, live.progress || 0);
    view.live = live;
  }
  if (view.status === 'paused' && !view.live) view.live = details;
  return view;
}

// ---- the user's own tasks ---------------------------------------------------------------

function loadMyTasks() {
  const parsed = readJson(MY_TASKS_KEY, []);
  return Array.isArray(parsed)
    ? parsed.filter((x) => x && typeof x.task_id === 'string' && typeof x.token === 'string').slice(0, MAX_MY_TASKS)
    : [];
}

function loadMyBatches() {
  const parsed = readJson(MY_BATCHES_KEY, []);
  return Array.isArray(parsed)
    ? parsed.filter((x) => x && typeof x.batch_id === 'string' && typeof x.token === 'string').slice(0, MAX_MY_BATCHES)
    : [];
}

/** Batches just accepted by POST /api/tasks (a .zip part): the batch token is kept like a task's. */
export function addMyBatches(batches) {
  for (const batch of batches.slice().reverse()) {
    state.myBatches = state.myBatches.filter((x) => x.batch_id !== batch.batch_id);
    state.myBatches.unshift({ batch_id: batch.batch_id, token: batch.token, filename: batch.filename,
      files: batch.files || [], skipped: batch.skipped || [] });
  }
  state.myBatches = state.myBatches.slice(0, MAX_MY_BATCHES);
  writeStorage(MY_BATCHES_KEY, JSON.stringify(state.myBatches));
  changed();
}

export function forgetMyBatches(batchIds) {
  const drop = new Set(batchIds);
  state.myBatches = state.myBatches.filter((x) => !drop.has(x.batch_id));
  for (const id of drop) {
    state.batchStatus.delete(id);
    state.batchDownloads.delete(id);
  }
  writeStorage(MY_BATCHES_KEY, JSON.stringify(state.myBatches));
  changed();
}

export function setBatchStatus(batchId, status) {
  state.batchStatus.set(batchId, status);
  changed();
}

export function setBatchDownload(batchId, value) {
  if (value == null) state.batchDownloads.delete(batchId);
  else state.batchDownloads.set(batchId, value);
  changed();
}

function saveMyTasks() {
  state.mine = state.mine.slice(0, MAX_MY_TASKS);
  writeStorage(MY_TASKS_KEY, JSON.stringify(state.mine));
  changed();
}

export function isMine(taskId) {
  return state.mine.some((x) => x.task_id === taskId);
}

export function myTask(taskId) {
  return state.mine.find((x) => x.task_id === taskId);
}

/** Tasks just accepted by POST /api/tasks (their reply carries the token). */
export function addMyTasks(tasks) {
  for (const task of tasks.slice().reverse()) {
    state.mine = state.mine.filter((x) => x.task_id !== task.task_id);
    state.mine.unshift({ task_id: task.task_id, token: task.token, filename: task.filename, added_at: Date.now() });
    state.details.set(task.task_id, Object.assign({}, task));
  }
  saveMyTasks();
}

export function forgetMyTasks(taskIds) {
  const drop = new Set(taskIds);
  state.mine = state.mine.filter((x) => !drop.has(x.task_id));
  for (const id of drop) {
    state.details.delete(id);
    state.cancel.delete(id);
    state.downloads.delete(id);
    state.pausing.delete(id);
  }
  saveMyTasks();
}

export function setDetails(taskId, details) {
  state.details.set(taskId, details);
  changed();
}

export function setCancel(taskId, value) {
  if (value == null) state.cancel.delete(taskId);
  else state.cancel.set(taskId, value);
  changed();
}

export function setDownload(taskId, value) {
  if (value == null) state.downloads.delete(taskId);
  else state.downloads.set(taskId, value);
  changed();
}

export function setPausing(taskId, value) {
  if (value == null) state.pausing.delete(taskId);
  else state.pausing.set(taskId, value);
  changed();
}

/**
 * Paused tasks the page knows of (they hold no place in the queue until resumed): those whose
 * task_paused arrived, and the user's own that the server says are paused.
 */
export function pausedTasks() {
  const result = [];
  const seen = new Set();
  for (const [taskId, message] of state.tasks) {
    if (phaseOf(taskId) !== 'paused') continue;
    seen.add(taskId);
    result.push({ task_id: taskId, filename: message.filename || detailsOf(taskId).filename || taskId, progress: (message.progress || {}).progress || 0 });
  }
  for (const task of state.mine) {
    const details = state.details.get(task.task_id);
    if (seen.has(task.task_id) || !details || details.status !== 'paused' || phaseOf(task.task_id) !== null) continue;
    result.push({ task_id: task.task_id, filename: details.filename || task.filename, progress: details.progress || 0 });
  }
  return result;
}

export function setHistory(history) {
  state.history = history;
  changed();
}
