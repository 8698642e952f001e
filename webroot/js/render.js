/*
 * The live panels: connection banner, "Translating now", "Waiting in line" and "My tasks", all
 * drawn from the one state in store.js. Elements are kept and updated in place (not rebuilt) so
 * keyboard focus and screen-reader position survive the updates.
 */
import { $, el } from './dom.js';
import {
  t, stageLabel, formatCountdown, formatRange, formatWait, formatDuration, formatDateTime, formatNumber, languageName,
} from './i18n.js';
import {
  getState, isMine, isStale, runningTasks, queuedTasks, queueLength, myTaskView, etaOf, FINAL_STATUSES,
} from './store.js';

/** Set by app.js: what the buttons do. */
let actions = { cancel() {}, confirmCancel() {}, keep() {}, download() {}, forget() {}, clearFinished() {}, finished() {} };

export function setActions(handlers) {
  actions = handlers;
}

export function render() {
  const running = runningTasks();
  renderConnection();
  renderRunning(running);
  renderQueue();
  renderMyTasks(running);
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
    card.stage.textContent = stageText(task);
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
  list.replaceChildren(...items);
  const headShown = queued.filter((x) => !x.beyondHead).length;
  const total = Math.max(queueLength(), headShown);
  const more = $('queue-more');
  const othersBeyond = total - headShown - queued.filter((x) => x.beyondHead).length;
  more.hidden = othersBeyond <= 0;
  more.textContent = more.hidden ? '' : t('queue.more', { n: othersBeyond });
  $('queue-empty').hidden = queued.length > 0;
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
    }
    row.detail.textContent = detail;
    row.detail.hidden = !detail;
    const summary = finished && !view.gone ? summaryText(view.details) : '';
    row.summary.textContent = summary;
    row.summary.hidden = !summary;
    row.bar.hidden = view.status !== 'running';
    row.bar.value = progressShown(view.live || view);
    row.bar.setAttribute('aria-label', t('running.progressLabel', { name: view.filename }));

    const cancelState = state.cancel.get(task.task_id);
    const downloadState = state.downloads.get(task.task_id);
    let errorText = '';
    if (view.status === 'failed' && view.error) errorText = t('mine.error', { message: view.error });
    else if (cancelState && !['pending', 'confirm'].includes(cancelState)) errorText = cancelState;
    else if (downloadState && downloadState !== 'pending') errorText = downloadState;
    row.error.textContent = errorText;
    row.error.hidden = !errorText;
    if (errorText) row.error.setAttribute('role', 'alert');
    else row.error.removeAttribute('role');

    // Buttons are rebuilt only when what they offer changes, so focus is not lost on every update.
    const actionsKey = [view.status, view.gone, view.resultFilename, cancelState, downloadState === 'pending', live, getLanguage()].join('|');
    if (row.actionsKey !== actionsKey) {
      row.actionsKey = actionsKey;
      row.actions.replaceChildren(...actionButtons(task, view, finished, cancelState, downloadState, live));
    }
  });
  $('mine-empty').hidden = state.mine.length > 0;
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

function actionButtons(task, view, finished, cancelState, downloadState, live) {
  const buttons = [];
  const offline = !live;
  const needsServer = (button) => {
    if (offline) {
      button.disabled = true;
      button.title = t('stale.reason');
    }
    return button;
  };
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
