// One job: its versions (run one, compare two side by side) and the tasks that ran it
// (GET /api/v1/jobs/{name}/versions, /diff, GET /api/v1/tasks?job=…).
import { h, fill, when, every } from '../util.js';
import { get } from '../api.js';
import { taskTable } from '../tasktable.js';
import { diffTable } from '../diff.js';
import { setDraft } from './run.js';

export function mount(root, [name]) {
  const error = h('div.banner.error', { hidden: true, role: 'alert', 'data-testid': 'job-error' });
  const rows = h('tbody', { 'data-testid': 'version-rows' });
  const from = h('select', { 'aria-label': 'Compare from version', 'data-testid': 'diff-from' });
  const to = h('select', { 'aria-label': 'Compare to version', 'data-testid': 'diff-to' });
  const diffBox = h('div.diff-box', { 'data-testid': 'diff-box' });
  const script = h('pre.code.script-view', { 'data-testid': 'version-script', hidden: true });
  const { table, render } = taskTable('job-tasks');
  const enc = encodeURIComponent(name);
  fill(
    root,
    h(
      'section.page.job',
      h('div.page-head', h('h1', 'Job ', h('code', name)), h('span.spacer'), h('a', { href: '#/jobs' }, 'All jobs')),
      error,
      h(
        'table.grid',
        h('thead', h('tr', ['Version', 'SHA-256', 'Pushed', 'By', 'Message', ''].map((t) => h('th', { scope: 'col' }, t)))),
        rows
      ),
      script,
      h('div.page-head', h('h2', 'Compare'), from, h('span', '→'), to),
      diffBox,
      h('div.page-head', h('h2', 'Tasks that ran it')),
      table
    )
  );

  let versions = [];
  let key = '';

  async function showDiff() {
    const a = from.value;
    const b = to.value;
    if (versions.length < 2) {
      fill(diffBox, h('p.muted', 'Push a second version to compare versions.'));
      return;
    }
    try {
      const d = await get(`jobs/${enc}/diff?from=${a}&to=${b}`);
      if (from.value !== a || to.value !== b) return;
      fill(diffBox, d.diff ? diffTable(d.diff, `${name}@${a}`, `${name}@${b}`) : h('p.muted', { 'data-testid': 'diff-same' }, `Versions ${a} and ${b} have the same script.`));
    } catch (e) {
      fill(diffBox, h('div.banner.error', `Could not compare: ${e.message}`));
    }
  }

  async function showScript(v) {
    try {
      const full = await get(`jobs/${enc}/versions/${v.version}`);
      script.hidden = false;
      script.textContent = full.script;
      script.dataset.version = String(v.version);
    } catch (e) {
      error.hidden = false;
      error.textContent = e.message;
    }
  }

  function run(v) {
    setDraft({ job: `${name}@${v.version}` });
    location.hash = '#/run';
  }

  async function load() {
    try {
      const [list, tasks] = await Promise.all([get(`jobs/${enc}/versions`), get(`tasks?${new URLSearchParams({ job: name, limit: '20', runs: 'false' })}`)]);
      error.hidden = true;
      versions = list;
      render(tasks, 'No task ran this job yet.');
    } catch (e) {
      error.hidden = false;
      error.textContent = e.status === 404 ? `No job ${name}.` : `Could not load job ${name}: ${e.message}`;
      return;
    }
    const k = versions.map((v) => v.version).join(',');
    if (k === key) return;
    key = k;
    const newest = [...versions].reverse();
    fill(
      rows,
      newest.map((v) =>
        h(
          'tr',
          { 'data-testid': 'version-row', 'data-version': v.version },
          h('td.num', String(v.version)),
          h('td.mono', { title: v.sha256 }, v.sha256.slice(0, 12)),
          h('td', when(v.created_at)),
          h('td', v.created_by || 'anonymous'),
          h('td', v.message || ''),
          h(
            'td.actions-cell',
            h('button', { type: 'button', 'data-testid': 'version-show', onclick: () => showScript(v) }, 'Script'),
            h('button.primary', { type: 'button', 'data-testid': 'version-run', onclick: () => run(v) }, 'Run…')
          )
        )
      )
    );
    const opts = () => newest.map((v) => h('option', { value: v.version }, `version ${v.version}`));
    fill(from, opts());
    fill(to, opts());
    if (versions.length > 1) {
      to.value = String(newest[0].version);
      from.value = String(newest[1].version);
    }
    showDiff();
  }

  from.addEventListener('change', showDiff);
  to.addEventListener('change', showDiff);
  return every(15000, load);
}
