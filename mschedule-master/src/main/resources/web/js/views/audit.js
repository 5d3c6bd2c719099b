// Audit log (admin): who did what, newest first, filtered by actor, action and date
// (GET /api/v1/audit).
import { h, fill, when, ago, debounce } from '../util.js';
import { get } from '../api.js';
import { localDay } from '../tasktable.js';

const ACTIONS = ['task', 'task.submit', 'task.kill', 'task.rerun', 'job', 'schedule', 'token', 'token.create', 'token.revoke', 'key', 'agent.remove', 'backup.create', 'login.fail'];
const ui = { actor: '', action: '', from: '', to: '', limit: 100 };

export function mount(root) {
  const tbody = h('tbody', { 'data-testid': 'audit-rows' });
  const error = h('div.banner.error', { hidden: true, role: 'alert', 'data-testid': 'audit-error' });
  const actor = h('input', { type: 'search', placeholder: 'Actor (token name)', 'aria-label': 'Actor', 'data-testid': 'audit-actor', value: ui.actor });
  const action = h('input', { type: 'search', placeholder: 'Action (task.kill, or task for all task.*)', 'aria-label': 'Action', list: 'audit-actions', 'data-testid': 'audit-action', value: ui.action });
  const actions = h('datalist#audit-actions', ACTIONS.map((a) => h('option', { value: a })));
  const from = h('input', { type: 'date', 'aria-label': 'From', 'data-testid': 'audit-from', value: ui.from });
  const to = h('input', { type: 'date', 'aria-label': 'Until (inclusive)', 'data-testid': 'audit-to', value: ui.to });
  const limitSel = h('select', { 'aria-label': 'How many entries', 'data-testid': 'audit-limit' }, [100, 500, 1000].map((n) => h('option', { value: n }, `Last ${n}`)));
  limitSel.value = String(ui.limit);
  fill(
    root,
    h(
      'section.page.audit',
      h('div.page-head', h('h1', 'Audit log'), h('span.spacer'), limitSel),
      h('div.toolbar.filters', actor, action, actions, h('label.small', 'From ', from), h('label.small', 'to ', to)),
      error,
      h('table.grid', h('thead', h('tr', ['When', 'Actor', 'Action', 'Target', 'Detail'].map((t) => h('th', { scope: 'col' }, t)))), tbody)
    )
  );

  let seq = 0;
  async function load() {
    const mine = ++seq;
    const p = new URLSearchParams({ limit: String(ui.limit) });
    if (ui.actor.trim()) p.set('actor', ui.actor.trim());
    if (ui.action.trim()) p.set('action', ui.action.trim());
    if (ui.from) p.set('since', localDay(ui.from));
    if (ui.to) p.set('until', localDay(ui.to, 1));
    try {
      const rows = await get(`audit?${p}`);
      if (mine !== seq) return;
      error.hidden = true;
      const now = Date.now();
      fill(
        tbody,
        rows.length
          ? rows.map((e) =>
              h(
                'tr',
                { 'data-testid': 'audit-row', 'data-action': e.action, 'data-actor': e.actor },
                h('td', { title: when(e.at) }, `${when(e.at)} (${ago(e.at, now)})`),
                h('td', e.actor),
                h('td.mono', e.action),
                h('td.mono', e.target || ''),
                h('td.detail-cell', { title: e.detail || '' }, e.detail || '')
              )
            )
          : h('tr', h('td.empty', { colspan: 5 }, 'No entry matches.'))
      );
    } catch (e) {
      if (mine !== seq) return;
      error.hidden = false;
      error.textContent = `Could not load the audit log: ${e.message}`;
    }
  }

  const reload = debounce(load, 250);
  for (const [el, key, ev] of [[actor, 'actor', 'input'], [action, 'action', 'input'], [from, 'from', 'change'], [to, 'to', 'change'], [limitSel, 'limit', 'change']]) {
    el.addEventListener(ev, () => {
      ui[key] = key === 'limit' ? Number(el.value) : el.value;
      if (ev === 'input') reload();
      else load();
    });
  }
  load();
}
