// A table of tasks (as GET /api/v1/tasks?runs=false lists them): history, a job's or a schedule's
// recent tasks. Clicking a row opens the task.
import { h, fill, num, duration, span, when, ago, shortId } from './util.js';

export const FINAL = new Set(['SUCCEEDED', 'FAILED', 'ABORTED', 'KILLED']);
const ORDER = ['SUCCEEDED', 'FAILED', 'FAILED_TO_START', 'TIMED_OUT', 'LOST', 'KILLED', 'SKIPPED', 'RUNNING', 'WAITING'];
const TITLES = ['State', 'Task', 'Script', 'Targets', 'Created by', 'Created', 'Duration', 'Runs'];

function firstLine(t) {
  if (t.job) return `job ${t.job}@${t.job_version}`;
  // lists carry the script's size and hash instead of the script
  if (t.script == null && t.script_sha256) return `script ${t.script_sha256.slice(0, 8)}… (${num(t.script_bytes)} bytes)`;
  const script = t.script || '';
  const lines = script.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#!'));
  return lines[0] || script.split('\n')[0] || '';
}

function runsCell(t) {
  const c = t.counts || {};
  const total = Object.values(c).reduce((a, b) => a + b, 0) || (t.runs || []).length;
  const bar = h('span.progress.mini');
  for (const s of ORDER) {
    if (!c[s]) continue;
    const seg = h(`span.seg.state-${s}`, { title: `${s}: ${c[s]}` });
    seg.style.width = `${(100 * c[s]) / (total || 1)}%`;
    bar.append(seg);
  }
  const text = ORDER.filter((s) => c[s]).map((s) => h(`span.count.state-${s}`, { title: s }, `${num(c[s])} ${s.toLowerCase().replace('_', ' ')}`));
  return h('td.runs', h('div', bar, h('span.total', num(total))), h('div.counts', text));
}

/** A table element and render(tasks, emptyContent) that fills it. */
export function taskTable(testid = 'history-rows') {
  const tbody = h('tbody', { 'data-testid': testid });
  const table = h('table.grid.history-table', h('thead', h('tr', TITLES.map((t) => h('th', { scope: 'col' }, t)))), tbody);
  function render(tasks, empty) {
    if (!tasks.length) {
      fill(tbody, h('tr', h('td.empty', { colspan: TITLES.length }, empty)));
      return;
    }
    const now = Date.now();
    fill(
      tbody,
      tasks.map((t) => {
        const href = `#/tasks/${encodeURIComponent(t.id)}`;
        const tr = h(
          'tr.task-row',
          { 'data-testid': 'history-row', 'data-task-id': t.id, 'data-state': t.state },
          h('td', h(`span.badge.state-${t.state}`, t.state)),
          h('td', h('a.mono', { href, title: t.id }, shortId(t.id))),
          h('td.script-cell.mono', { title: t.script || '' }, firstLine(t)),
          h('td.mono.targets-cell', { title: (t.targets || []).join(' ') }, (t.targets || []).join(' ')),
          h('td', t.created_by || h('span.muted', 'anonymous')),
          h('td', { title: when(t.created_at) }, ago(t.created_at, now)),
          h('td.num', FINAL.has(t.state) ? duration(span(t.created_at, t.finished_at)) : h('span.muted', `${duration(span(t.created_at, null, now))}…`)),
          runsCell(t)
        );
        tr.addEventListener('click', (e) => {
          if (!e.target.closest('a')) location.hash = href;
        });
        if (t.reason) tr.title = t.reason;
        return tr;
      })
    );
  }
  return { table, render };
}

/** A local date (yyyy-mm-dd from a date input) as the ISO instant of its local midnight, days later. */
export function localDay(value, days = 0) {
  if (!value) return '';
  const [y, m, d] = value.split('-').map(Number);
  return new Date(y, m - 1, d + days).toISOString();
}
