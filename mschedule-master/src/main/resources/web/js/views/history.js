// History: recent tasks, newest first, filtered by state, submitter, target and creation date
// (the filters of GET /api/v1/tasks).
import { h, fill, ago, every, debounce } from '../util.js';
import { get } from '../api.js';
import { taskTable, localDay, FINAL } from '../tasktable.js';

const STATES = ['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'ABORTED', 'KILLED'];
const ui = { limit: 50, state: '', user: '', target: '', from: '', to: '' }; // kept across visits

export function mount(root) {
  const { table, render } = taskTable();
  const error = h('div.banner.error', { hidden: true, role: 'alert', 'data-testid': 'history-error' });
  const limitSel = h(
    'select',
    { 'aria-label': 'How many tasks', 'data-testid': 'history-limit' },
    [50, 200, 1000].map((n) => h('option', { value: n }, `Last ${n}`))
  );
  const stateSel = h(
    'select',
    { 'aria-label': 'State', 'data-testid': 'history-state' },
    h('option', { value: '' }, 'Any state'),
    STATES.map((s) => h('option', { value: s }, s))
  );
  const user = h('input', { type: 'search', placeholder: 'Created by', 'aria-label': 'Created by (token name)', 'data-testid': 'history-user' });
  const target = h('input', { type: 'search', placeholder: 'Target contains', 'aria-label': 'Target contains', 'data-testid': 'history-target' });
  const from = h('input', { type: 'date', 'aria-label': 'Created from', 'data-testid': 'history-from' });
  const to = h('input', { type: 'date', 'aria-label': 'Created until (inclusive)', 'data-testid': 'history-to' });
  limitSel.value = String(ui.limit);
  stateSel.value = ui.state;
  user.value = ui.user;
  target.value = ui.target;
  from.value = ui.from;
  to.value = ui.to;
  const updated = h('span.muted.small');
  fill(
    root,
    h(
      'section.page.history',
      h('div.page-head', h('h1', 'History'), h('span.spacer'), updated, limitSel),
      h('div.toolbar.filters', stateSel, user, target, h('label.small', 'From ', from), h('label.small', 'to ', to)),
      error,
      table
    )
  );

  let tasks = [];
  let at = 0;
  let seq = 0;

  function query() {
    const p = new URLSearchParams({ limit: String(ui.limit), runs: 'false' });
    if (ui.state) p.set('state', ui.state);
    if (ui.user.trim()) p.set('created_by', ui.user.trim());
    if (ui.target.trim()) p.set('target', ui.target.trim());
    if (ui.from) p.set('since', localDay(ui.from));
    if (ui.to) p.set('until', localDay(ui.to, 1));
    return p.toString();
  }

  const filtered = () => ui.state || ui.user.trim() || ui.target.trim() || ui.from || ui.to;

  async function load() {
    const mine = ++seq;
    try {
      const list = await get(`tasks?${query()}`);
      if (mine !== seq) return; // a newer filter answered first
      tasks = list;
      at = Date.now();
      error.hidden = true;
      render(tasks, filtered() ? 'No task matches these filters.' : h('span', 'No task yet. ', h('a', { href: '#/run' }, 'Run a script'), '.'));
      table.dataset.query = query();
    } catch (e) {
      if (mine !== seq) return;
      error.hidden = false;
      error.textContent = `Could not load tasks: ${e.message}`;
    }
    updated.textContent = at ? `Updated ${ago(new Date(at).toISOString())}` : '';
  }

  const reload = debounce(load, 250);
  const bind = (el, key, ev, fn) =>
    el.addEventListener(ev, () => {
      ui[key] = key === 'limit' ? Number(el.value) : el.value;
      fn();
    });
  bind(limitSel, 'limit', 'change', load);
  bind(stateSel, 'state', 'change', load);
  bind(from, 'from', 'change', load);
  bind(to, 'to', 'change', load);
  bind(user, 'user', 'input', reload);
  bind(target, 'target', 'input', reload);
  // every 5 s while a listed task runs, else every 15 s
  const stop = every(() => (tasks.some((t) => !FINAL.has(t.state)) ? 5000 : 15000), load);
  return stop;
}
