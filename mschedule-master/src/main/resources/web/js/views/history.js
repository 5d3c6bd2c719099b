// History: recent tasks, newest first.
import { h, fill, num, duration, span, when, ago, shortId, every } from '../util.js';
import { get } from '../api.js';

const FINAL = new Set(['SUCCEEDED', 'FAILED', 'ABORTED', 'KILLED']);
const ORDER = ['SUCCEEDED', 'FAILED', 'FAILED_TO_START', 'TIMED_OUT', 'LOST', 'KILLED', 'SKIPPED', 'RUNNING', 'WAITING'];
let limit = 50;

function firstLine(script) {
  const lines = (script || '').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#!'));
  return lines[0] || (script || '').split('\n')[0] || '';
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

export function mount(root) {
  const tbody = h('tbody', { 'data-testid': 'history-rows' });
  const error = h('div.banner.error', { hidden: true, role: 'alert' });
  const limitSel = h(
    'select',
    { 'aria-label': 'How many tasks', 'data-testid': 'history-limit' },
    [50, 200, 1000].map((n) => h('option', { value: n }, `Last ${n}`))
  );
  limitSel.value = String(limit);
  const updated = h('span.muted.small');
  fill(
    root,
    h(
      'section.page.history',
      h('div.page-head', h('h1', 'History'), h('span.spacer'), updated, limitSel),
      error,
      h(
        'table.grid.history-table',
        h('thead', h('tr', ['State', 'Task', 'Script', 'Targets', 'Created by', 'Created', 'Duration', 'Runs'].map((t) => h('th', { scope: 'col' }, t)))),
        tbody
      )
    )
  );

  let tasks = [];
  let at = 0;

  function render() {
    if (!tasks.length) {
      fill(tbody, h('tr', h('td.empty', { colspan: 8 }, 'No task yet. ', h('a', { href: '#/run' }, 'Run a script'), '.')));
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
          h('td.script-cell.mono', { title: t.script }, firstLine(t.script)),
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

  async function load() {
    try {
      tasks = await get(`tasks?limit=${limit}&runs=false`);
      at = Date.now();
      error.hidden = true;
      render();
    } catch (e) {
      error.hidden = false;
      error.textContent = `Could not load tasks: ${e.message}`;
    }
    updated.textContent = at ? `Updated ${ago(new Date(at).toISOString())}` : '';
  }

  limitSel.addEventListener('change', () => {
    limit = Number(limitSel.value);
    load();
  });
  // every 5 s while a listed task runs, else every 15 s
  const stop = every(() => (tasks.some((t) => !FINAL.has(t.state)) ? 5000 : 15000), load);
  return stop;
}
