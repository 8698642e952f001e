/*
 * The operator's panel: behind the admin key the operator types (kept in sessionStorage only, so it
 * leaves with the tab), every task with its real name, status, priority and submitter group;
 * cancel or reprioritise any task, and pause (drain) or resume the whole queue.
 */
import { $, el } from './dom.js';
import { getJson, errorMessage, taskUrl } from './api.js';
import { t, stageLabel } from './i18n.js';

const KEY = 'translive.adminKey';
const REFRESH_MS = 3000;
const PRIORITIES = ['low', 'normal', 'high'];
const FINAL = new Set(['completed', 'failed', 'cancelled']);

/** {tasks, queue_paused} from the server, or null; a message (text or key) to show. */
let data = null;
let note = null;
let loading = false;

function readKey() {
  try {
    return sessionStorage.getItem(KEY);
  } catch (err) {
    return null;
  }
}

function writeKey(value) {
  try {
    if (value) sessionStorage.setItem(KEY, value);
    else sessionStorage.removeItem(KEY);
  } catch (err) {
    /* storage blocked: the key lives as long as this page */
  }
  memoryKey = value;
}

let memoryKey = readKey();

function request(url, method, body) {
  const headers = { Accept: 'application/json', 'X-Admin-Key': memoryKey };
  const init = { method, headers };
  if (body) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  return getJson(url, init);
}

function failed(result) {
  if (result.status === 403 || result.status === 401) {
    writeKey(null);
    data = null;
    note = { key: 'admin.wrongKey' };
  } else {
    note = { text: t('admin.failed', { message: errorMessage(result) }) };
  }
}

async function load() {
  if (!memoryKey || loading) return;
  loading = true;
  try {
    const result = await request('/api/admin/tasks', 'GET');
    if (result.ok && result.body) {
      data = result.body;
      if (note && note.key === 'admin.wrongKey') note = null;
    } else {
      failed(result);
    }
  } catch (err) {
    note = { text: t('admin.failed', { message: t('upload.network') }) };
  } finally {
    loading = false;
    renderAdmin();
  }
}

async function act(url, method, body) {
  try {
    const result = await request(url, method, body);
    if (!result.ok) failed(result);
    else note = null;
  } catch (err) {
    note = { text: t('admin.failed', { message: t('upload.network') }) };
  }
  await load();
}

export function renderAdmin() {
  const open = !!memoryKey;
  $('admin-login').hidden = open;
  $('admin-body').hidden = !open;
  $('admin-title').textContent = t('admin.title');
  $('admin-key-label').textContent = t('admin.key');
  $('admin-open').textContent = t('admin.open');
  $('admin-hint').textContent = t('admin.hint');
  $('admin-lock').textContent = t('admin.lock');
  $('admin-refresh').textContent = t('admin.refresh');
  const status = $('admin-status');
  status.textContent = note ? (note.key ? t(note.key) : note.text) : '';
  status.hidden = !note;
  const toggle = $('admin-queue-toggle');
  toggle.hidden = !data;
  const paused = !!(data && data.queue_paused);
  toggle.textContent = paused ? t('admin.resumeQueue') : t('admin.pauseQueue');
  toggle.dataset.paused = String(paused);
  $('admin-queue-state').textContent = data ? (paused ? t('admin.queuePaused') : t('admin.queueRunning')) : '';
  const list = $('admin-tasks');
  if (!open || !data) {
    list.replaceChildren();
    return;
  }
  const tasks = (data.tasks || []);
  list.replaceChildren(...tasks.map((task) => {
    const select = el('select', { className: 'admin-priority', 'aria-label': t('admin.priorityOf', { name: task.filename }) },
      ...PRIORITIES.map((p) => {
        const option = el('option', { value: p }, t('admin.priority.' + p));
        option.selected = (task.priority || 'normal') === p;
        return option;
      }));
    select.disabled = FINAL.has(task.status);
    select.addEventListener('change', () => act(taskUrl(task.task_id), 'PATCH', { priority: select.value }));
    const cancel = el('button', { type: 'button', className: 'button-danger admin-cancel' }, t('mine.cancel'));
    cancel.hidden = FINAL.has(task.status);
    cancel.addEventListener('click', () => act(taskUrl(task.task_id), 'DELETE'));
    return el('li', { className: 'admin-task', 'data-task-id': task.task_id, 'data-status': task.status, 'data-priority': task.priority || 'normal' },
      el('div', { className: 'my-task-head' },
        el('span', { className: 'task-name', 'data-verbatim': '' }, task.filename || task.task_id),
        el('span', { className: 'status-pill', 'data-status': task.status }, stageLabel(task.status))),
      el('p', { className: 'hint admin-client' }, t('admin.client'), ' ', el('code', { 'data-verbatim': '' }, task.client || '–')),
      el('div', { className: 'actions' }, select, cancel));
  }));
  $('admin-empty').hidden = tasks.length > 0;
  $('admin-empty').textContent = t('admin.empty');
}

export function setUpAdmin() {
  $('admin-login').addEventListener('submit', (e) => {
    e.preventDefault();
    const value = $('admin-key').value.trim();
    $('admin-key').value = '';
    if (!value) return;
    writeKey(value);
    note = null;
    load();
  });
  $('admin-lock').addEventListener('click', () => {
    writeKey(null);
    data = null;
    note = null;
    renderAdmin();
  });
  $('admin-refresh').addEventListener('click', load);
  $('admin-queue-toggle').addEventListener('click', () => {
    const paused = !!(data && data.queue_paused);
    act(paused ? '/api/admin/queue/resume' : '/api/admin/queue/pause', 'POST');
  });
  renderAdmin();
  if (memoryKey) load();
  setInterval(() => {
    if (memoryKey && $('admin').open && !document.hidden) load();
  }, REFRESH_MS);
}
