/*
 * The Translive page: upload, running tasks with live progress, the queue, the user's own tasks
 * (kept in localStorage so a refresh reattaches), history, notifications, English and Chinese.
 *
 * Every server string (file names above all) reaches the DOM through textContent or text nodes;
 * this file never assigns innerHTML.
 */
(function () {
  'use strict';

  const client = window.progressClient;
  const STORAGE_KEYS = {
    lang: 'translive.lang',
    tasks: 'translive.myTasks',
    notify: 'translive.notify',
    prefs: 'translive.uploadPrefs',
  };
  const MAX_MY_TASKS = 50;
  const CHART_TASKS = 30;
  const FINAL_STATUSES = new Set(['completed', 'failed', 'cancelled']);
  const ACCEPTED_EXTENSIONS = new Set(['txt', 'md', 'markdown', 'docx', 'pptx', 'xlsx', 'html', 'htm', 'srt', 'vtt', 'pdf']);
  /** Own queued tasks beyond the broadcast head get their position from GET /api/tasks/{id}, this often at most. */
  const POSITION_REFRESH_MS = 5000;
  const MAX_TRACKED_TASKS = 300;

  // ---- texts ----------------------------------------------------------------------------

  const MESSAGES = {
    en: {
      skipToContent: 'Skip to content',
      'connection.connected': 'Live',
      'connection.reconnecting': 'Reconnecting…',
      'connection.polling': 'Polling (live updates unavailable)',
      'connection.offline': 'Offline: server unreachable',
      'notify.off': 'Notify me when done',
      'notify.on': 'Notifications on',
      'notify.denied': 'Notifications blocked by the browser',
      'notify.unsupported': 'Notifications not supported',
      'language.switch': 'Switch language',
      'upload.title': 'Translate documents',
      'upload.engine': 'Engine',
      'upload.source': 'From',
      'upload.target': 'To',
      'upload.bilingual': 'Bilingual output (original and translation together)',
      'upload.drop': 'Drop files here, or press to choose files',
      'upload.fileLabel': 'Documents to translate',
      'upload.formats': 'Formats: txt, md, docx, pptx, xlsx, html, srt, vtt, pdf. A PDF comes back as a .docx document.',
      'upload.sending': 'Uploading {n} file(s)…',
      'upload.queued': '{n} file(s) queued.',
      'upload.failed': 'Upload refused: {message}',
      'upload.network': 'Upload failed: the server cannot be reached.',
      'upload.unsupported': 'Not a supported format: {names}',
      'engine.demo': '{id} (pseudo-translation)',
      'engine.unavailable': '{id} (unavailable: {reason})',
      'engine.demoNote': 'Demo engine: the result is a marked pseudo-translation for trying Translive out, not a real translation.',
      'engine.loadFailed': 'Engines could not be loaded; the server default will be used.',
      'running.title': 'Translating now',
      'running.empty': 'Nothing is being translated right now.',
      'running.segments': '{done} / {total} segments',
      'running.eta': '{time} left',
      'running.estimating': 'estimating time left…',
      'running.progressLabel': 'Progress of {name}',
      yours: 'yours',
      'stage.extracting': 'Extracting text',
      'stage.deduplicating': 'Finding repeated text',
      'stage.translating': 'Translating',
      'stage.assembling': 'Writing the document',
      'stage.completed': 'Completed',
      'stage.failed': 'Failed',
      'stage.cancelled': 'Cancelled',
      'stage.queued': 'Waiting',
      'stage.running': 'Running',
      'stage.unknown': 'Unknown',
      'queue.title': 'Waiting in line',
      'queue.empty': 'The queue is empty.',
      'queue.wait': 'starts in {time}',
      'queue.yours': 'your task, position {position}',
      'queue.more': 'and {n} more waiting',
      'mine.title': 'My tasks',
      'mine.empty': 'Files you upload from this browser appear here.',
      'mine.cancel': 'Cancel',
      'mine.cancelling': 'Cancelling…',
      'mine.download': 'Download {name}',
      'mine.forget': 'Remove from list',
      'mine.position': 'Position {position} in the queue, starts in {time}',
      'mine.positionOnly': 'Position {position} in the queue',
      'mine.progress': '{percent}% · {stage}',
      'mine.gone': 'No longer known to the server.',
      'mine.cancelFailed': 'Could not cancel: {message}',
      'mine.error': 'Error: {message}',
      'history.title': 'Recent tasks',
      'history.caption': 'Duration of the last tasks, oldest first.',
      'history.count': 'Tasks',
      'history.successRate': 'Success rate',
      'history.avgDuration': 'Average duration',
      'history.throughput': 'Throughput',
      'history.segPerSec': '{value} segments/s',
      'history.none': '–',
      'history.chartLabel': 'Durations of the last {n} tasks; the longest took {max}.',
      'history.empty': 'No finished tasks yet.',
      'announce.started': '{name}: translation started',
      'announce.progress': '{name}: {percent}%',
      'announce.finished': '{name}: {status}',
      'notification.title': 'Translation finished',
      'time.underMinute': 'under a minute',
      'time.minutes': 'about {m} min',
      'time.hours': 'about {h} h {m} min',
      'time.seconds': '{s} s',
      'time.minSec': '{m} min {s} s',
    },
    zh: {
      skipToContent: '跳到主要内容',
      'connection.connected': '实时连接',
      'connection.reconnecting': '正在重新连接…',
      'connection.polling': '轮询中（实时连接不可用）',
      'connection.offline': '离线：无法连接服务器',
      'notify.off': '完成时通知我',
      'notify.on': '通知已开启',
      'notify.denied': '浏览器已阻止通知',
      'notify.unsupported': '浏览器不支持通知',
      'language.switch': '切换语言',
      'upload.title': '翻译文档',
      'upload.engine': '翻译引擎',
      'upload.source': '源语言',
      'upload.target': '目标语言',
      'upload.bilingual': '双语输出（原文与译文对照）',
      'upload.drop': '将文件拖放到这里，或按下以选择文件',
      'upload.fileLabel': '要翻译的文档',
      'upload.formats': '支持格式：txt、md、docx、pptx、xlsx、html、srt、vtt、pdf。PDF 将输出为 .docx 文档。',
      'upload.sending': '正在上传 {n} 个文件…',
      'upload.queued': '已加入队列：{n} 个文件。',
      'upload.failed': '上传被拒绝：{message}',
      'upload.network': '上传失败：无法连接服务器。',
      'upload.unsupported': '不支持的格式：{names}',
      'engine.demo': '{id}（演示，伪翻译）',
      'engine.unavailable': '{id}（不可用：{reason}）',
      'engine.demoNote': '演示引擎：结果是带标记的伪翻译，仅供体验 Translive，并非真实翻译。',
      'engine.loadFailed': '无法加载翻译引擎列表，将使用服务器默认引擎。',
      'running.title': '正在翻译',
      'running.empty': '当前没有正在翻译的文件。',
      'running.segments': '{done} / {total} 段',
      'running.eta': '剩余 {time}',
      'running.estimating': '正在估算剩余时间…',
      'running.progressLabel': '{name} 的进度',
      yours: '我的',
      'stage.extracting': '提取文本',
      'stage.deduplicating': '查找重复文本',
      'stage.translating': '翻译中',
      'stage.assembling': '生成文档',
      'stage.completed': '已完成',
      'stage.failed': '失败',
      'stage.cancelled': '已取消',
      'stage.queued': '排队中',
      'stage.running': '进行中',
      'stage.unknown': '未知',
      'queue.title': '排队等候',
      'queue.empty': '队列为空。',
      'queue.wait': '约 {time} 后开始',
      'queue.yours': '我的任务，第 {position} 位',
      'queue.more': '另有 {n} 个文件在排队',
      'mine.title': '我的任务',
      'mine.empty': '从此浏览器上传的文件会显示在这里。',
      'mine.cancel': '取消',
      'mine.cancelling': '正在取消…',
      'mine.download': '下载 {name}',
      'mine.forget': '从列表中移除',
      'mine.position': '排在第 {position} 位，约 {time} 后开始',
      'mine.positionOnly': '排在第 {position} 位',
      'mine.progress': '{percent}% · {stage}',
      'mine.gone': '服务器上已没有此任务。',
      'mine.cancelFailed': '无法取消：{message}',
      'mine.error': '错误：{message}',
      'history.title': '最近的任务',
      'history.caption': '最近任务的耗时，按时间先后排列。',
      'history.count': '任务数',
      'history.successRate': '成功率',
      'history.avgDuration': '平均耗时',
      'history.throughput': '吞吐量',
      'history.segPerSec': '每秒 {value} 段',
      'history.none': '–',
      'history.chartLabel': '最近 {n} 个任务的耗时；最长 {max}。',
      'history.empty': '还没有已完成的任务。',
      'announce.started': '{name}：开始翻译',
      'announce.progress': '{name}：{percent}%',
      'announce.finished': '{name}：{status}',
      'notification.title': '翻译已结束',
      'time.underMinute': '不到 1 分钟',
      'time.minutes': '约 {m} 分钟',
      'time.hours': '约 {h} 小时 {m} 分钟',
      'time.seconds': '{s} 秒',
      'time.minSec': '{m} 分 {s} 秒',
    },
  };

  let lang = chooseLanguage();

  function chooseLanguage() {
    const saved = readStorage(STORAGE_KEYS.lang);
    if (saved === 'en' || saved === 'zh') return saved;
    return (navigator.language || 'en').toLowerCase().startsWith('zh') ? 'zh' : 'en';
  }

  function t(key, params) {
    const template = MESSAGES[lang][key] ?? MESSAGES.en[key] ?? key;
    return template.replace(/\{(\w+)\}/g, (m, name) => (params && params[name] !== undefined ? String(params[name]) : m));
  }

  function languageName(code) {
    try {
      return new Intl.DisplayNames([lang === 'zh' ? 'zh-CN' : 'en'], { type: 'language' }).of(code) || code;
    } catch (err) {
      return code;
    }
  }

  function stageLabel(stage) {
    return MESSAGES.en['stage.' + stage] ? t('stage.' + stage) : t('stage.unknown');
  }

  function formatCountdown(seconds) {
    const s = Math.max(0, Math.round(seconds));
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    const ss = String(s % 60).padStart(2, '0');
    return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
  }

  function formatApprox(seconds) {
    if (seconds == null) return t('history.none');
    if (seconds < 60) return t('time.underMinute');
    const minutes = Math.round(seconds / 60);
    if (minutes < 60) return t('time.minutes', { m: minutes });
    return t('time.hours', { h: Math.floor(minutes / 60), m: minutes % 60 });
  }

  function formatDuration(seconds) {
    if (seconds == null) return t('history.none');
    if (seconds < 60) return t('time.seconds', { s: seconds < 10 ? seconds.toFixed(1) : Math.round(seconds) });
    return t('time.minSec', { m: Math.floor(seconds / 60), s: Math.round(seconds % 60) });
  }

  // ---- small helpers --------------------------------------------------------------------

  function readStorage(key) {
    try {
      return localStorage.getItem(key);
    } catch (err) {
      return null; // storage disabled: the page still works, it just forgets
    }
  }

  function writeStorage(key, value) {
    try {
      localStorage.setItem(key, value);
    } catch (err) {
      /* storage full or disabled */
    }
  }

  /** Creates an element; string children become text nodes, so markup in data stays text. */
  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (name === 'className') node.className = value;
      else if (name === 'text') node.textContent = value;
      else node.setAttribute(name, value === true ? '' : value);
    }
    for (const child of children) {
      if (child == null) continue;
      node.append(typeof child === 'string' ? document.createTextNode(child) : child);
    }
    return node;
  }

  const $ = (id) => document.getElementById(id);

  async function getJson(url, init) {
    const response = await fetch(url, Object.assign({ cache: 'no-store', headers: { Accept: 'application/json' } }, init));
    let body = null;
    try {
      body = await response.json();
    } catch (err) {
      /* not JSON */
    }
    return { status: response.status, ok: response.ok, body };
  }

  function errorMessage(result) {
    return (result.body && (result.body.message || result.body.error)) || ('HTTP ' + result.status);
  }

  // ---- state ----------------------------------------------------------------------------

  /** Latest queue_update data and its seq. */
  let queueData = null;
  let queueSeq = -Infinity;
  /** task_id -> {seq, type, filename, data}: the newest task message seen (progress, started, completed). */
  const taskMessages = new Map();
  /** task_id -> {value, at}: the ETA shown, counted down from the time it was received. */
  const etaAnchors = new Map();
  /** task_id -> last announced tenth of progress. */
  const announcedTenths = new Map();

  /** The user's tasks, newest first: {task_id, token, filename, added_at}. */
  let myTasks = loadMyTasks();
  /** task_id -> task JSON from GET /api/tasks/{id}, or {gone: true}. */
  const myDetails = new Map();
  /** task_id -> status last rendered, to notice transitions to a final status. */
  const lastMyStatus = new Map();
  const refreshInFlight = new Set();
  const lastRefreshAt = new Map();
  const cancelState = new Map(); // task_id -> 'pending' | error text

  function loadMyTasks() {
    try {
      const parsed = JSON.parse(readStorage(STORAGE_KEYS.tasks) || '[]');
      return Array.isArray(parsed) ? parsed.filter((x) => x && typeof x.task_id === 'string' && typeof x.token === 'string').slice(0, MAX_MY_TASKS) : [];
    } catch (err) {
      return [];
    }
  }

  function saveMyTasks() {
    myTasks = myTasks.slice(0, MAX_MY_TASKS);
    writeStorage(STORAGE_KEYS.tasks, JSON.stringify(myTasks));
  }

  function isMine(taskId) {
    return myTasks.some((x) => x.task_id === taskId);
  }

  function rememberTaskMessage(message) {
    const previous = taskMessages.get(message.task_id);
    const data = message.data || {};
    const entry = {
      seq: message.seq,
      type: message.type,
      filename: data.filename || (previous && previous.filename),
      // task_started and task_completed carry no progress: keep the last progress beside them.
      progress: message.type === 'progress_update' ? data : previous && previous.progress,
      completed: message.type === 'task_completed' ? data : null,
    };
    taskMessages.delete(message.task_id);
    taskMessages.set(message.task_id, entry);
    if (taskMessages.size > MAX_TRACKED_TASKS) {
      const oldest = taskMessages.keys().next().value;
      taskMessages.delete(oldest);
      etaAnchors.delete(oldest);
      announcedTenths.delete(oldest);
    }
    return entry;
  }

  /**
   * The running tasks: the queue's running list, corrected by task messages newer than it (a task
   * started or finished since). A task the queue no longer lists is not shown as running, so a
   * task that died never sticks at 99%. Comparing seqs across the two addresses relies on the server
   * drawing them from one clock (SeqClock: wall-clock microseconds shared by all publishers).
   */
  function runningTasks() {
    const result = new Map();
    for (const entry of (queueData && queueData.running) || []) {
      const message = taskMessages.get(entry.task_id);
      if (message && message.completed && message.seq > queueSeq) continue;
      const live = message && message.progress;
      // The newer source wins; the other fills in what it lacks (segments, stage description).
      const merged = live && message.seq > queueSeq ? Object.assign({}, entry, live) : Object.assign({}, live, entry);
      merged.progress = Math.max(entry.progress || 0, (live && live.progress) || 0);
      result.set(entry.task_id, merged);
    }
    for (const [taskId, message] of taskMessages) {
      if (result.has(taskId) || message.completed || !(message.seq > queueSeq)) continue;
      result.set(taskId, Object.assign({ task_id: taskId, filename: message.filename, progress: 0, stage: 'extracting' }, message.progress));
    }
    return result;
  }

  /** Anchors a new ETA; a rising estimate is eased in so the countdown does not jump up and down. */
  function anchorEta(taskId, eta) {
    const now = performance.now();
    if (eta == null) {
      etaAnchors.delete(taskId);
      return;
    }
    const current = etaAnchors.get(taskId);
    let value = eta;
    if (current) {
      const shown = Math.max(0, current.value - (now - current.at) / 1000);
      if (current.source === eta) return; // the same estimate again: keep counting down
      if (eta > shown) value = shown + (eta - shown) * 0.3;
    }
    etaAnchors.set(taskId, { value, at: now, source: eta });
  }

  function etaRemaining(taskId) {
    const anchor = etaAnchors.get(taskId);
    if (!anchor) return null;
    return Math.max(0, anchor.value - (performance.now() - anchor.at) / 1000);
  }

  // ---- live messages --------------------------------------------------------------------

  function onTaskMessage(message) {
    const entry = rememberTaskMessage(message);
    const name = entry.filename || message.task_id;
    if (message.type === 'task_started') {
      announce(t('announce.started', { name }));
    } else if (message.type === 'progress_update') {
      anchorEta(message.task_id, message.data.eta_seconds);
      const tenth = Math.floor((message.data.progress || 0) * 10);
      if (tenth > (announcedTenths.get(message.task_id) ?? 0) && tenth < 10) {
        announcedTenths.set(message.task_id, tenth);
        announce(t('announce.progress', { name, percent: tenth * 10 }));
      }
    } else if (message.type === 'task_completed') {
      etaAnchors.delete(message.task_id);
      announce(t('announce.finished', { name, status: stageLabel(message.data.status) }));
      scheduleHistoryRefresh();
      if (isMine(message.task_id)) refreshMyTask(message.task_id, true);
    }
    scheduleRender();
  }

  function onQueue(message) {
    queueData = message.data || {};
    queueSeq = message.seq;
    for (const entry of queueData.running || []) {
      const m = taskMessages.get(entry.task_id);
      if (!(m && m.progress && m.seq > queueSeq)) anchorEta(entry.task_id, entry.eta_seconds);
    }
    checkMyTasksAgainstQueue();
    scheduleRender();
  }

  /** Own tasks the broadcast does not show (finished, or queued beyond its head) are asked for directly. */
  function checkMyTasksAgainstQueue() {
    const running = runningTasks();
    const queuedIds = new Set(((queueData && queueData.queued) || []).map((q) => q.task_id));
    for (const task of myTasks) {
      const details = myDetails.get(task.task_id);
      if (!details || details.gone || FINAL_STATUSES.has(details.status)) continue;
      if (running.has(task.task_id) || queuedIds.has(task.task_id)) continue;
      refreshMyTask(task.task_id, false);
    }
  }

  function onConnection(connection) {
    const indicator = $('connection');
    const wasLive = indicator.dataset.state === 'connected' || indicator.dataset.state === 'polling';
    indicator.dataset.state = connection.state;
    $('connection-text').textContent = t('connection.' + connection.state);
    if (!wasLive && (connection.state === 'connected' || connection.state === 'polling')) {
      // Back in touch: what happened to my tasks and the history while we were away?
      refreshAllMyTasks();
      loadHistory();
    }
  }

  let announceTimer = null;
  function announce(text) {
    const region = $('announcer');
    clearTimeout(announceTimer);
    // Cleared first so that the same words said twice are read twice.
    region.textContent = '';
    announceTimer = setTimeout(() => { region.textContent = text; }, 50);
  }

  // ---- my tasks -------------------------------------------------------------------------

  async function refreshMyTask(taskId, force) {
    const last = lastRefreshAt.get(taskId) || 0;
    if (refreshInFlight.has(taskId) || (!force && performance.now() - last < POSITION_REFRESH_MS)) return;
    refreshInFlight.add(taskId);
    lastRefreshAt.set(taskId, performance.now());
    try {
      const result = await getJson('/api/tasks/' + encodeURIComponent(taskId));
      if (result.ok && result.body) myDetails.set(taskId, result.body);
      else if (result.status === 404) myDetails.set(taskId, { gone: true, status: 'unknown' });
    } catch (err) {
      /* offline: the connection indicator says so; try again on the next trigger */
    } finally {
      refreshInFlight.delete(taskId);
    }
    scheduleRender();
  }

  async function refreshAllMyTasks() {
    const pending = myTasks.filter((x) => {
      const d = myDetails.get(x.task_id);
      return !d || !(d.gone || FINAL_STATUSES.has(d.status));
    });
    // A few at a time: a returning page must not fire fifty requests at once.
    for (let i = 0; i < pending.length; i += 4) {
      await Promise.all(pending.slice(i, i + 4).map((x) => refreshMyTask(x.task_id, true)));
    }
  }

  function addMyTasks(tasks) {
    for (const task of tasks.slice().reverse()) {
      myTasks = myTasks.filter((x) => x.task_id !== task.task_id);
      myTasks.unshift({ task_id: task.task_id, token: task.token, filename: task.filename, added_at: Date.now() });
      myDetails.set(task.task_id, Object.assign({}, task));
      lastMyStatus.set(task.task_id, task.status);
    }
    saveMyTasks();
  }

  function forgetMyTask(taskId) {
    myTasks = myTasks.filter((x) => x.task_id !== taskId);
    myDetails.delete(taskId);
    saveMyTasks();
    scheduleRender();
  }

  async function cancelMyTask(taskId) {
    const task = myTasks.find((x) => x.task_id === taskId);
    if (!task) return;
    cancelState.set(taskId, 'pending');
    scheduleRender();
    try {
      const result = await getJson('/api/tasks/' + encodeURIComponent(taskId), { method: 'DELETE', headers: { 'X-Task-Token': task.token, Accept: 'application/json' } });
      if (result.ok || result.status === 409) cancelState.delete(taskId);
      else cancelState.set(taskId, t('mine.cancelFailed', { message: errorMessage(result) }));
    } catch (err) {
      cancelState.set(taskId, t('mine.cancelFailed', { message: t('connection.offline') }));
    }
    await refreshMyTask(taskId, true);
  }

  /** What the page knows of one of the user's tasks, the newest source winning. */
  function myTaskView(task, running, queuedById) {
    const details = myDetails.get(task.task_id) || {};
    const view = {
      status: details.status || 'queued',
      filename: details.filename || task.filename,
      position: details.position,
      wait: details.wait_seconds,
      progress: details.progress || 0,
      stage: details.stage,
      error: details.error,
      resultFilename: details.result_filename,
      gone: !!details.gone,
    };
    const message = taskMessages.get(task.task_id);
    if (message && message.completed && !FINAL_STATUSES.has(view.status)) {
      view.status = message.completed.status || (message.completed.success ? 'completed' : 'failed');
      if (!message.completed.success && !view.error) view.error = message.completed.message;
    } else if (!FINAL_STATUSES.has(view.status) && !view.gone) {
      const live = running.get(task.task_id);
      const queued = queuedById.get(task.task_id);
      if (live) {
        view.status = 'running';
        view.progress = Math.max(view.progress, live.progress || 0);
        view.stage = live.stage;
      } else if (queued) {
        view.status = 'queued';
        view.position = queued.position;
        view.wait = queued.wait_seconds;
      }
    }
    return view;
  }

  // ---- notifications --------------------------------------------------------------------

  function notificationsEnabled() {
    return readStorage(STORAGE_KEYS.notify) === 'on' && 'Notification' in window && Notification.permission === 'granted';
  }

  async function toggleNotifications() {
    if (!('Notification' in window)) return renderNotifyButton();
    if (readStorage(STORAGE_KEYS.notify) === 'on') {
      writeStorage(STORAGE_KEYS.notify, 'off');
    } else {
      const permission = Notification.permission === 'granted' ? 'granted' : await Notification.requestPermission();
      writeStorage(STORAGE_KEYS.notify, permission === 'granted' ? 'on' : 'off');
    }
    renderNotifyButton();
  }

  function renderNotifyButton() {
    const button = $('notify-toggle');
    let key = 'notify.off';
    if (!('Notification' in window)) key = 'notify.unsupported';
    else if (Notification.permission === 'denied') key = 'notify.denied';
    else if (notificationsEnabled()) key = 'notify.on';
    button.textContent = t(key);
    button.setAttribute('aria-pressed', String(key === 'notify.on'));
    button.disabled = key === 'notify.unsupported' || key === 'notify.denied';
  }

  function notifyFinished(view) {
    if (!notificationsEnabled()) return;
    try {
      new Notification(t('notification.title'), { body: t('announce.finished', { name: view.filename, status: stageLabel(view.status) }) });
    } catch (err) {
      /* some browsers only allow notifications from a service worker */
    }
  }

  // ---- rendering ------------------------------------------------------------------------

  let renderScheduled = false;
  function scheduleRender() {
    if (renderScheduled) return;
    renderScheduled = true;
    // A microtask rather than requestAnimationFrame: hidden tabs get no frames, yet must stay current.
    queueMicrotask(() => {
      renderScheduled = false;
      render();
    });
  }

  function render() {
    const running = runningTasks();
    renderRunning(running);
    renderQueue();
    renderMyTasks(running);
  }

  const runningCards = new Map();

  function renderRunning(running) {
    const list = $('running-list');
    for (const [taskId, card] of runningCards) {
      if (!running.has(taskId)) {
        card.li.remove();
        runningCards.delete(taskId);
      }
    }
    for (const [taskId, task] of running) {
      let card = runningCards.get(taskId);
      if (!card) {
        card = {
          name: el('span', { className: 'task-name' }),
          badge: el('span', { className: 'badge mine-badge' }),
          stage: el('span', { className: 'stage-label' }),
          description: el('span', { className: 'stage-description' }),
          bar: el('progress', { className: 'progress-bar', max: '1', value: '0' }),
          percent: el('span', { className: 'percent' }),
          segments: el('span', { className: 'segments' }),
          eta: el('span', { className: 'eta' }),
        };
        card.li = el('li', { className: 'task-card running-task', 'data-task-id': taskId },
          el('div', { className: 'card-head' }, card.name, card.badge),
          el('div', { className: 'stage-line' }, card.stage, card.description),
          card.bar,
          el('div', { className: 'card-foot' }, card.percent, card.segments, card.eta));
        list.append(card.li);
        runningCards.set(taskId, card);
      }
      const mine = isMine(taskId);
      const name = task.filename || taskId;
      const progress = Math.min(1, Math.max(0, task.progress || 0));
      card.li.classList.toggle('mine', mine);
      card.li.dataset.stage = task.stage || '';
      card.name.textContent = name;
      card.badge.textContent = t('yours');
      card.badge.hidden = !mine;
      card.stage.textContent = stageLabel(task.stage);
      card.description.textContent = task.stage_description || '';
      card.bar.value = progress;
      card.bar.setAttribute('aria-label', t('running.progressLabel', { name }));
      card.percent.textContent = Math.floor(progress * 100) + '%';
      card.segments.textContent = task.total_segments ? t('running.segments', { done: task.completed_segments || 0, total: task.total_segments }) : '';
      card.segments.hidden = !task.total_segments;
      updateEtaText(taskId, card.eta);
    }
    $('running-empty').hidden = running.size > 0;
  }

  function updateEtaText(taskId, node) {
    const remaining = etaRemaining(taskId);
    node.textContent = remaining == null ? t('running.estimating') : t('running.eta', { time: formatCountdown(remaining) });
  }

  /** Counts the ETAs down between updates; only the ETA texts change. */
  function tick() {
    for (const [taskId, card] of runningCards) updateEtaText(taskId, card.eta);
  }

  function renderQueue() {
    const list = $('queue-list');
    const queued = (queueData && queueData.queued) || [];
    const items = queued.map((entry) => queueItem(entry.task_id, entry.filename, entry.position, entry.wait_seconds));
    // The broadcast lists only the head of a long queue; the user's own tasks further back still show.
    const shown = new Set(queued.map((entry) => entry.task_id));
    const lastShown = queued.length ? queued[queued.length - 1].position : 0;
    const beyond = myTasks
      .map((task) => ({ task, details: myDetails.get(task.task_id) }))
      .filter(({ task, details }) => !shown.has(task.task_id) && details && details.status === 'queued' && details.position > lastShown)
      .sort((a, b) => a.details.position - b.details.position);
    if (beyond.length > 0) {
      items.push(el('li', { className: 'queue-gap', 'aria-hidden': 'true' }, '⋯'));
      for (const { task, details } of beyond) {
        items.push(queueItem(task.task_id, details.filename || task.filename, details.position, details.wait_seconds));
      }
    }
    list.replaceChildren(...items);
    const total = (queueData && queueData.queue_length) || 0;
    const more = $('queue-more');
    more.hidden = total <= queued.length;
    more.textContent = more.hidden ? '' : t('queue.more', { n: total - queued.length });
    $('queue-empty').hidden = total > 0;
  }

  function queueItem(taskId, filename, position, waitSeconds) {
    const mine = isMine(taskId);
    return el('li', { className: 'queue-item' + (mine ? ' mine' : ''), 'data-task-id': taskId, 'data-position': String(position) },
      el('span', { className: 'queue-position', 'aria-hidden': 'true' }, '#' + position),
      el('span', { className: 'task-name' }, filename || taskId),
      mine ? el('span', { className: 'badge mine-badge' }, t('queue.yours', { position })) : null,
      el('span', { className: 'queue-wait' }, t('queue.wait', { time: formatApprox(waitSeconds) })));
  }

  const myRows = new Map();

  function renderMyTasks(running) {
    const list = $('my-tasks');
    const queuedById = new Map(((queueData && queueData.queued) || []).map((q) => [q.task_id, q]));
    const wanted = new Set(myTasks.map((x) => x.task_id));
    for (const [taskId, row] of myRows) {
      if (!wanted.has(taskId)) {
        row.li.remove();
        myRows.delete(taskId);
      }
    }
    myTasks.forEach((task, index) => {
      const view = myTaskView(task, running, queuedById);
      let row = myRows.get(task.task_id);
      if (!row) {
        row = {
          name: el('span', { className: 'task-name' }),
          status: el('span', { className: 'status-pill' }),
          detail: el('p', { className: 'my-task-detail' }),
          bar: el('progress', { className: 'progress-bar', max: '1', value: '0' }),
          error: el('p', { className: 'my-task-error' }),
          actions: el('div', { className: 'actions' }),
          actionsKey: null,
        };
        row.li = el('li', { className: 'my-task', 'data-task-id': task.task_id },
          el('div', { className: 'my-task-head' }, row.name, row.status), row.detail, row.bar, row.error, row.actions);
        myRows.set(task.task_id, row);
      }
      if (list.children[index] !== row.li) list.insertBefore(row.li, list.children[index] || null);

      const previous = lastMyStatus.get(task.task_id);
      if (previous && !FINAL_STATUSES.has(previous) && FINAL_STATUSES.has(view.status)) notifyFinished(view);
      lastMyStatus.set(task.task_id, view.status);

      row.li.dataset.status = view.status;
      row.name.textContent = view.filename;
      row.status.textContent = stageLabel(view.status);
      row.status.dataset.status = view.status;
      let detail = '';
      if (view.gone) detail = t('mine.gone');
      else if (view.status === 'queued' && view.position != null) {
        detail = view.wait != null ? t('mine.position', { position: view.position, time: formatApprox(view.wait) }) : t('mine.positionOnly', { position: view.position });
      } else if (view.status === 'running') detail = t('mine.progress', { percent: Math.floor(view.progress * 100), stage: stageLabel(view.stage) });
      row.detail.textContent = detail;
      row.detail.hidden = !detail;
      row.bar.hidden = view.status !== 'running';
      row.bar.value = view.progress;
      row.bar.setAttribute('aria-label', t('running.progressLabel', { name: view.filename }));
      const cancelError = cancelState.get(task.task_id);
      const errorText = view.status === 'failed' && view.error ? t('mine.error', { message: view.error })
        : cancelError && cancelError !== 'pending' ? cancelError : '';
      row.error.textContent = errorText;
      row.error.hidden = !errorText;
      if (view.status === 'failed') row.error.setAttribute('role', 'alert');

      // Buttons are rebuilt only when what they offer changes, so keyboard focus is not lost on every update.
      const finalStatus = FINAL_STATUSES.has(view.status) || view.gone;
      const actionsKey = [view.status, view.gone, view.resultFilename, cancelState.get(task.task_id) === 'pending', lang].join('|');
      if (row.actionsKey !== actionsKey) {
        row.actionsKey = actionsKey;
        const actions = [];
        if (!finalStatus) {
          const pending = cancelState.get(task.task_id) === 'pending';
          const cancel = el('button', { type: 'button', className: 'button-danger cancel-button', disabled: pending },
            pending ? t('mine.cancelling') : t('mine.cancel'));
          cancel.addEventListener('click', () => cancelMyTask(task.task_id));
          actions.push(cancel);
        }
        if (view.status === 'completed') {
          const resultName = view.resultFilename || view.filename;
          actions.push(el('a', {
            className: 'button download-link',
            href: '/api/tasks/' + encodeURIComponent(task.task_id) + '/result?token=' + encodeURIComponent(task.token),
            download: resultName,
          }, t('mine.download', { name: resultName })));
        }
        if (finalStatus) {
          const forget = el('button', { type: 'button', className: 'button-quiet forget-button' }, t('mine.forget'));
          forget.addEventListener('click', () => forgetMyTask(task.task_id));
          actions.push(forget);
        }
        row.actions.replaceChildren(...actions);
      }
    });
    $('mine-empty').hidden = myTasks.length > 0;
  }

  // ---- history --------------------------------------------------------------------------

  let historyTimer = null;
  function scheduleHistoryRefresh() {
    clearTimeout(historyTimer);
    historyTimer = setTimeout(loadHistory, 500);
  }

  let historyData = null;
  async function loadHistory() {
    try {
      const result = await getJson('/api/history');
      if (result.ok && result.body) {
        historyData = result.body;
        renderHistory();
      }
    } catch (err) {
      /* keep what is shown */
    }
  }

  function renderHistory() {
    const stats = (historyData && historyData.stats) || {};
    const none = t('history.none');
    const items = [
      [t('history.count'), stats.count != null ? String(stats.count) : none],
      [t('history.successRate'), stats.success_rate != null ? Math.round(stats.success_rate * 100) + '%' : none],
      [t('history.avgDuration'), formatDuration(stats.average_duration_seconds)],
      [t('history.throughput'), stats.throughput_segments_per_second != null
        ? t('history.segPerSec', { value: stats.throughput_segments_per_second.toFixed(1) }) : none],
    ];
    $('history-stats').replaceChildren(...items.map(([label, value]) =>
      el('div', { className: 'stat' }, el('dt', {}, label), el('dd', {}, value))));
    renderChart(((historyData && historyData.tasks) || []).slice(0, CHART_TASKS).reverse());
  }

  const SVG_NS = 'http://www.w3.org/2000/svg';
  function svg(tag, attributes, ...children) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
    for (const child of children) node.append(typeof child === 'string' ? document.createTextNode(child) : child);
    return node;
  }

  /** Bars of task durations, coloured by outcome, each with a tooltip naming the file. */
  function renderChart(tasks) {
    const container = $('history-chart');
    if (tasks.length === 0) {
      container.replaceChildren(el('p', { className: 'empty' }, t('history.empty')));
      return;
    }
    const width = 300;
    const height = 80;
    const gap = 2;
    const max = Math.max(...tasks.map((x) => x.duration_seconds || 0), 0.001);
    const barWidth = (width - gap * (CHART_TASKS - 1)) / CHART_TASKS;
    const bars = tasks.map((task, i) => {
      const duration = task.duration_seconds || 0;
      const barHeight = Math.max(1, (duration / max) * (height - 2));
      return svg('rect', {
        class: 'bar bar-' + (task.status || 'unknown'),
        x: (i * (barWidth + gap)).toFixed(2),
        y: (height - barHeight).toFixed(2),
        width: barWidth.toFixed(2),
        height: barHeight.toFixed(2),
        rx: 1,
      }, svg('title', {}, `${task.filename || task.task_id}: ${formatDuration(duration)} (${stageLabel(task.status)})`));
    });
    const chart = svg('svg', {
      viewBox: `0 0 ${width} ${height}`,
      preserveAspectRatio: 'none',
      role: 'img',
      'aria-label': t('history.chartLabel', { n: tasks.length, max: formatDuration(max) }),
      class: 'chart-svg',
    }, svg('line', { class: 'axis', x1: 0, y1: height - 0.5, x2: width, y2: height - 0.5 }), ...bars);
    container.replaceChildren(chart);
  }

  // ---- upload ---------------------------------------------------------------------------

  let engines = [];

  function extensionOf(name) {
    const dot = name.lastIndexOf('.');
    return dot < 0 ? '' : name.slice(dot + 1).toLowerCase();
  }

  function setUploadStatus(text, isError) {
    const status = $('upload-status');
    status.textContent = text;
    status.classList.toggle('error', !!isError);
  }

  async function upload(fileList) {
    const files = Array.from(fileList || []);
    if (files.length === 0) return;
    const unsupported = files.filter((f) => !ACCEPTED_EXTENSIONS.has(extensionOf(f.name)));
    if (unsupported.length > 0) {
      setUploadStatus(t('upload.unsupported', { names: unsupported.map((f) => f.name).join(', ') }), true);
      return;
    }
    const form = new FormData();
    for (const file of files) form.append('file', file, file.name);
    const engine = $('engine-select').value;
    if (engine) form.append('engine', engine);
    if ($('source-select').value) form.append('source_lang', $('source-select').value);
    if ($('target-select').value) form.append('target_lang', $('target-select').value);
    form.append('bilingual', String($('bilingual').checked));
    savePrefs();
    setUploadStatus(t('upload.sending', { n: files.length }), false);
    try {
      const result = await getJson('/api/tasks', { method: 'POST', body: form });
      if (result.status === 202 && result.body && Array.isArray(result.body.tasks)) {
        addMyTasks(result.body.tasks);
        setUploadStatus(t('upload.queued', { n: result.body.tasks.length }), false);
        scheduleRender();
      } else {
        setUploadStatus(t('upload.failed', { message: errorMessage(result) }), true);
      }
    } catch (err) {
      setUploadStatus(t('upload.network'), true);
    } finally {
      $('file-input').value = '';
    }
  }

  function readPrefs() {
    try {
      return JSON.parse(readStorage(STORAGE_KEYS.prefs) || '{}') || {};
    } catch (err) {
      return {};
    }
  }

  function savePrefs() {
    writeStorage(STORAGE_KEYS.prefs, JSON.stringify({
      engine: $('engine-select').value,
      source: $('source-select').value,
      target: $('target-select').value,
      bilingual: $('bilingual').checked,
    }));
  }

  async function loadEngines() {
    try {
      const result = await getJson('/api/engines');
      if (!result.ok || !result.body) throw new Error(errorMessage(result));
      engines = result.body.engines || [];
      const prefs = readPrefs();
      const usable = engines.filter((e) => e.available);
      const preferred = usable.find((e) => e.id === prefs.engine) || usable.find((e) => e.id === result.body.default) || usable[0];
      renderEngineOptions(preferred && preferred.id);
      renderLanguageOptions(prefs.source, prefs.target);
      $('bilingual').checked = !!prefs.bilingual;
    } catch (err) {
      const note = $('engine-note');
      note.hidden = false;
      note.textContent = t('engine.loadFailed');
    }
  }

  function renderEngineOptions(selectedId) {
    const select = $('engine-select');
    const current = selectedId || select.value;
    select.replaceChildren(...engines.map((engine) => {
      let label = engine.id;
      if (!engine.available) label = t('engine.unavailable', { id: engine.id, reason: engine.reason || '?' });
      else if (engine.demo) label = t('engine.demo', { id: engine.id });
      const option = el('option', { value: engine.id, disabled: !engine.available }, label);
      option.selected = engine.id === current;
      return option;
    }));
    renderEngineNote();
  }

  function renderEngineNote() {
    const engine = engines.find((e) => e.id === $('engine-select').value);
    const note = $('engine-note');
    note.hidden = !(engine && engine.demo);
    note.textContent = note.hidden ? '' : t('engine.demoNote');
    note.classList.toggle('demo', !note.hidden);
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

  function setUpUpload() {
    const zone = $('drop-zone');
    const input = $('file-input');
    zone.addEventListener('click', () => input.click());
    zone.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        input.click();
      }
    });
    input.addEventListener('change', () => upload(input.files));
    zone.addEventListener('dragover', (e) => {
      e.preventDefault();
      zone.classList.add('dragging');
    });
    zone.addEventListener('dragleave', () => zone.classList.remove('dragging'));
    zone.addEventListener('drop', (e) => {
      e.preventDefault();
      zone.classList.remove('dragging');
      upload(e.dataTransfer && e.dataTransfer.files);
    });
    // A file dropped beside the zone would otherwise be opened by the browser, leaving the page.
    window.addEventListener('dragover', (e) => e.preventDefault());
    window.addEventListener('drop', (e) => e.preventDefault());
    $('engine-select').addEventListener('change', () => {
      renderEngineNote();
      renderLanguageOptions();
      savePrefs();
    });
    $('source-select').addEventListener('change', () => {
      renderLanguageOptions($('source-select').value);
      savePrefs();
    });
    $('target-select').addEventListener('change', savePrefs);
    $('bilingual').addEventListener('change', savePrefs);
    $('upload-form').addEventListener('submit', (e) => e.preventDefault());
  }

  // ---- language -------------------------------------------------------------------------

  function applyLanguage() {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
    const toggle = $('language-toggle');
    toggle.textContent = lang === 'zh' ? 'English' : '中文';
    toggle.lang = lang === 'zh' ? 'en' : 'zh';
    toggle.setAttribute('aria-label', t('language.switch') + ': ' + toggle.textContent);
    $('connection-text').textContent = t('connection.' + ($('connection').dataset.state || 'reconnecting'));
    renderNotifyButton();
    if (engines.length) {
      renderEngineOptions();
      renderLanguageOptions();
    }
    renderHistory();
    for (const row of myRows.values()) row.actionsKey = null;
    render();
  }

  function switchLanguage() {
    lang = lang === 'zh' ? 'en' : 'zh';
    writeStorage(STORAGE_KEYS.lang, lang);
    applyLanguage();
  }

  // ---- start ----------------------------------------------------------------------------

  function start() {
    setUpUpload();
    $('language-toggle').addEventListener('click', switchLanguage);
    $('notify-toggle').addEventListener('click', toggleNotifications);
    applyLanguage();
    client.subscribeToConnection(onConnection);
    client.subscribeToProgress(onTaskMessage);
    client.subscribeToQueue(onQueue);
    loadEngines();
    loadHistory();
    refreshAllMyTasks();
    setInterval(tick, 1000);
  }

  start();
})();
