/*
 * The Translive page: wires the live connection (progress_client.js) into the one state
 * (store.js), and every change of that state into the panels (render.js, history.js, upload.js).
 * Modules, no build step; no inline script, handler or style anywhere (CSP without 'unsafe-inline').
 * Every server string (file names above all) reaches the DOM as text, never as markup.
 */
import { $ } from './dom.js';
import { getJson, errorMessage, cancelTask, downloadResult, downloadBatch, taskUrl, pauseOrResumeTask } from './api.js';
import { t, stageLabel, currentLanguage, setLanguage } from './i18n.js';
import * as store from './store.js';
import { render, tick, setActions, invalidate } from './render.js';
import { loadHistory, renderHistory, scheduleHistoryRefresh } from './history.js';
import { setUpUpload, loadEngines, renderUpload } from './upload.js';
import { renderNotifyButton, toggleNotifications, notifyFinished } from './notify.js';
import { setUpAdmin, renderAdmin } from './admin.js';

const client = window.progressClient;
/** Own queued tasks beyond the broadcast head get their position from GET /api/tasks/{id}, this often at most. */
const POSITION_REFRESH_MS = 5000;

// ---- the user's tasks as the server knows them -------------------------------------------

const refreshInFlight = new Set();
const lastRefreshAt = new Map();

async function refreshMyTask(taskId, force) {
  const last = lastRefreshAt.get(taskId) || 0;
  if (refreshInFlight.has(taskId) || (!force && performance.now() - last < POSITION_REFRESH_MS)) return;
  refreshInFlight.add(taskId);
  lastRefreshAt.set(taskId, performance.now());
  try {
    const result = await getJson(taskUrl(taskId));
    if (result.ok && result.body) store.setDetails(taskId, result.body);
    else if (result.status === 404) store.setDetails(taskId, { gone: true, status: 'unknown' });
  } catch (err) {
    /* offline: the banner says so; tried again on the next trigger */
  } finally {
    refreshInFlight.delete(taskId);
  }
}

async function refreshAllMyTasks() {
  const { mine, details } = store.getState();
  const pending = mine.filter((x) => {
    const d = details.get(x.task_id);
    // Finished ones too when their details lack the end (date, duration): fetched once.
    return !d || !(d.gone || (store.FINAL_STATUSES.has(d.status) && d.finished_at != null));
  });
  // A few at a time: a returning page must not fire fifty requests at once.
  for (let i = 0; i < pending.length; i += 4) {
    await Promise.all(pending.slice(i, i + 4).map((x) => refreshMyTask(x.task_id, true)));
  }
}

/** Own tasks the broadcast no longer shows (finished, or queued beyond its head) are asked for directly. */
function checkMyTasks() {
  const { mine, details } = store.getState();
  for (const task of mine) {
    const d = details.get(task.task_id);
    if (!d || d.gone || (store.FINAL_STATUSES.has(d.status) && d.finished_at != null)) continue;
    const phase = store.phaseOf(task.task_id);
    if (phase === 'running' || phase === 'queued') continue;
    // Ended (by message, or a running task the broadcast dropped): ask now; queued far back: now and then.
    refreshMyTask(task.task_id, store.FINAL_STATUSES.has(phase) || d.status === 'running');
  }
}

// ---- the user's batches (.zip uploads) -----------------------------------------------------

const BATCH_REFRESH_MS = 2000;
const batchInFlight = new Set();

function batchFinished(status) {
  return !!status && (status.gone || status.files_done + status.files_failed >= status.files_total);
}

async function refreshBatch(batch) {
  if (batchInFlight.has(batch.batch_id)) return;
  batchInFlight.add(batch.batch_id);
  try {
    const result = await getJson('/api/batches/' + encodeURIComponent(batch.batch_id));
    if (result.ok && result.body) store.setBatchStatus(batch.batch_id, result.body);
    else if (result.status === 404) store.setBatchStatus(batch.batch_id, { gone: true });
  } catch (err) {
    /* offline: tried again on the next round */
  } finally {
    batchInFlight.delete(batch.batch_id);
  }
}

/** Unfinished batches are asked for now and then (their files' progress is combined by the server). */
function refreshBatches(all) {
  if (!store.isLive() && store.getState().everLive) return;
  const { myBatches, batchStatus } = store.getState();
  for (const batch of myBatches) if (all || !batchFinished(batchStatus.get(batch.batch_id))) refreshBatch(batch);
}

// ---- actions ------------------------------------------------------------------------------

async function cancel(taskId) {
  const task = store.myTask(taskId);
  if (!task) return;
  store.setCancel(taskId, 'pending');
  try {
    const result = await cancelTask(task);
    if (result.ok || result.status === 409) store.setCancel(taskId, null);
    else store.setCancel(taskId, t('mine.cancelFailed', { message: errorMessage(result) }));
  } catch (err) {
    store.setCancel(taskId, t('mine.cancelFailed', { message: t('upload.network') }));
  }
  await refreshMyTask(taskId, true);
}

/** The owner pauses a running task (it stops at the next batch boundary) or resumes a paused one. */
async function pauseOrResume(taskId, action) {
  const task = store.myTask(taskId);
  if (!task) return;
  store.setPausing(taskId, action === 'pause' ? 'pausing' : 'resuming');
  try {
    const result = await pauseOrResumeTask(task, action);
    if (!result.ok) {
      store.setPausing(taskId, t(action === 'pause' ? 'mine.pauseFailed' : 'mine.resumeFailed', { message: errorMessage(result) }));
    } else if (action === 'resume') {
      store.setPausing(taskId, null);
    }
  } catch (err) {
    store.setPausing(taskId, t(action === 'pause' ? 'mine.pauseFailed' : 'mine.resumeFailed', { message: t('upload.network') }));
  }
  await refreshMyTask(taskId, true);
}

setActions({
  pause: (taskId) => pauseOrResume(taskId, 'pause'),
  resume: (taskId) => pauseOrResume(taskId, 'resume'),
  /** A running task asks first: its work so far would be lost. */
  cancel(taskId, status) {
    if (status === 'running') store.setCancel(taskId, 'confirm');
    else cancel(taskId);
  },
  confirmCancel: cancel,
  keep(taskId) {
    store.setCancel(taskId, null);
  },
  async download(taskId, filename) {
    const task = store.myTask(taskId);
    if (!task) return;
    store.setDownload(taskId, 'pending');
    try {
      await downloadResult(task, filename);
      store.setDownload(taskId, null);
    } catch (err) {
      store.setDownload(taskId, t('mine.downloadFailed', { message: err.message || t('upload.network') }));
    }
  },
  forget(taskId) {
    store.forgetMyTasks([taskId]);
  },
  async downloadBatch(batchId) {
    const batch = store.getState().myBatches.find((b) => b.batch_id === batchId);
    if (!batch) return;
    store.setBatchDownload(batchId, 'pending');
    try {
      const base = (batch.filename || 'batch.zip').replace(/\.zip$/i, '');
      await downloadBatch(batch, base + '.translated.zip');
      store.setBatchDownload(batchId, null);
    } catch (err) {
      store.setBatchDownload(batchId, t('mine.downloadFailed', { message: err.message || t('upload.network') }));
    }
  },
  forgetBatch(batchId) {
    store.forgetMyBatches([batchId]);
  },
  finished(view) {
    notifyFinished(view);
  },
});

function clearFinished() {
  const running = store.runningTasks();
  const { mine } = store.getState();
  store.forgetMyTasks(mine.map((task) => store.myTaskView(task, running))
    .filter((view) => view.gone || store.FINAL_STATUSES.has(view.status)).map((view) => view.task_id));
}

// ---- live messages --------------------------------------------------------------------------

/** task_id -> last announced tenth of progress. */
const announcedTenths = new Map();
let announceTimer = null;

function announce(text) {
  const region = $('announcer');
  clearTimeout(announceTimer);
  // Cleared first so that the same words said twice are read twice.
  region.textContent = '';
  announceTimer = setTimeout(() => { region.textContent = text; }, 50);
}

function onTaskMessage(message) {
  if (!store.applyTaskMessage(message)) return;
  const entry = store.getState().tasks.get(message.task_id);
  const name = (entry && entry.filename) || message.task_id;
  if (message.type === 'task_started') {
    announce(t('announce.started', { name }));
  } else if (message.type === 'progress_update') {
    const tenth = Math.floor((message.data.progress || 0) * 10);
    if (tenth > (announcedTenths.get(message.task_id) ?? 0) && tenth < 10) {
      announcedTenths.set(message.task_id, tenth);
      announce(t('announce.progress', { name, percent: tenth * 10 }));
    }
  } else if (message.type === 'task_completed') {
    announcedTenths.delete(message.task_id);
    announce(t('announce.finished', { name, status: stageLabel(message.data.status) }));
    scheduleHistoryRefresh();
    if (store.isMine(message.task_id)) refreshMyTask(message.task_id, true);
    for (const batch of store.getState().myBatches) {
      if ((batch.files || []).some((f) => f.task_id === message.task_id)) refreshBatch(batch);
    }
  }
}

function onQueue(message) {
  if (store.applyQueue(message)) checkMyTasks();
}

function onSnapshot(snapshot) {
  store.applySnapshot(snapshot);
  checkMyTasks();
}

function onConnection(connection) {
  const wasLive = store.isLive();
  store.setConnection(connection.state === 'reconnecting' && !store.getState().everLive ? 'connecting' : connection.state);
  if (!wasLive && store.isLive()) {
    // Back in touch: what happened to my tasks and the history while we were away?
    refreshAllMyTasks();
    loadHistory();
  }
}

// ---- language -------------------------------------------------------------------------------

function applyLanguage() {
  const lang = currentLanguage();
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  const toggle = $('language-toggle');
  toggle.textContent = lang === 'zh' ? 'English' : '中文';
  toggle.lang = lang === 'zh' ? 'en' : 'zh';
  toggle.setAttribute('aria-label', t('language.switch'));
  renderNotifyButton();
  renderUpload();
  renderAdmin();
  invalidate();
  renderHistory();
  render();
}

// ---- start ----------------------------------------------------------------------------------

function start() {
  setUpUpload();
  setUpAdmin();
  $('language-toggle').addEventListener('click', () => {
    setLanguage(currentLanguage() === 'zh' ? 'en' : 'zh');
    applyLanguage();
  });
  $('notify-toggle').addEventListener('click', toggleNotifications);
  $('clear-finished').addEventListener('click', clearFinished);
  let historyShown = null;
  store.subscribe((state) => {
    render();
    if (state.history !== historyShown) {
      historyShown = state.history;
      renderHistory();
    }
  });
  applyLanguage();
  client.subscribeToSnapshot(onSnapshot);
  client.subscribeToConnection(onConnection);
  client.subscribeToProgress(onTaskMessage);
  client.subscribeToQueue(onQueue);
  loadEngines();
  loadHistory();
  refreshAllMyTasks();
  refreshBatches(true);
  setInterval(tick, 1000);
  setInterval(() => refreshBatches(false), BATCH_REFRESH_MS);
}

start();
