/*
 * The upload form: engines (usable ones only, demo first; the others in one "more engines" note),
 * language pair, remembered settings, and uploads. Each file is its own request, so one refused
 * file (format, size) never stops the others, and the refusal names the file and the reason.
 */
import { $, el } from './dom.js';
import { getJson, errorMessage } from './api.js';
import { t, hasText, fileCount, formatMegabytes, languageName, formatNumber, formatDuration, formatWait } from './i18n.js';
import { readJson, readStorage, writeStorage } from './storage.js';
import { addMyTasks, addMyBatches, isStale } from './store.js';

const PREFS_KEY = 'translive.uploadPrefs';
const CLIENT_ID_KEY = 'translive.clientId';
const ACCEPTED_EXTENSIONS = ['zip', 'txt', 'md', 'markdown', 'docx', 'pptx', 'xlsx', 'html', 'htm', 'srt', 'vtt', 'pdf', 'epub', 'png', 'jpg', 'jpeg', 'tif', 'tiff'];
/** A success note goes away after this long; refusals stay until the next upload or settings change. */
const SUCCESS_NOTE_MS = 6000;

let engines = [];
let loadFailed = false;
let statusTimer = null;
/** {kind: 'sending'|'queued'|'refused', ...}: kept as data so a language switch re-renders it. */
let status = null;
/**
 * The files picked but not yet queued, and what the server estimates for them:
 * {files, settings, refused, estimates: null (asking) | [..], error}. Null when nothing is picked.
 */
let selection = null;

function extensionOf(name) {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? '' : name.slice(dot + 1).toLowerCase();
}

function setStatus(next) {
  clearTimeout(statusTimer);
  status = next;
  if (next && next.kind === 'queued' && !next.refused.length) {
    statusTimer = setTimeout(() => setStatus(null), SUCCESS_NOTE_MS);
  }
  renderStatus();
}

function renderStatus() {
  const node = $('upload-status');
  const line = (text, error) => el('span', { className: error ? 'status-line error' : 'status-line' }, text);
  const lines = [];
  if (status && status.kind === 'sending') lines.push(line(t('upload.sending', { count: fileCount(status.count), size: formatMegabytes(status.bytes) })));
  if (status && status.kind === 'queued' && status.queued > 0) lines.push(line(t('upload.queued', { count: fileCount(status.queued) })));
  for (const refusal of (status && status.refused) || []) {
    lines.push(line(t('upload.refused', { name: refusal.name, reason: refusalReason(refusal) }), true));
  }
  node.replaceChildren(...lines);
}

/** This browser's id for fair share between submitters (X-Client-Id, contract extension); not a secret. */
function clientId() {
  let id = readStorage(CLIENT_ID_KEY);
  if (!id) {
    id = crypto.randomUUID ? crypto.randomUUID() : String(Math.random()).slice(2) + Date.now();
    writeStorage(CLIENT_ID_KEY, id);
  }
  return id;
}

/** In the page's current language where it has a text for the reason (a language switch re-renders it). */
function refusalReason(refusal) {
  if (refusal.reasonKey) return t(refusal.reasonKey);
  return refusal.code && hasText('error.' + refusal.code) ? t('error.' + refusal.code) : refusal.reason;
}

async function uploadOne(file, settings) {
  try {
    const result = await getJson('/api/tasks', { method: 'POST', body: formFor(file, settings), headers: { Accept: 'application/json', 'X-Client-Id': clientId() } });
    if (result.status === 202 && result.body && Array.isArray(result.body.tasks)) {
      return { tasks: result.body.tasks, batches: (result.body.batches || []).map((b) => Object.assign({ filename: file.name }, b)) };
    }
    return { refused: { name: file.name, reason: errorMessage(result), code: result.body && result.body.error } };
  } catch (err) {
    return { refused: { name: file.name, reasonKey: 'upload.network' } };
  }
}

function currentSettings() {
  return {
    engine: $('engine-select').value,
    source_lang: $('source-select').value,
    target_lang: $('target-select').value,
    bilingual: String($('bilingual').checked),
  };
}

function formFor(file, settings) {
  const form = new FormData();
  form.append('file', file, file.name);
  for (const [name, value] of Object.entries(settings)) if (value) form.append(name, value);
  return form;
}

/**
 * Files picked or dropped: nothing is queued yet. The server estimates each (POST /api/estimate,
 * the same multipart as an upload) and the page shows segments, characters, duration, start and
 * cost, with "Translate" to queue them and "Choose other files" to drop the selection.
 */
export async function pick(fileList) {
  const files = Array.from(fileList || []);
  $('file-input').value = '';
  if (files.length === 0 || isStale()) return;
  const refused = files.filter((f) => !ACCEPTED_EXTENSIONS.includes(extensionOf(f.name)))
    .map((f) => ({ name: f.name, reasonKey: 'upload.unsupported' }));
  const good = files.filter((f) => ACCEPTED_EXTENSIONS.includes(extensionOf(f.name)));
  savePrefs();
  setStatus(null);
  const settings = currentSettings();
  const mine = { files: good, settings, refused, estimates: null };
  selection = good.length ? mine : null;
  if (!selection) {
    setStatus({ kind: 'queued', queued: 0, refused });
    return;
  }
  renderSelection();
  const estimates = [];
  for (const file of good) {
    let one;
    if (extensionOf(file.name) === 'zip') {
      estimates.push({ file, filename: file.name, zip: true });
      continue;
    }
    try {
      const result = await getJson('/api/estimate', { method: 'POST', body: formFor(file, settings), headers: { Accept: 'application/json', 'X-Client-Id': clientId() } });
      if (result.ok && result.body && Array.isArray(result.body.estimates) && result.body.estimates.length) {
        one = Object.assign({ file }, result.body.estimates[0]);
      } else {
        one = { file, filename: file.name, refused: { name: file.name, reason: errorMessage(result), code: result.body && result.body.error } };
      }
    } catch (err) {
      one = { file, filename: file.name, refused: { name: file.name, reasonKey: 'upload.network' } };
    }
    estimates.push(one);
  }
  if (selection !== mine) return; // dropped or replaced meanwhile
  mine.estimates = estimates;
  renderSelection();
}

/** Queues the picked files that the estimate did not refuse, one request each, in the chosen order. */
async function translateSelection() {
  if (!selection || !selection.estimates || isStale()) return;
  const { estimates, settings } = selection;
  const refused = selection.refused.concat(estimates.filter((e) => e.refused).map((e) => e.refused));
  const good = estimates.filter((e) => !e.refused).map((e) => e.file);
  selection = null;
  renderSelection();
  await upload(good, settings, refused);
}

function dropSelection() {
  selection = null;
  renderSelection();
  $('drop-zone').focus();
}

function formatCost(cost) {
  if (!cost || cost.amount == null) return t('estimate.free');
  try {
    return new Intl.NumberFormat(document.documentElement.lang || 'en', { style: 'currency', currency: cost.currency || 'USD', maximumFractionDigits: 4 }).format(cost.amount);
  } catch (err) {
    return cost.amount + ' ' + (cost.currency || '');
  }
}

function renderSelection() {
  const box = $('estimate');
  box.hidden = !selection;
  $('drop-zone').hidden = !!selection;
  if (!selection) {
    $('estimate-list').replaceChildren();
    return;
  }
  $('estimate-title').textContent = t('estimate.title', { count: fileCount(selection.files.length) });
  const items = [];
  for (const refusal of selection.refused) {
    items.push(el('li', { className: 'estimate-item refused' }, el('span', { className: 'error' }, t('upload.refused', { name: refusal.name, reason: refusalReason(refusal) }))));
  }
  if (!selection.estimates) {
    items.push(el('li', { className: 'estimate-item estimating' }, t('estimate.asking')));
  } else {
    for (const e of selection.estimates) {
      if (e.refused) {
        items.push(el('li', { className: 'estimate-item refused', 'data-filename': e.filename },
          el('span', { className: 'error' }, t('upload.refused', { name: e.refused.name, reason: refusalReason(e.refused) }))));
        continue;
      }
      if (e.zip) {
        items.push(el('li', { className: 'estimate-item zip', 'data-filename': e.filename },
          el('span', { className: 'task-name', 'data-verbatim': '' }, e.filename),
          el('span', { className: 'estimate-zip' }, t('estimate.zip'))));
        continue;
      }
      const start = e.start_in_seconds == null ? '' : e.start_in_seconds < 1 ? t('estimate.startNow') : formatWait(e.start_in_seconds);
      items.push(el('li', { className: 'estimate-item', 'data-filename': e.filename },
        el('span', { className: 'task-name', 'data-verbatim': '' }, e.filename),
        el('span', { className: 'estimate-counts' }, t('estimate.counts', { segments: formatNumber(e.segments || 0), characters: formatNumber(e.characters || 0) })),
        e.cached_segments ? el('span', { className: 'estimate-cached' }, t('estimate.cached', { n: formatNumber(e.cached_segments) })) : null,
        el('span', { className: 'estimate-duration' }, t('estimate.duration', { time: formatDuration(e.duration_seconds || 0) })),
        start ? el('span', { className: 'estimate-start' }, start) : null,
        el('span', { className: 'estimate-cost' }, t('estimate.cost', { cost: formatCost(e.cost) }))));
    }
  }
  $('estimate-list').replaceChildren(...items);
  const go = $('estimate-translate');
  const usable = selection.estimates ? selection.estimates.filter((e) => !e.refused).length : 0;
  go.textContent = t('estimate.translate');
  go.disabled = !selection.estimates || usable === 0 || isStale();
  $('estimate-drop').textContent = t('estimate.drop');
}

export async function upload(files, settings, refused) {
  setStatus({ kind: 'sending', count: files.length, bytes: files.reduce((sum, f) => sum + f.size, 0), refused });
  let queued = 0;
  // One after another, so the queue keeps the order the user chose.
  for (const file of files) {
    const result = await uploadOne(file, settings);
    if (result.tasks) {
      addMyTasks(result.tasks);
      if (result.batches.length) addMyBatches(result.batches);
      queued += result.tasks.length;
    } else {
      refused.push(result.refused);
    }
  }
  setStatus({ kind: 'queued', queued, refused });
}

function readPrefs() {
  return readJson(PREFS_KEY, {}) || {};
}

function savePrefs() {
  writeStorage(PREFS_KEY, JSON.stringify({
    engine: $('engine-select').value,
    source: $('source-select').value,
    target: $('target-select').value,
    bilingual: $('bilingual').checked,
  }));
}

export async function loadEngines() {
  try {
    const result = await getJson('/api/engines');
    if (!result.ok || !result.body) throw new Error(errorMessage(result));
    // Usable engines only in the list, demo first (it always works); the rest are set-up hints.
    engines = (result.body.engines || []).slice().sort((a, b) => Number(!a.available) - Number(!b.available)
      || Number(!a.demo) - Number(!b.demo) || a.id.localeCompare(b.id));
    loadFailed = false;
    const prefs = readPrefs();
    const usable = engines.filter((e) => e.available);
    const preferred = usable.find((e) => e.id === prefs.engine) || usable.find((e) => e.id === result.body.default) || usable[0];
    renderEngineOptions(preferred && preferred.id);
    renderLanguageOptions(prefs.source, prefs.target);
    $('bilingual').checked = !!prefs.bilingual;
  } catch (err) {
    loadFailed = true;
    renderEngineNote();
  }
}

function renderEngineOptions(selectedId) {
  const select = $('engine-select');
  const current = selectedId || select.value;
  select.replaceChildren(...engines.filter((e) => e.available).map((engine) => {
    const option = el('option', { value: engine.id }, engine.demo ? t('engine.demo', { id: engine.id }) : engine.id);
    option.selected = engine.id === current;
    return option;
  }));
  renderEngineNote();
  renderMoreEngines();
}

function renderEngineNote() {
  const note = $('engine-note');
  const engine = engines.find((e) => e.id === $('engine-select').value);
  const text = loadFailed ? t('engine.loadFailed') : engine && engine.demo ? t('engine.demoNote') : '';
  note.hidden = !text;
  note.textContent = text;
  note.classList.toggle('demo', !!(engine && engine.demo) && !loadFailed);
}

/** The engines this server has not set up, each with the server's hint, in one collapsed note. */
function renderMoreEngines() {
  const unavailable = engines.filter((e) => !e.available);
  const more = $('more-engines');
  more.hidden = unavailable.length === 0;
  $('more-engines-title').textContent = t('engine.more');
  $('more-engines-intro').textContent = t('engine.moreIntro');
  $('more-engines-list').replaceChildren(...unavailable.map((engine) =>
    el('li', {}, el('code', { 'data-verbatim': '' }, engine.id), engine.reason ? el('span', { lang: 'en' }, ': ' + engine.reason) : null)));
}

function renderLanguageOptions(preferredSource, preferredTarget) {
  const engine = engines.find((e) => e.id === $('engine-select').value);
  const pairs = (engine && engine.pairs) || [];
  const sourceSelect = $('source-select');
  const targetSelect = $('target-select');
  const sources = [...new Set(pairs.map((p) => p.source))];
  const source = [preferredSource, sourceSelect.value, 'en'].find((s) => s && sources.includes(s)) || sources[0];
  sourceSelect.replaceChildren(...sources.map((code) => languageOption(code, code === source)));
  const targets = pairs.filter((p) => p.source === source).map((p) => p.target);
  const browserLanguage = (navigator.language || '').slice(0, 2).toLowerCase();
  const target = [preferredTarget, targetSelect.value, browserLanguage, 'es'].find((x) => x && targets.includes(x)) || targets[0];
  targetSelect.replaceChildren(...targets.map((code) => languageOption(code, code === target)));
}

function languageOption(code, selected) {
  const option = el('option', { value: code }, `${languageName(code)} (${code})`);
  option.selected = selected;
  return option;
}

/** Settings changed: an old refusal no longer applies. */
function settingsChanged() {
  if (status && status.kind !== 'sending') setStatus(null);
  // The estimate was for the old engine and pair: asked again for the new ones.
  if (selection) pick(selection.files.concat());
  savePrefs();
}

/** Re-renders the texts of this form in the current language. */
export function renderUpload() {
  if (engines.length) {
    renderEngineOptions();
    renderLanguageOptions();
  } else {
    renderEngineNote();
  }
  renderStatus();
  renderSelection();
}

export function setUpUpload() {
  const zone = $('drop-zone');
  const input = $('file-input');
  const choose = () => {
    if (!isStale()) input.click();
  };
  zone.addEventListener('click', choose);
  zone.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      choose();
    }
  });
  input.addEventListener('change', () => pick(input.files));
  zone.addEventListener('dragover', (e) => {
    e.preventDefault();
    zone.classList.add('dragging');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('dragging'));
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('dragging');
    pick(e.dataTransfer && e.dataTransfer.files);
  });
  // A file dropped beside the zone would otherwise be opened by the browser, leaving the page.
  window.addEventListener('dragover', (e) => e.preventDefault());
  window.addEventListener('drop', (e) => e.preventDefault());
  $('engine-select').addEventListener('change', () => {
    renderEngineNote();
    renderLanguageOptions();
    settingsChanged();
  });
  $('source-select').addEventListener('change', () => {
    renderLanguageOptions($('source-select').value);
    settingsChanged();
  });
  $('target-select').addEventListener('change', settingsChanged);
  $('bilingual').addEventListener('change', settingsChanged);
  $('upload-form').addEventListener('submit', (e) => e.preventDefault());
  $('estimate-translate').addEventListener('click', translateSelection);
  $('estimate-drop').addEventListener('click', dropSelection);
}
