/*
 * Every text of the page, in English and Chinese, and the formatting of numbers, sizes and times.
 * Templates take {name} parameters; a parameter never carries markup (texts reach the DOM as text).
 * Times inside sentences are formatted without "about": the sentence says it once (en "starts in
 * about 3 min", zh "约 3 分钟后开始"), so no language repeats it.
 */
import { readStorage, writeStorage } from './storage.js';

const LANG_KEY = 'translive.lang';

const MESSAGES = {
  en: {
    skipToContent: 'Skip to content',
    'connection.connected': 'Live',
    'connection.reconnecting': 'Reconnecting…',
    'connection.connecting': 'Connecting…',
    'connection.polling': 'Live (polling)',
    'connection.offline': 'Offline',
    'stale.title': 'Not connected to the server: what you see may be out of date.',
    'stale.detail': 'Times are paused; uploading, cancelling and downloading need the server. Reconnecting automatically…',
    'stale.reason': 'Needs the server, which is not reachable right now',
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
    'upload.formats': 'Formats:',
    'upload.pdfNote': 'A PDF or a scan comes back as a PDF with the translation in place.',
    'upload.sending': 'Uploading {count} ({size})…',
    'upload.queued': '{count} added to the queue.',
    'upload.refused': '{name} was not uploaded: {reason}',
    'upload.unsupported': 'this format is not supported',
    'upload.network': 'the server cannot be reached',
    'upload.files.one': '1 file',
    'upload.files.other': '{n} files',
    'estimate.title': 'Before translating {count}',
    'estimate.asking': 'Estimating time and cost…',
    'estimate.counts': '{segments} segments, {characters} characters',
    'estimate.cached': '{n} already translated before',
    'estimate.duration': 'takes about {time}',
    'estimate.startNow': 'starts right away',
    'estimate.cost': 'cost: {cost}',
    'estimate.free': 'free',
    'estimate.translate': 'Translate',
    'estimate.drop': 'Choose other files',
    'engine.demo': '{id} (demo: pseudo-translation)',
    'engine.more': 'More engines',
    'engine.moreIntro': 'These engines are not set up on this server:',
    'engine.demoNote': 'Demo engine: the result is a marked pseudo-translation for trying Translive out, not a real translation.',
    'engine.loadFailed': 'Engines could not be loaded; the server default will be used.',
    'running.title': 'Translating now',
    'running.empty': 'Nothing is being translated right now.',
    'running.segments': '{stage}: {done} / {total} segments',
    'running.eta': '{time} left',
    'running.etaRange': 'about {low}–{high} left',
    'running.estimating': 'estimating time left…',
    'running.progressLabel': 'Progress of {name}',
    yours: 'yours',
    'stage.extracting': 'Reading the document',
    'stage.deduplicating': 'Finding repeated text',
    'stage.translating': 'Translating',
    'stage.assembling': 'Writing the translated document',
    'stage.completed': 'Completed',
    'stage.failed': 'Failed',
    'stage.cancelled': 'Cancelled',
    'stage.paused': 'Paused',
    'stage.queued': 'Waiting',
    'stage.running': 'Translating',
    'stage.unknown': 'Unknown',
    'queue.title': 'Waiting in line',
    'queue.empty': 'The queue is empty.',
    'queue.wait': 'starts in about {time}',
    'queue.waitSoon': 'starts within a minute',
    'queue.yours': 'your task, position {position}',
    'queue.more': 'and {n} more waiting',
    'running.pausing': '{stage} · pausing at the next batch…',
    'queue.paused': 'paused at {percent}%',
    'mine.pause': 'Pause',
    'mine.pausing': 'Pausing…',
    'mine.resume': 'Resume',
    'mine.resuming': 'Resuming…',
    'mine.pausedAt': 'Paused at {percent}%; resume to continue where it stopped',
    'mine.pauseFailed': 'Could not pause: {message}',
    'mine.resumeFailed': 'Could not resume: {message}',
    'estimate.zip': 'a batch: each supported file in it becomes a task, estimated once queued',
    'batch.files': '{done} / {total} files done',
    'batch.progress': '{percent}% of the batch translated',
    'batch.progressEta': '{percent}% of the batch translated, about {time} left',
    'batch.done': 'Batch finished',
    'batch.doneWithFailed': 'Batch finished; {failed} files failed or were cancelled',
    'batch.gone': 'No longer known to the server (batches are forgotten when it restarts).',
    'batch.skipped': 'skipped {name}:',
    'batch.downloadAll': 'Download all (zip)',
    'mine.title': 'My tasks',
    'mine.empty': 'Files you upload from this browser appear here.',
    'mine.cancel': 'Cancel',
    'mine.cancelling': 'Cancelling…',
    'mine.confirm': 'Stop translating {name}? The work done so far is lost.',
    'mine.confirmYes': 'Stop translation',
    'mine.confirmNo': 'Keep translating',
    'mine.download': 'Download {name}',
    'mine.downloading': 'Downloading…',
    'mine.downloadFailed': 'Download failed: {message}',
    'mine.forget': 'Remove from list',
    'mine.clearFinished': 'Clear finished tasks',
    'mine.position': 'Position {position} in the queue, {wait}',
    'mine.positionOnly': 'Position {position} in the queue',
    'mine.progress': '{percent}% · {stage}',
    'mine.summary': '{pair} · {engine} · {date} · took {duration}',
    'mine.gone': 'No longer known to the server.',
    'mine.cancelFailed': 'Could not cancel: {message}',
    'mine.error': 'Error: {message}',
    'admin.title': 'Operator',
    'admin.key': 'Admin key',
    'admin.open': 'Open',
    'admin.hint': 'Kept in this tab only and forgotten when it closes.',
    'admin.lock': 'Forget the key',
    'admin.refresh': 'Refresh',
    'admin.pauseQueue': 'Pause the queue (drain)',
    'admin.resumeQueue': 'Resume the queue',
    'admin.queuePaused': 'The queue is paused: running tasks finish, nothing new starts.',
    'admin.queueRunning': 'The queue is running.',
    'admin.wrongKey': 'The admin key was refused.',
    'admin.failed': 'The server refused: {message}',
    'admin.client': 'Submitted by',
    'admin.empty': 'The server has no tasks.',
    'admin.priorityOf': 'Priority of {name}',
    'admin.priority.low': 'Low priority',
    'admin.priority.normal': 'Normal priority',
    'admin.priority.high': 'High priority',
    'history.title': 'Recent tasks',
    'history.caption': 'Duration of the last tasks, oldest on the left.',
    'history.count': 'Finished',
    'history.outcomes': 'Outcomes',
    'history.outcomeCounts': '{completed} completed, {failed} failed, {cancelled} cancelled',
    'history.successRate': 'Success rate',
    'history.successNote': 'cancelled tasks not counted',
    'history.avgDuration': 'Average duration',
    'history.throughput': 'Throughput',
    'history.segPerSec': '{value} segments/s',
    'history.none': '–',
    'history.axisY': 'duration',
    'history.axisOld': 'older',
    'history.axisNew': 'newer',
    'history.chartLabel': 'Durations of the last {n} tasks; the longest took {max}.',
    'history.empty': 'No finished tasks yet.',
    'announce.started': '{name}: translation started',
    'announce.progress': '{name}: {percent}%',
    'announce.finished': '{name}: {status}',
    'notification.title': 'Translation finished',
    'time.underMinute': 'under a minute',
    'time.minutes': '{m} min',
    'time.hours': '{h} h {m} min',
    'time.seconds': '{s} s',
    'time.minSec': '{m} min {s} s',
    'size.mb': '{value} MB',
    'pair': '{source} → {target}',
  },
  zh: {
    skipToContent: '跳到主要内容',
    'connection.connected': '实时连接',
    'connection.reconnecting': '正在重新连接…',
    'connection.connecting': '正在连接…',
    'connection.polling': '实时连接（轮询）',
    'connection.offline': '已离线',
    'stale.title': '与服务器的连接已断开，页面上的信息可能已过时。',
    'stale.detail': '计时已暂停；上传、取消和下载需要连接服务器。正在自动重新连接…',
    'stale.reason': '需要连接服务器，但目前无法连接',
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
    'upload.drop': '将文件拖放到这里，或点击选择文件',
    'upload.fileLabel': '要翻译的文档',
    'upload.formats': '支持的格式：',
    'upload.pdfNote': 'PDF 和扫描图片的译文会以 PDF 返回，译文位于原文位置。',
    'upload.sending': '正在上传 {count}（{size}）…',
    'upload.queued': '{count}已加入队列。',
    'upload.refused': '未上传 {name}：{reason}',
    'upload.unsupported': '不支持这种格式',
    'upload.network': '无法连接服务器',
    'upload.files.one': '1 个文件',
    'upload.files.other': '{n} 个文件',
    'estimate.title': '翻译前确认：{count}',
    'estimate.asking': '正在估算用时和费用…',
    'estimate.counts': '{segments} 段，{characters} 个字符',
    'estimate.cached': '其中 {n} 段以前已翻译过',
    'estimate.duration': '预计用时约 {time}',
    'estimate.startNow': '可立即开始',
    'estimate.cost': '费用：{cost}',
    'estimate.free': '免费',
    'estimate.translate': '开始翻译',
    'estimate.drop': '重新选择文件',
    'engine.demo': '{id}（演示：伪翻译）',
    'engine.more': '更多翻译引擎',
    'engine.moreIntro': '以下引擎尚未在此服务器上配置：',
    'engine.demoNote': '演示引擎：结果是带标记的伪翻译，仅供试用，并非真正的翻译。',
    'engine.loadFailed': '无法加载翻译引擎列表，将使用服务器的默认引擎。',
    'running.title': '正在翻译',
    'running.empty': '目前没有正在翻译的文件。',
    'running.segments': '{stage}：第 {done} / {total} 段',
    'running.eta': '还剩 {time}',
    'running.etaRange': '大约还剩 {low}–{high}',
    'running.estimating': '正在估算剩余时间…',
    'running.progressLabel': '{name} 的进度',
    yours: '我的',
    'stage.extracting': '读取文档',
    'stage.deduplicating': '查找重复内容',
    'stage.translating': '翻译中',
    'stage.assembling': '生成译文文档',
    'stage.completed': '已完成',
    'stage.failed': '失败',
    'stage.cancelled': '已取消',
    'stage.paused': '已暂停',
    'stage.queued': '排队中',
    'stage.running': '翻译中',
    'stage.unknown': '未知',
    'queue.title': '排队等候',
    'queue.empty': '队列中没有文件。',
    'queue.wait': '约 {time}后开始',
    'queue.waitSoon': '1 分钟内开始',
    'queue.yours': '我的任务，第 {position} 位',
    'queue.more': '还有 {n} 个文件在排队',
    'running.pausing': '{stage} · 将在当前这批完成后暂停…',
    'queue.paused': '已暂停，完成 {percent}%',
    'mine.pause': '暂停',
    'mine.pausing': '正在暂停…',
    'mine.resume': '继续',
    'mine.resuming': '正在恢复…',
    'mine.pausedAt': '已暂停，完成 {percent}%；点击“继续”可从中断处接着翻译',
    'mine.pauseFailed': '无法暂停：{message}',
    'mine.resumeFailed': '无法继续：{message}',
    'estimate.zip': '批量任务：压缩包中每个支持的文件各成为一个任务，加入队列后再估算',
    'batch.files': '已完成 {done} / {total} 个文件',
    'batch.progress': '整批已翻译 {percent}%',
    'batch.progressEta': '整批已翻译 {percent}%，大约还剩 {time}',
    'batch.done': '整批已结束',
    'batch.doneWithFailed': '整批已结束，其中 {failed} 个文件失败或被取消',
    'batch.gone': '服务器上已找不到这批任务（服务器重启后会忘记批量任务）。',
    'batch.skipped': '已跳过 {name}：',
    'batch.downloadAll': '全部下载（压缩包）',
    'mine.title': '我的任务',
    'mine.empty': '从这个浏览器上传的文件会显示在这里。',
    'mine.cancel': '取消',
    'mine.cancelling': '正在取消…',
    'mine.confirm': '要停止翻译 {name} 吗？已完成的部分将会丢失。',
    'mine.confirmYes': '停止翻译',
    'mine.confirmNo': '继续翻译',
    'mine.download': '下载 {name}',
    'mine.downloading': '正在下载…',
    'mine.downloadFailed': '下载失败：{message}',
    'mine.forget': '从列表中移除',
    'mine.clearFinished': '清除已结束的任务',
    'mine.position': '排在第 {position} 位，{wait}',
    'mine.positionOnly': '排在第 {position} 位',
    'mine.progress': '{percent}% · {stage}',
    'mine.summary': '{pair} · {engine} · {date} · 用时 {duration}',
    'mine.gone': '服务器上已找不到这个任务。',
    'mine.cancelFailed': '无法取消：{message}',
    'mine.error': '出错：{message}',
    'admin.title': '管理员',
    'admin.key': '管理密钥',
    'admin.open': '进入',
    'admin.hint': '密钥只保存在当前标签页中，关闭后即被清除。',
    'admin.lock': '清除密钥',
    'admin.refresh': '刷新',
    'admin.pauseQueue': '暂停队列（等待当前任务完成）',
    'admin.resumeQueue': '恢复队列',
    'admin.queuePaused': '队列已暂停：正在翻译的任务会完成，但不会开始新任务。',
    'admin.queueRunning': '队列正在运行。',
    'admin.wrongKey': '管理密钥不正确。',
    'admin.failed': '服务器拒绝了操作：{message}',
    'admin.client': '提交者',
    'admin.empty': '服务器上没有任务。',
    'admin.priorityOf': '{name} 的优先级',
    'admin.priority.low': '低优先级',
    'admin.priority.normal': '普通优先级',
    'admin.priority.high': '高优先级',
    'history.title': '最近的任务',
    'history.caption': '最近任务的用时，左边较早。',
    'history.count': '已结束',
    'history.outcomes': '结果',
    'history.outcomeCounts': '完成 {completed} 个，失败 {failed} 个，取消 {cancelled} 个',
    'history.successRate': '成功率',
    'history.successNote': '不计已取消的任务',
    'history.avgDuration': '平均用时',
    'history.throughput': '处理速度',
    'history.segPerSec': '每秒 {value} 段',
    'history.none': '–',
    'history.axisY': '用时',
    'history.axisOld': '较早',
    'history.axisNew': '较新',
    'history.chartLabel': '最近 {n} 个任务的用时，最长的用了 {max}。',
    'history.empty': '还没有已结束的任务。',
    'announce.started': '{name}：开始翻译',
    'announce.progress': '{name}：{percent}%',
    'announce.finished': '{name}：{status}',
    'notification.title': '翻译已结束',
    'time.underMinute': '不到 1 分钟',
    'time.minutes': '{m} 分钟',
    'time.hours': '{h} 小时 {m} 分钟',
    'time.seconds': '{s} 秒',
    'time.minSec': '{m} 分 {s} 秒',
    'size.mb': '{value} MB',
    'pair': '{source} → {target}',
    // Server refusals by error code; in Chinese these replace the server's English message.
    'error.bad_request': '请求无效（文件或设置有误）',
    'error.forbidden': '没有权限（任务令牌不正确）',
    'error.not_found': '找不到这个任务',
    'error.conflict': '任务目前的状态不允许这个操作',
    'error.too_large': '文件太大，超过了服务器允许的大小',
    'error.unsupported_format': '不支持这种格式',
    'error.unreadable_document': '无法读取这个文档（文件可能已损坏，或没有可提取的文字）',
    'error.too_many_requests': '提交太频繁，请稍后再试',
    'error.internal_error': '服务器出错，请稍后再试',
    'error.queue_full': '队列已满，请稍后再试',
    'error.insufficient_storage': '服务器磁盘空间不足',
  },
};

/** Keys that only some languages need (the others fall back to the server's own words). */
const OPTIONAL_PREFIXES = ['error.'];

let lang = chooseLanguage();

function chooseLanguage() {
  const saved = readStorage(LANG_KEY);
  if (saved === 'en' || saved === 'zh') return saved;
  return (navigator.language || 'en').toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

export function currentLanguage() {
  return lang;
}

export function setLanguage(next) {
  lang = next === 'zh' ? 'zh' : 'en';
  writeStorage(LANG_KEY, lang);
}

/** The text for key in the current language (English when a key has no translation yet). */
export function t(key, params) {
  const template = MESSAGES[lang][key] ?? MESSAGES.en[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (m, name) => (params && params[name] !== undefined ? String(params[name]) : m));
}

/** Whether the current language has its own text for key. */
export function hasText(key) {
  return MESSAGES[lang][key] !== undefined;
}

/** For tests and tooling: every key must exist in both languages. */
export function missingKeys() {
  const required = (k) => !OPTIONAL_PREFIXES.some((prefix) => k.startsWith(prefix));
  const en = Object.keys(MESSAGES.en).filter(required);
  const zh = Object.keys(MESSAGES.zh).filter(required);
  return en.filter((k) => !zh.includes(k)).concat(zh.filter((k) => !en.includes(k)));
}

function locale() {
  return lang === 'zh' ? 'zh-CN' : 'en';
}

export function languageName(code) {
  try {
    return new Intl.DisplayNames([locale()], { type: 'language' }).of(code) || code;
  } catch (err) {
    return code;
  }
}

export function stageLabel(stage) {
  return MESSAGES.en['stage.' + stage] ? t('stage.' + stage) : t('stage.unknown');
}

export function fileCount(n) {
  return n === 1 ? t('upload.files.one') : t('upload.files.other', { n });
}

export function formatNumber(n) {
  return new Intl.NumberFormat(locale()).format(n);
}

export function formatMegabytes(bytes) {
  const mb = bytes / (1024 * 1024);
  return t('size.mb', { value: mb < 10 ? mb.toFixed(1) : String(Math.round(mb)) });
}

export function formatCountdown(seconds) {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** A rough span without "about" ("3 min", "1 h 5 min"); the sentence around it says "about". */
export function formatRough(seconds) {
  const minutes = Math.max(1, Math.round(seconds / 60));
  if (minutes < 60) return t('time.minutes', { m: minutes });
  return t('time.hours', { h: Math.floor(minutes / 60), m: minutes % 60 });
}

/** "starts in about 3 min" / "约 3 分钟后开始", or within a minute. */
export function formatWait(seconds) {
  if (seconds == null) return '';
  return seconds < 60 ? t('queue.waitSoon') : t('queue.wait', { time: formatRough(seconds) });
}

/** "about 3–4 min" for an uncertain estimate; the bounds in whole minutes (or seconds when short). */
export function formatRange(low, high) {
  if (high < 90) {
    return t('running.etaRange', { low: String(Math.round(low)), high: t('time.seconds', { s: Math.round(high) }) });
  }
  const lo = Math.max(1, Math.floor(low / 60));
  const hi = Math.max(lo + 1, Math.ceil(high / 60));
  return t('running.etaRange', { low: String(lo), high: t('time.minutes', { m: hi }) });
}

export function formatDuration(seconds) {
  if (seconds == null) return t('history.none');
  if (seconds < 60) return t('time.seconds', { s: seconds < 10 ? seconds.toFixed(1) : Math.round(seconds) });
  if (seconds >= 3600) return t('time.hours', { h: Math.floor(seconds / 3600), m: Math.round((seconds % 3600) / 60) });
  return t('time.minSec', { m: Math.floor(seconds / 60), s: Math.round(seconds % 60) });
}

/** Date and time of an epoch-seconds instant, in the page's language. */
export function formatDateTime(epochSeconds) {
  if (epochSeconds == null) return t('history.none');
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(epochSeconds * 1000));
}
