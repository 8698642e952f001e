/*
 * "Recent tasks": outcome counts (cancelled apart from failed), success rate of the tasks that ran
 * to an end, and a bar chart of durations with its axes labelled.
 */
import { $, el, svg } from './dom.js';
import { getJson } from './api.js';
import { t, stageLabel, formatDuration } from './i18n.js';
import { getState, setHistory } from './store.js';

const CHART_TASKS = 30;
let refreshTimer = null;

export async function loadHistory() {
  try {
    const result = await getJson('/api/history');
    if (result.ok && result.body) setHistory(result.body);
  } catch (err) {
    /* keep what is shown; the connection banner says why */
  }
}

/** Finished tasks arrive in bursts; one request after the burst is enough. */
export function scheduleHistoryRefresh() {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(loadHistory, 500);
}

export function renderHistory() {
  const history = getState().history;
  const tasks = (history && history.tasks) || [];
  const stats = (history && history.stats) || {};
  const count = (status) => tasks.filter((x) => x.status === status).length;
  const completed = count('completed');
  const failed = count('failed');
  const cancelled = count('cancelled');
  const none = t('history.none');
  // A cancelled task is the user's choice, not a failure: the rate counts tasks that ran to an end.
  const ended = completed + failed;
  const items = [
    [t('history.count'), String(tasks.length)],
    [t('history.outcomes'), t('history.outcomeCounts', { completed, failed, cancelled }), null, true],
    [t('history.successRate'), ended > 0 ? Math.round((completed / ended) * 100) + '%' : none, cancelled > 0 ? t('history.successNote') : null],
    [t('history.avgDuration'), formatDuration(stats.average_duration_seconds)],
    [t('history.throughput'), stats.throughput_segments_per_second != null
      ? t('history.segPerSec', { value: stats.throughput_segments_per_second.toFixed(1) }) : none],
  ];
  $('history-stats').replaceChildren(...items.map(([label, value, note, wide]) =>
    el('div', { className: wide ? 'stat stat-wide' : 'stat' },
      el('dt', {}, label), el('dd', {}, value, note ? el('small', { className: 'stat-note' }, ' (' + note + ')') : null))));
  renderChart(tasks.slice(0, CHART_TASKS).reverse());
}

/** Bars of task durations, coloured by outcome, each with a tooltip naming the file; labelled axes beside it. */
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
  // Axis labels are HTML around the chart: text inside a stretched SVG would be distorted.
  const yAxis = el('div', { className: 'chart-y', 'aria-hidden': 'true' },
    el('span', { className: 'chart-y-max' }, formatDuration(max)),
    el('span', { className: 'chart-y-title' }, t('history.axisY')),
    el('span', { className: 'chart-y-zero' }, '0'));
  const xAxis = el('div', { className: 'chart-x', 'aria-hidden': 'true' },
    el('span', {}, '← ' + t('history.axisOld')), el('span', {}, t('history.axisNew') + ' →'));
  container.replaceChildren(el('div', { className: 'chart-body' }, yAxis, chart), xAxis);
}
