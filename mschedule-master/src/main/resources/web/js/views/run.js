// Run: a script, its targets (with a live count of the agents they match) and its limits.
import { h, fill, num, debounce } from '../util.js';
import { get, post } from '../api.js';
import { scriptEditor } from '../editor.js';
import { watchFleet } from '../fleetstore.js';
import { parseTargets, targetCounter, resolveParallel } from '../targets.js';
import { VirtualList, setText } from '../vlist.js';
import { toast } from '../dialogs.js';

const FIELDS = ['job', 'script', 'targets', 'parallel', 'fail_rate', 'fail_count', 'timeout'];
const EXAMPLE = '#!/bin/sh\n# Runs with /bin/sh unless the first line is a #! line.\nhostname\nuptime\n';

// The form's content, kept while the console is open (and for the tab's session).
let draft = loadDraft();

function loadDraft() {
  const d = { job: '', script: EXAMPLE, targets: 'all', parallel: '', fail_rate: '', fail_count: '', timeout: '0' };
  try {
    Object.assign(d, JSON.parse(sessionStorage.getItem('mschedule.draft') || '{}'));
  } catch (e) {
    // none saved
  }
  return d;
}

function saveDraft() {
  try {
    sessionStorage.setItem('mschedule.draft', JSON.stringify(draft));
  } catch (e) {
    // storage full or disabled
  }
}

/** Pre-fills the form (from the fleet's selection, or "Run again" on a task). */
export function setDraft(values) {
  draft = { ...draft, ...values };
  saveDraft();
}

/** A number field's JSON value: a number when it reads as one, else the text (the master explains). */
function numberValue(text, integer) {
  const s = text.trim();
  if (s === '') return undefined;
  const re = integer ? /^[+-]?\d+$/ : /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
  return re.test(s) ? Number(s) : s;
}

export function mount(root) {
  const errors = {};
  const fieldError = (name) => (errors[name] = h(`div.field-error#error-${name}`, { 'data-testid': `error-${name}`, role: 'alert', hidden: true }));
  const formError = h('div.banner.error', { 'data-testid': 'error-form', role: 'alert', hidden: true });

  const editor = scriptEditor({
    id: 'script',
    value: draft.script,
    label: 'Script',
    onSubmit: () => form.requestSubmit(),
    onChange: (v) => {
      draft.script = v;
      saveDraftSoon();
    },
  });
  const job = h('input#job.mono', {
    type: 'text',
    value: draft.job || '',
    autocomplete: 'off',
    spellcheck: 'false',
    placeholder: 'NAME or NAME@N (empty: run the script below)',
    'data-testid': 'job',
    'aria-describedby': 'job-help error-job',
  });
  const targets = h('input#targets.mono', {
    type: 'text',
    value: draft.targets,
    autocomplete: 'off',
    spellcheck: 'false',
    placeholder: 'all, role=web, web-*, or agent ids',
    'data-testid': 'targets',
    'aria-describedby': 'targets-help error-targets',
  });
  const input = (name, attrs) =>
    h(`input#${name}.mono`, { type: 'text', value: draft[name], autocomplete: 'off', 'data-testid': name, 'aria-describedby': `${name}-help error-${name}`, ...attrs });
  const parallel = input('parallel', { inputmode: 'text' });
  const failRate = input('fail_rate', { inputmode: 'decimal' });
  const failCount = input('fail_count', { inputmode: 'numeric' });
  const timeout = input('timeout', { inputmode: 'numeric' });
  const parallelHelp = h('div.hint#parallel-help', 'Runs at a time: N, 0 for all at once, or N% of the targets.');
  // empty = the master's default-parallel setting
  let defaultParallel = '5';
  parallel.placeholder = `default: ${defaultParallel}`;
  get('info')
    .then((info) => {
      defaultParallel = String(info.default_parallel);
      parallel.placeholder = `default: ${defaultParallel}`;
      recount();
    })
    .catch(() => {});

  const count = h('div.match', { 'data-testid': 'target-count', 'aria-live': 'polite' });
  const perTarget = h('ul.per-target', { 'data-testid': 'target-breakdown' });
  const suggestions = h('div.suggest');
  const matchedChips = h('div.host-chips');
  const matchedList = h('details.matched-hosts', { 'data-testid': 'matched-hosts' }, h('summary', 'Matching hosts'), matchedChips);
  const submit = h('button.primary', { type: 'submit', 'data-testid': 'submit' }, 'Run');

  const field = (name, label, control, help) =>
    h('div.field', { 'data-field': name }, h('label', { for: name }, label), control, help, fieldError(name));

  const form = h(
    'form.run-form',
    { novalidate: true, 'data-testid': 'run-form', autocomplete: 'off' },
    formError,
    field(
      'job',
      'Job',
      job,
      h('div.hint#job-help', 'Run a stored job version instead of a script: NAME (its newest version) or NAME@N. See the Jobs page.')
    ),
    field(
      'script',
      'Script',
      editor.root,
      h('div.hint', 'Runs with /bin/sh unless it starts with #! (e.g. #!/usr/bin/env python3). Tab indents, Ctrl+Enter runs.')
    ),
    field(
      'targets',
      'Targets',
      h(
        'div.target-row',
        targets,
        h('button', { type: 'button', 'data-testid': 'targets-all', onclick: () => setTargets('all') }, 'All'),
        h('button', { type: 'button', 'data-testid': 'pick-agents', onclick: () => pickAgents() }, 'Pick agents…')
      ),
      h(
        'div#targets-help',
        h('div.hint', 'Separate targets with spaces or commas: all, an agent id, a label k=v, or a name or hostname glob with * and ?; join terms with : (or), :& (and), :! (not), e.g. web*:&dc=east:!web-03. Online agents matching any target run the script.'),
        count,
        perTarget,
        suggestions,
        matchedList
      )
    ),
    h(
      'div.limits',
      field('parallel', 'Parallel', parallel, parallelHelp),
      field('fail_rate', 'Fail rate', failRate, h('div.hint#fail_rate-help', 'Abort once more than this share of runs failed (0–1); empty: no rate threshold.')),
      field('fail_count', 'Fail count', failCount, h('div.hint#fail_count-help', 'Abort once more runs than this failed; empty: no count threshold; -1 never aborts.')),
      field('timeout', 'Timeout (s)', timeout, h('div.hint#timeout-help', 'Kill a run after this many seconds; 0 for none.'))
    ),
    h('div.actions', submit, h('span.muted', 'The task page opens and follows the runs live.'))
  );

  fill(root, h('section.page.run', h('div.page-head', h('h1', 'Run a script')), form));

  let agents = [];
  let matched = [];
  const saveDraftSoon = debounce(saveDraft, 300);

  function setTargets(text) {
    targets.value = text;
    draft.targets = text;
    saveDraft();
    recount();
    targets.focus();
  }

  const countTargets = targetCounter();
  const askMaster = debounce(async (list) => {
    const r = await countTargets(list);
    if (r) show(list, r);
  }, 150);

  function recount() {
    const list = parseTargets(targets.value);
    if (!list.length) {
      show(list, { agents: [], pending: 0, errors: [] });
      return;
    }
    askMaster(list);
  }

  function show(list, r) {
    const online = agents.filter((a) => a.state === 'online').length;
    matched = r.agents;
    count.dataset.count = String(matched.length);
    count.classList.toggle('bad', matched.length === 0 || r.errors.length > 0);
    if (!list.length) fill(count, 'No targets yet.');
    else
      fill(
        count,
        h('b', num(matched.length)),
        ` of ${num(online)} online agent${online === 1 ? '' : 's'} match`,
        r.pending ? ` (and ${num(r.pending)} whose key is pending)` : ''
      );
    fill(perTarget, r.errors.length ? r.errors.map((e) => h('li.none', e, ' (the master refuses the task)')) : null);
    const p = resolveParallel(parallel.value, matched.length, defaultParallel);
    setText(
      parallelHelp,
      p == null
        ? 'Runs at a time: N, 0 for all at once, or N% of the targets.'
        : `Runs at a time: N, 0 for all at once, or N% of the targets. Now: ${p === 0 || p >= matched.length ? 'all' : num(p)} at a time.`
    );
    submit.textContent = matched.length ? `Run on ${num(matched.length)} agent${matched.length === 1 ? '' : 's'}` : 'Run';
    matchedList.hidden = matched.length === 0;
    const key = matched.slice(0, 200).map((a) => a.id).join(',') + matched.length;
    if (matchedChips._key !== key) {
      matchedChips._key = key;
      fill(
        matchedChips,
        matched.slice(0, 200).map((a) => h('span.chip', { title: a.id }, a.name || a.hostname)),
        matched.length > 200 ? h('span.muted', ` and ${num(matched.length - 200)} more`) : null
      );
    }
  }

  function suggest() {
    const labels = new Map();
    for (const a of agents) {
      if (a.state !== 'online') continue;
      for (const [k, v] of Object.entries(a.labels || {})) {
        const l = `${k}=${v}`;
        labels.set(l, (labels.get(l) || 0) + 1);
      }
    }
    // labels shared by several agents first; one-agent labels (ids in disguise) only in small fleets
    let keys = [...labels.keys()];
    if (keys.length > 12) keys = keys.filter((k) => labels.get(k) > 1);
    keys = keys.sort((a, b) => labels.get(b) - labels.get(a) || a.localeCompare(b)).slice(0, 24);
    const key = keys.map((k) => `${k}:${labels.get(k)}`).join(',');
    if (suggestions._key === key) return;
    suggestions._key = key;
    fill(
      suggestions,
      keys.length ? h('span.muted', 'Labels: ') : null,
      keys.map((l) =>
        h(
          'button.chip',
          {
            type: 'button',
            title: `Add target ${l}`,
            onclick: () => {
              const cur = parseTargets(targets.value).filter((t) => t !== 'all');
              if (!cur.includes(l)) cur.push(l);
              setTargets(cur.join(' '));
            },
          },
          `${l} (${num(labels.get(l))})`
        )
      )
    );
  }

  function pickAgents() {
    const current = parseTargets(targets.value);
    const byId = new Map(agents.map((a) => [a.id, a]));
    const picked = new Set(current.filter((t) => byId.has(t)));
    const others = current.filter((t) => !byId.has(t) && t !== 'all');
    const online = agents.filter((a) => a.state === 'online');
    const filter = h('input', { type: 'search', placeholder: 'Filter hostnames', 'aria-label': 'Filter hostnames', 'data-testid': 'picker-filter' });
    const viewport = h('div.tbody.picker-list', { 'data-testid': 'picker-list' });
    const total = h('span.muted');
    const done = h('button.primary', { type: 'submit', 'data-testid': 'picker-done' }, 'Use selected');
    const d = h(
      'dialog.modal.picker',
      { 'data-testid': 'picker' },
      h(
        'form',
        { method: 'dialog' },
        h('h2', 'Pick agents'),
        h('div.toolbar', filter, total),
        viewport,
        h('div.actions', h('button', { type: 'button', onclick: () => d.close() }, 'Cancel'), done)
      )
    );
    document.body.append(d);
    const vl = new VirtualList({
      viewport,
      rowHeight: 30,
      createRow: () => {
        const box = h('input', { type: 'checkbox' });
        const row = h('label.row.pick', { 'data-testid': 'picker-row' }, box, h('span.host'), h('span.muted.mono'));
        box.addEventListener('change', () => {
          if (box.checked) picked.add(row._a.id);
          else picked.delete(row._a.id);
          setText(total, `${num(picked.size)} selected`);
        });
        return row;
      },
      renderRow: (row, a) => {
        row._a = a;
        row.children[0].checked = picked.has(a.id);
        setText(row.children[1], a.hostname);
        setText(row.children[2], (a.ip || [])[0] || '');
      },
    });
    const apply = () => {
      const q = filter.value.trim().toLowerCase();
      vl.setItems(q ? online.filter((a) => (a.hostname || '').toLowerCase().includes(q) || a.id.startsWith(q)) : online);
      setText(total, `${num(picked.size)} selected`);
    };
    filter.addEventListener('input', apply);
    d.querySelector('form').addEventListener('submit', (e) => {
      e.preventDefault();
      setTargets([...others, ...[...picked]].join(' ') || 'all');
      d.close();
    });
    d.addEventListener('close', () => {
      vl.destroy();
      d.remove();
    });
    d.showModal();
    apply();
    filter.focus();
  }

  const clearErrors = () => {
    for (const f of FIELDS) {
      errors[f].hidden = true;
      errors[f].textContent = '';
      const c = form.querySelector(`[data-field="${f}"]`);
      if (c) c.classList.remove('invalid');
    }
    formError.hidden = true;
  };

  const showError = (field, message) => {
    if (field && errors[field]) {
      errors[field].textContent = message;
      errors[field].hidden = false;
      const c = form.querySelector(`[data-field="${field}"]`);
      c.classList.add('invalid');
      const control = c.querySelector('textarea, input');
      if (control) {
        control.setAttribute('aria-invalid', 'true');
        control.focus();
      }
    } else {
      formError.textContent = message;
      formError.hidden = false;
    }
  };

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors();
    const body = job.value.trim() ? { job: job.value.trim() } : { script: editor.value };
    body.targets = parseTargets(targets.value);
    const p = parallel.value.trim();
    if (p !== '') body.parallel = /^[+-]?\d+$/.test(p) ? Number(p) : p;
    for (const [name, el, integer] of [['fail_rate', failRate, false], ['fail_count', failCount, true], ['timeout', timeout, true]]) {
      const v = numberValue(el.value, integer);
      if (v !== undefined) body[name] = v;
    }
    submit.disabled = true;
    try {
      const task = await post('tasks', body);
      location.hash = `#/tasks/${encodeURIComponent(task.id)}`;
    } catch (err) {
      if (err.status === 0) toast(err.message, 'error');
      showError(err.field, err.message);
    } finally {
      submit.disabled = false;
    }
  });

  const scriptField = form.querySelector('[data-field="script"]');
  const showScript = () => {
    scriptField.hidden = !!job.value.trim();
  };
  showScript();
  job.addEventListener('input', showScript);

  for (const [name, el] of [['job', job], ['targets', targets], ['parallel', parallel], ['fail_rate', failRate], ['fail_count', failCount], ['timeout', timeout]]) {
    el.addEventListener('input', () => {
      draft[name] = el.value;
      saveDraftSoon();
      errors[name].hidden = true;
      el.closest('.field').classList.remove('invalid');
      el.removeAttribute('aria-invalid');
      if (name === 'targets' || name === 'parallel') recount();
    });
  }
  editor.textarea.addEventListener('input', () => {
    errors.script.hidden = true;
    editor.root.closest('.field').classList.remove('invalid');
  });

  const stop = watchFleet((f) => {
    if (!f.loaded) return;
    agents = f.agents;
    recount();
    suggest();
  });
  recount();
  if (job.value.trim()) targets.focus();
  else editor.focus();
  return () => {
    stop();
    saveDraft();
  };
}
