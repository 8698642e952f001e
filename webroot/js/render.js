/*
 * The live panels: connection banner, "Translating now", "Waiting in line" and "My tasks", all
 * drawn from the one state in store.js. Elements are kept and updated in place (not rebuilt) so
 * keyboard focus and screen-reader position survive the updates.
 */
import { $, el } from './dom.js';
import {
  t, stageLabel, formatCountdown, formatRange, formatWait, formatRough, formatDuration, formatDateTime, formatNumber, languageName,
} from './i18n.js';
import {
  getState, isMine, isStale, runningTasks, queuedTasks, pausedTasks, queueLength, myTaskView, etaOf, FINAL_STATUSES,
} from './store.js';

/** Set by app.js: what the buttons do. */
let actions = { downloadBatch() {}, forgetBatch() {}, cancel() {}, confirmCancel() {}, keep() {}, download() {}, forget() {}, clearFinished() {}, finished() {}, pause() {}, resume() {} };

export function setActions(handlers) {
  actions = handlers;
}

export function render() {
  const running = runningTasks();
  renderConnection();
  renderRunning(running);
  renderQueue();
  renderMyBatches();
  renderMyTasks(running);
}

// ---- my batches (.zip uploads) ----------------------------------------------------------

const batchRows = new Map();

function renderMyBatches() {
  const state = getState();
  const list = $('my-batches');
  const wanted = new Set(state.myBatches.map((b) => b.batch_id));
  for (const [batchId, row] of batchRows) {
    if (!wanted.has(batchId)) {
      row.li.remove();
      batchRows.delete(batchId);
    }
  }
  const live = !isStale();
  state.myBatches.forEach((batch, index) => {
    let row = batchRows.get(batch.batch_id);
    if (!row) {
      row = {
        name: el('span', { className: 'task-name', 'data-verbatim': '' }),
        counts: el('span', { className: 'status-pill batch-counts' }),
        detail: el('p', { className: 'my-task-detail batch-detail' }),
        bar: el('progress', { className: 'progress-bar', max: '1', value: '0' }),
        skipped: el('ul', { className: 'batch-skipped hint' }),
        error: el('p', { className: 'my-task-error' }),
        actions: el('div', { className: 'actions' }),
        actionsKey: null,
      };
      row.li = el('li', { className: 'my-task my-batch', 'data-batch-id': batch.batch_id },
        el('div', { className: 'my-task-head' }, row.name, row.counts), row.detail, row.bar, row.skipped, row.error, row.actions);
      batchRows.set(batch.batch_id, row);
    }
    if (list.children[index] !== row.li) list.insertBefore(row.li, list.children[index] || null);
    const status = state.batchStatus.get(batch.batch_id);
    const total = status && !status.gone ? status.files_total : (batch.files || []).length;
    const done = status && !status.gone ? status.files_done : 0;
    const failed = status && !status.gone ? status.files_failed || 0 : 0;
    const finished = !!status && (status.gone || done + failed >= total);
    row.li.dataset.done = String(done);
    row.li.dataset.total = String(total);
    row.li.dataset.finished = String(finished);
    row.name.textContent = batch.filename || batch.batch_id;
    row.counts.textContent = t('batch.files', { done: formatNumber(done), total: formatNumber(total) });
    const progress = status && !status.gone ? Math.min(1, Math.max(0, status.progress || 0)) : 0;
    let detail;
    if (status && status.gone) detail = t('batch.gone');
    else if (finished) detail = failed ? t('batch.doneWithFailed', { failed: formatNumber(failed) }) : t('batch.done');
    else if (status && status.eta_seconds > 0) detail = t('batch.progressEta', { percent: Math.floor(progress * 100), time: formatRough(status.eta_seconds) });
    else detail = t('batch.progress', { percent: Math.floor(progress * 100) });
    row.detail.textContent = detail;
    row.bar.value = progress;
    row.bar.hidden = finished;
    row.bar.setAttribute('aria-label', t('running.progressLabel', { name: batch.filename || batch.batch_id }));
    row.skipped.replaceChildren(...(batch.skipped || []).map((s) => el('li', {}, t('batch.skipped', { name: s.name }), ' ', el('span', { lang: 'en' }, s.reason || ''))));
    row.skipped.hidden = !(batch.skipped || []).length;
    const downloadState = state.batchDownloads.get(batch.batch_id);
    const errorText = downloadState && downloadState !== 'pending' ? downloadState : '';
    row.error.textContent = errorText;
    row.error.hidden = !errorText;
    const actionsKey = [done, finished, status && status.gone, downloadState === 'pending', live, getLanguage()].join('|');
    if (row.actionsKey !== actionsKey) {
      row.actionsKey = actionsKey;
      const buttons = [];
      if (done > 0 && !(status && status.gone)) {
        const pending = downloadState === 'pending';
        const download = el('button', { type: 'button', className: 'button download-all-button', disabled: pending || !live },
          pending ? t('mine.downloading') : t('batch.downloadAll'));
        if (!live) download.title = t('stale.reason');
        download.addEventListener('click', () => actions.downloadBatch(batch.batch_id));
        buttons.push(download);
      }
      if (finished) {
        const forget = el('button', { type: 'button', className: 'button-quiet forget-batch-button' }, t('mine.forget'));
        forget.addEventListener('click', () => actions.forgetBatch(batch.batch_id));
        buttons.push(forget);
      }
      row.actions.replaceChildren(...buttons);
    }
  });
}

// ---- connection -------------------------------------------------------------------------

function renderConnection() {
  const state = getState();
  const stale = isStale();
  const indicator = $('connection');
  indicator.dataset.state = state.connection;
  $('connection-text').textContent = t('connection.' + state.connection);
  document.body.classList.toggle('stale', stale);
  const banner = $('stale-banner');
  banner.hidden = !stale;
  $('stale-title').textContent = t('stale.title');
  $('stale-detail').textContent = t('stale.detail');
  // The drop zone needs the server: disabled with the reason while it is away.
  const zone = $('drop-zone');
  zone.setAttribute('aria-disabled', String(stale));
  zone.classList.toggle('disabled', stale);
  if (stale) zone.title = t('stale.reason');
  else zone.removeAttribute('title');
}

// ---- running ----------------------------------------------------------------------------

const runningCards = new Map();

function renderRunning(running) {
  const list = $('running-list');
  for (const [taskId, card] of runningCards) {
    if (!running.has(taskId)) {
      card.li.remove();
      runningCards.delete(taskId);
    }
  }
  let index = 0;
  for (const [taskId, task] of running) {
    let card = runningCards.get(taskId);
    if (!card) {
      card = {
        name: el('span', { className: 'task-name', 'data-verbatim': '' }),
        badge: el('span', { className: 'badge mine-badge' }),
        stage: el('span', { className: 'stage-label' }),
        description: el('span', { className: 'stage-description' }),
        bar: el('progress', { className: 'progress-bar', max: '1', value: '0' }),
        percent: el('span', { className: 'percent' }),
        eta: el('span', { className: 'eta' }),
      };
      card.li = el('li', { className: 'task-card running-task', 'data-task-id': taskId },
        el('div', { className: 'card-head' }, card.name, card.badge),
        el('div', { className: 'stage-line' }, card.stage, card.description),
        card.bar,
        el('div', { className: 'card-foot' }, card.percent, card.eta));
      runningCards.set(taskId, card);
    }
    if (list.children[index] !== card.li) list.insertBefore(card.li, list.children[index] || null);
    index++;
    const mine = isMine(taskId);
    const name = task.filename || taskId;
    const shown = progressShown(task);
    card.li.classList.toggle('mine', mine);
    card.li.dataset.stage = task.stage || '';
    card.name.textContent = name;
    card.badge.textContent = t('yours');
    card.badge.hidden = !mine;
    const pausing = getState().pausing.get(taskId) === 'pausing';
    card.li.classList.toggle('pausing', pausing);
    card.stage.textContent = pausing ? t('running.pausing', { stage: stageText(task) }) : stageText(task);
    // The server's description is extra detail, in English: shown only where it adds something.
    const description = task.stage_description || '';
    const addsDetail = description && !task.total_segments && getLanguage() === 'en';
    card.description.textContent = addsDetail ? description : '';
    card.description.hidden = !addsDetail;
    card.bar.value = shown;
    card.bar.setAttribute('aria-label', t('running.progressLabel', { name }));
    card.percent.textContent = Math.floor(shown * 100) + '%';
    updateEtaText(taskId, card.eta);
  }
  $('running-empty').hidden = running.size > 0;
}

function getLanguage() {
  return document.documentElement.lang === 'zh-CN' ? 'zh' : 'en';
}

/**
 * The share a user can check: segments done of total once they are known (a task in its last
 * stage shows all its segments done), else the server's overall progress.
 */
function progressShown(task) {
  if (task.total_segments > 0) return Math.min(1, (task.completed_segments || 0) / task.total_segments);
  return Math.min(1, Math.max(0, task.progress || 0));
}

/** "Translating: 400 / 4,375 segments", formatted here from stage and counts, in the page's language. */
function stageText(task) {
  const stage = stageLabel(task.stage);
  // Counts mean something once translating starts; before that the stage alone is the truth.
  if (!task.total_segments || !['translating', 'assembling'].includes(task.stage)) return stage;
  return t('running.segments', { stage, done: formatNumber(task.completed_segments || 0), total: formatNumber(task.total_segments) });
}

function updateEtaText(taskId, node) {
  const eta = etaOf(taskId);
  let text;
  if (eta == null) text = t('running.estimating');
  else if (eta.low != null && eta.high != null && eta.high > eta.low) text = formatRange(eta.low, eta.high);
  else text = t('running.eta', { time: formatCountdown(eta.remaining) });
  node.textContent = text;
}

/** Counts the ETAs down between updates (they stand still while the page is stale). */
export function tick() {
  for (const [taskId, card] of runningCards) updateEtaText(taskId, card.eta);
}

// ---- queue ------------------------------------------------------------------------------

function renderQueue() {
  const list = $('queue-list');
  const queued = queuedTasks();
  const items = [];
  let previousBeyond = false;
  for (const entry of queued) {
    if (entry.beyondHead && !previousBeyond) items.push(el('li', { className: 'queue-gap', 'aria-hidden': 'true' }, '⋯'));
    previousBeyond = entry.beyondHead;
    items.push(queueItem(entry));
  }
  const paused = pausedTasks();
  for (const entry of paused) items.push(pausedItem(entry));
  list.replaceChildren(...items);
  const headShown = queued.filter((x) => !x.beyondHead).length;
  const total = Math.max(queueLength(), headShown);
  const more = $('queue-more');
  const othersBeyond = total - headShown - queued.filter((x) => x.beyondHead).length;
  more.hidden = othersBeyond <= 0;
  more.textContent = more.hidden ? '' : t('queue.more', { n: othersBeyond });
  $('queue-empty').hidden = queued.length + paused.length > 0;
}

/** A paused task holds no place in the queue: shown after the queue, with how far it got. */
function pausedItem(entry) {
  const mine = isMine(entry.task_id);
  return el('li', { className: 'queue-item paused' + (mine ? ' mine' : ''), 'data-task-id': entry.task_id, 'data-status': 'paused' },
    el('span', { className: 'queue-position', 'aria-hidden': 'true' }, '⏸'),
    el('span', { className: 'task-name', 'data-verbatim': '' }, entry.filename || entry.task_id),
    mine ? el('span', { className: 'badge mine-badge' }, t('yours')) : null,
    el('span', { className: 'queue-wait status-pill', 'data-status': 'paused' }, t('queue.paused', { percent: Math.floor((entry.progress || 0) * 100) })));
}

function queueItem(entry) {
  const mine = isMine(entry.task_id);
  return el('li', { className: 'queue-item' + (mine ? ' mine' : ''), 'data-task-id': entry.task_id, 'data-position': String(entry.position) },
    el('span', { className: 'queue-position', 'aria-hidden': 'true' }, '#' + entry.position),
    el('span', { className: 'task-name', 'data-verbatim': '' }, entry.filename || entry.task_id),
    mine ? el('span', { className: 'badge mine-badge' }, t('queue.yours', { position: entry.position })) : null,
    el('span', { className: 'queue-wait' }, formatWait(entry.wait_seconds)));
}

// ---- my tasks ---------------------------------------------------------------------------

const myRows = new Map();
const lastStatus = new Map();

function renderMyTasks(running) {
  const state = getState();
  const list = $('my-tasks');
  const wanted = new Set(state.mine.map((x) => x.task_id));
  for (const [taskId, row] of myRows) {
    if (!wanted.has(taskId)) {
      row.li.remove();
      myRows.delete(taskId);
      lastStatus.delete(taskId);
    }
  }
  // Before the first connection actions may still work; once the server is known lost they cannot.
  const live = !isStale();
  let finishedCount = 0;
  state.mine.forEach((task, index) => {
    const view = myTaskView(task, running);
    const finished = FINAL_STATUSES.has(view.status) || view.gone;
    if (finished) finishedCount++;
    let row = myRows.get(task.task_id);
    if (!row) {
      row = {
        name: el('span', { className: 'task-name', 'data-verbatim': '' }),
        status: el('span', { className: 'status-pill' }),
        detail: el('p', { className: 'my-task-detail' }),
        summary: el('p', { className: 'my-task-summary' }),
        bar: el('progress', { className: 'progress-bar', max: '1', value: '0' }),
        error: el('p', { className: 'my-task-error' }),
        actions: el('div', { className: 'actions' }),
        actionsKey: null,
      };
      row.li = el('li', { className: 'my-task', 'data-task-id': task.task_id },
        el('div', { className: 'my-task-head' }, row.name, row.status), row.detail, row.summary, row.bar, row.error, row.actions);
      myRows.set(task.task_id, row);
    }
    if (list.children[index] !== row.li) list.insertBefore(row.li, list.children[index] || null);

    const previous = lastStatus.get(task.task_id);
    if (previous && !FINAL_STATUSES.has(previous) && FINAL_STATUSES.has(view.status)) actions.finished(view);
    lastStatus.set(task.task_id, view.status);

    row.li.dataset.status = view.status;
    row.name.textContent = view.filename;
    row.status.textContent = stageLabel(view.status === 'running' ? 'running' : view.status);
    row.status.dataset.status = view.status;
    let detail = '';
    if (view.gone) detail = t('mine.gone');
    else if (view.status === 'queued' && view.position != null) {
      detail = view.wait != null ? t('mine.position', { position: view.position, wait: formatWait(view.wait) })
        : t('mine.positionOnly', { position: view.position });
    } else if (view.status === 'running') {
      detail = t('mine.progress', { percent: Math.floor(progressShown(view.live || view) * 100), stage: stageLabel(view.stage) });
    } else if (view.status === 'paused') {
      detail = t('mine.pausedAt', { percent: Math.floor(progressShown(view.live || view) * 100) });
    }
    row.detail.textContent = detail;
    row.detail.hidden = !detail;
    const summary = finished && !view.gone ? summaryText(view.details) : '';
    row.summary.textContent = summary;
    row.summary.hidden = !summary;
    row.bar.hidden = view.status !== 'running' && view.status !== 'paused';
    row.bar.value = progressShown(view.live || view);
    row.bar.setAttribute('aria-label', t('running.progressLabel', { name: view.filename }));

    const cancelState = state.cancel.get(task.task_id);
    const downloadState = state.downloads.get(task.task_id);
    const pauseState = state.pausing.get(task.task_id);
    let errorText = '';
    if (view.status === 'failed' && view.error) errorText = t('mine.error', { message: view.error });
    else if (cancelState && !['pending', 'confirm'].includes(cancelState)) errorText = cancelState;
    else if (downloadState && downloadState !== 'pending') errorText = downloadState;
    else if (pauseState && !['pausing', 'resuming'].includes(pauseState)) errorText = pauseState;
    row.error.textContent = errorText;
    row.error.hidden = !errorText;
    if (errorText) row.error.setAttribute('role', 'alert');
    else row.error.removeAttribute('role');

    // Buttons are rebuilt only when what they offer changes, so focus is not lost on every update.
    const actionsKey = [view.status, view.gone, view.resultFilename, cancelState, downloadState === 'pending', pauseState, live, getLanguage()].join('|');
    if (row.actionsKey !== actionsKey) {
      row.actionsKey = actionsKey;
      row.actions.replaceChildren(...actionButtons(task, view, finished, cancelState, downloadState, live, pauseState));
    }
  });
  $('mine-empty').hidden = state.mine.length + state.myBatches.length > 0;
  const clear = $('clear-finished');
  clear.hidden = finishedCount === 0;
  clear.textContent = t('mine.clearFinished');
}

/** "English → French · demo · 30 Nov 2026, 00:41 · took 1 min 5 s". */
function summaryText(details) {
  if (!details || details.finished_at == null) return '';
  const pair = details.source_lang && details.target_lang
    ? t('pair', { source: languageName(details.source_lang), target: languageName(details.target_lang) }) : '';
  const duration = details.started_at != null ? details.finished_at - details.started_at : details.finished_at - details.created_at;
  return t('mine.summary', { pair, engine: details.engine || '', date: formatDateTime(details.finished_at), duration: formatDuration(duration) });
}

function actionButtons(task, view, finished, cancelState, downloadState, live, pauseState) {
  const buttons = [];
  const offline = !live;
  const needsServer = (button) => {
    if (offline) {
      button.disabled = true;
      button.title = t('stale.reason');
    }
    return button;
  };
  if (view.status === 'running' && cancelState !== 'confirm') {
    const pending = pauseState === 'pausing';
    const pause = needsServer(el('button', { type: 'button', className: 'button pause-button', disabled: pending },
      pending ? t('mine.pausing') : t('mine.pause')));
    pause.addEventListener('click', () => actions.pause(task.task_id));
    buttons.push(pause);
  } else if (view.status === 'paused') {
    const pending = pauseState === 'resuming';
    const resume = needsServer(el('button', { type: 'button', className: 'button resume-button', disabled: pending },
      pending ? t('mine.resuming') : t('mine.resume')));
    resume.addEventListener('click', () => actions.resume(task.task_id));
    buttons.push(resume);
  }
  if (!finished) {
    if (cancelState === 'confirm') {
      const question = el('span', { className: 'confirm-question', role: 'alert' }, t('mine.confirm', { name: view.filename }));
      const yes = needsServer(el('button', { type: 'button', className: 'button-danger confirm-cancel-button' }, t('mine.confirmYes')));
      yes.addEventListener('click', () => actions.confirmCancel(task.task_id));
      const no = el('button', { type: 'button', className: 'button-quiet keep-button' }, t('mine.confirmNo'));
      no.addEventListener('click', () => actions.keep(task.task_id));
      buttons.push(question, yes, no);
    } else {
      const pending = cancelState === 'pending';
      const cancel = needsServer(el('button', { type: 'button', className: 'button-danger cancel-button', disabled: pending },
        pending ? t('mine.cancelling') : t('mine.cancel')));
      cancel.addEventListener('click', () => actions.cancel(task.task_id, view.status));
      buttons.push(cancel);
    }
  }
  if (view.status === 'completed') {
    const resultName = view.resultFilename || view.filename;
    const pending = downloadState === 'pending';
    const download = needsServer(el('button', { type: 'button', className: 'button download-button', disabled: pending, 'data-filename': resultName },
      pending ? t('mine.downloading') : t('mine.download', { name: resultName })));
    download.addEventListener('click', () => actions.download(task.task_id, resultName));
    buttons.push(download);
  }
  if (finished) {
    const forget = el('button', { type: 'button', className: 'button-quiet forget-button' }, t('mine.forget'));
    forget.addEventListener('click', () => actions.forget(task.task_id));
    buttons.push(forget);
  }
  return buttons;
}

/** Forces the action buttons to be rebuilt (after a language switch). */
export function invalidate() {
  for (const row of myRows.values()) row.actionsKey = null;
}
