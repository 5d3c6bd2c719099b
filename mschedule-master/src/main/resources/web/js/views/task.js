// Task page: state, progress, one row per host, and the selected host's output, all following the
// task's event stream (GET /api/v1/tasks/{id}/events). Events are queued as they arrive and
// applied once per animation frame, so thousands of updates a second cost one repaint each frame.
import { h, fill, num, duration, span, when, shortId, frameScheduler, stripAnsi, debounce } from '../util.js';
import { VirtualList, setText } from '../vlist.js';
import { events, get, post, ApiError } from '../api.js';
import { confirmDialog, toast } from '../dialogs.js';
import { matches } from '../targets.js';
import { setDraft } from './run.js';

const ROW = 30;
const FINAL_TASK = new Set(['SUCCEEDED', 'FAILED', 'ABORTED', 'KILLED']);
// what "rerun failed hosts" runs again (as POST /api/v1/tasks/{id}/rerun with hosts=failed)
const RERUN_STATES = new Set(['FAILED', 'FAILED_TO_START', 'TIMED_OUT', 'LOST', 'SKIPPED']);
const RUN_STATES = ['WAITING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'FAILED_TO_START', 'TIMED_OUT', 'KILLED', 'LOST', 'SKIPPED'];
const DONE = new Set(['SUCCEEDED', 'FAILED', 'FAILED_TO_START', 'TIMED_OUT', 'KILLED', 'LOST', 'SKIPPED']);
// progress bar segments, in order
const SEGMENTS = ['SUCCEEDED', 'FAILED', 'FAILED_TO_START', 'TIMED_OUT', 'LOST', 'KILLED', 'SKIPPED', 'RUNNING'];
// Output kept in the page per host: 4 Mi characters, less on big tasks so that all hosts together
// stay within about 64 Mi characters (but at least 32 Ki each). Past the limit the oldest half goes.
const MAX_KEEP = 4 << 20;
const MIN_KEEP = 32 << 10;
const TOTAL_KEEP = 64 << 20;

let active = null;

export function update(params) {
  if (active) active.select(params[1] || null, false);
}

export function mount(root, [taskId, initialHost]) {
  const stateBadge = h('span.badge.task-state', { 'data-testid': 'task-state' }, '…');
  const killBtn = h('button.danger', { type: 'button', 'data-testid': 'kill', hidden: true }, 'Kill');
  const rerunBtn = h('button', { type: 'button', 'data-testid': 'rerun', hidden: true }, 'Run again');
  const rerunFailedBtn = h('button', { type: 'button', 'data-testid': 'rerun-failed', hidden: true }, 'Rerun failed hosts');
  const live = h('span.live', { 'data-testid': 'live' });
  const reason = h('div.banner.reason', { 'data-testid': 'task-reason', hidden: true });
  const error = h('div.banner.error', { role: 'alert', hidden: true });
  const meta = h('dl.meta', { 'data-testid': 'task-meta' });
  const scriptPre = h('pre.code.script-view', { 'data-testid': 'task-script' });
  const bar = h('div.progress', { 'data-testid': 'progress', role: 'img' });
  const barText = h('div.progress-text', { 'data-testid': 'progress-text' });
  const chips = h('div.state-chips', { 'data-testid': 'state-counts' });
  const hostFilter = h('input', { type: 'search', placeholder: 'Filter hosts (text or glob)', 'aria-label': 'Filter hosts', 'data-testid': 'host-filter' });
  const outputFilter = h('input', { type: 'search', placeholder: 'Output contains', 'aria-label': 'Show hosts whose output contains', 'data-testid': 'output-filter' });
  const hostCount = h('span.muted.small', { 'data-testid': 'host-count' });
  const groupBtn = h('button', { type: 'button', 'data-testid': 'group-outputs', 'aria-pressed': 'false', title: 'Group the hosts by identical output' }, 'Group outputs');
  const downloadText = h('button', { type: 'button', 'data-testid': 'download-text', title: 'Every host\'s output in one text file, each line prefixed with its hostname' }, 'Download .txt');
  const downloadJson = h('button', { type: 'button', 'data-testid': 'download-json', title: 'Every run with its output as JSON' }, '.json');
  const groupsBox = h('div.groups', { 'data-testid': 'output-groups', hidden: true });
  const viewport = h('div.tbody', { role: 'rowgroup', 'data-testid': 'hosts', tabindex: '0' });
  const sortKeys = [['host', 'Host'], ['state', 'State'], ['code', 'Exit'], ['duration', 'Duration']];
  const heads = sortKeys.map(([k, t]) => h('button.cell.sort', { type: 'button', 'data-sort': k, role: 'columnheader' }, t));
  const outHost = h('span.out-host', { 'data-testid': 'output-host' }, 'Output');
  const outState = h('span.badge', { hidden: true });
  const outInfo = h('span.muted.small');
  const outError = h('div.run-error', { 'data-testid': 'run-error', hidden: true });
  const follow = h('input#follow', { type: 'checkbox', checked: true });
  const pre = h('pre.output', { 'data-testid': 'output', 'data-placeholder': 'Select a host to see its output.', tabindex: '0' });

  fill(
    root,
    h(
      'section.page.task',
      h(
        'div.page-head',
        h('h1', 'Task ', h('code', { title: taskId, 'data-testid': 'task-id' }, shortId(taskId))),
        stateBadge,
        live,
        h('span.spacer'),
        rerunFailedBtn,
        rerunBtn,
        killBtn
      ),
      error,
      reason,
      meta,
      h('details.script', h('summary', 'Script'), scriptPre),
      h('div.progress-wrap', bar, barText, chips),
      h('div.toolbar.output-tools', groupBtn, h('span.spacer'), h('span.muted.small', 'All output:'), downloadText, downloadJson),
      groupsBox,
      h(
        'div.split',
        h(
          'div.hosts-panel',
          h('div.toolbar', hostFilter, outputFilter, hostCount),
          h('div.table.hosts-table', { role: 'table', 'aria-label': 'Runs' }, h('div.thead.row', { role: 'row' }, heads), viewport)
        ),
        h(
          'div.output-panel',
          h('div.output-head', outHost, outState, outInfo, h('span.spacer'), h('label.small', follow, ' Follow')),
          outError,
          pre
        )
      )
    )
  );

  // --- model ---
  let task = null;
  let runs = []; // as the API sends them (without output)
  const index = new Map(); // agent_id -> position in runs
  const outputs = new Map(); // agent_id -> {parts: string[], len, dropped}
  let selected = null;
  let stateFilter = '';
  let groupFilter = null; // Set of agent ids: one group of identical outputs, or null
  let groupsOpen = false;
  let outputVersion = 0; // grows whenever some output changes
  let groupsVersion = -1;
  let sort = { key: '', dir: 1 };
  let view = [];
  const queue = [];
  const dirty = { task: false, runs: false, view: false, output: false, outputAppend: '' };
  let stopped = false;
  const abort = new AbortController();

  const isFinal = () => task && FINAL_TASK.has(task.state);

  const keepLimit = () => Math.max(MIN_KEEP, Math.min(MAX_KEEP, Math.floor(TOTAL_KEEP / Math.max(1, runs.length))));

  /** Keeps the newest half of the limit when a host's output grows past it; true if it did. */
  function trim(o) {
    const limit = keepLimit();
    if (o.len <= limit) return false;
    const all = o.parts.join('');
    const kept = all.slice(all.length - Math.floor(limit / 2));
    o.parts = [kept];
    o.len = kept.length;
    o.dropped = true;
    return true;
  }

  function setOutput(agentId, text) {
    const o = { parts: text ? [text] : [], len: text ? text.length : 0, dropped: false };
    trim(o);
    outputs.set(agentId, o);
    outputVersion++;
  }

  function appendOutput(agentId, data) {
    let o = outputs.get(agentId);
    if (!o) {
      o = { parts: [], len: 0, dropped: false };
      outputs.set(agentId, o);
    }
    o.parts.push(data);
    o.len += data.length;
    outputVersion++;
    if (outputFilter.value) dirty.view = true;
    if (trim(o)) {
      if (agentId === selected) dirty.output = true;
      return;
    }
    if (agentId === selected) dirty.outputAppend += data;
  }

  function setRuns(list) {
    runs = list.map(({ output, ...r }) => r); // first, so that keepLimit() knows the size
    index.clear();
    runs.forEach((r, i) => index.set(r.agent_id, i));
    for (const r of list) if (typeof r.output === 'string') setOutput(r.agent_id, r.output);
    if (selected && list.some((r) => r.agent_id === selected && typeof r.output === 'string')) dirty.output = true;
    dirty.runs = true;
    dirty.view = true;
  }

  function applyEvent(ev) {
    let data;
    try {
      data = JSON.parse(ev.data);
    } catch (e) {
      return;
    }
    if (ev.event === 'task') {
      const { runs: list, ...t } = data;
      task = t;
      if (Array.isArray(list)) setRuns(list);
      if (!selected && runs.length === 1) {
        selected = runs[0].agent_id; // a single host: show its output at once
        dirty.output = true;
      }
      dirty.task = true;
    } else if (ev.event === 'run') {
      const { output, ...r } = data;
      const i = index.get(r.agent_id);
      if (i === undefined) {
        index.set(r.agent_id, runs.length);
        runs.push(r);
        dirty.view = true;
      } else {
        if (sort.key && runs[i].state !== r.state) dirty.view = true;
        Object.assign(runs[i], r); // the same object is in the filtered view
      }
      if (typeof output === 'string') {
        setOutput(r.agent_id, output);
        if (r.agent_id === selected) dirty.output = true;
      }
      if (stateFilter) dirty.view = true;
      dirty.runs = true;
      if (r.agent_id === selected) dirty.task = true;
    } else if (ev.event === 'output') {
      if (data && data.agent_id && typeof data.data === 'string') appendOutput(data.agent_id, data.data);
    } else if (ev.event === 'error') {
      showError(data.error || 'event stream error');
      if (data.status === 404) {
        stopped = true;
        setText(stateBadge, 'NOT FOUND');
      }
    }
  }

  // --- rendering ---
  const flush = frameScheduler(() => {
    const batch = queue.splice(0);
    for (const ev of batch) {
      try {
        applyEvent(ev);
      } catch (e) {
        console.error('event not applied', ev.event, e);
      }
    }
    render();
  });

  function render() {
    if (dirty.task) renderTask();
    if (dirty.runs || dirty.task) renderProgress();
    if (dirty.view) computeView();
    if (dirty.runs || dirty.view) list.refresh();
    if (dirty.output) renderOutput();
    else if (dirty.outputAppend) appendToPane(dirty.outputAppend);
    if (dirty.runs || dirty.task) renderOutputHead();
    dirty.task = dirty.runs = dirty.view = dirty.output = false;
    dirty.outputAppend = '';
  }

  function renderTask() {
    if (!task) return;
    setText(stateBadge, task.state);
    stateBadge.className = `badge task-state state-${task.state}`;
    stateBadge.dataset.state = task.state;
    killBtn.hidden = isFinal();
    rerunBtn.hidden = false;
    rerunFailedBtn.hidden = !isFinal() || !runs.some((r) => RERUN_STATES.has(r.state));
    const why = task.reason || (task.stopping && !isFinal() ? `Stopping: ${task.stopping}` : '');
    reason.hidden = !why;
    setText(reason, why);
    reason.className = `banner reason state-${task.state}`;
    const d = span(task.created_at, task.finished_at);
    const rows = [
      ['Created', when(task.created_at)],
      ['By', task.created_by || 'anonymous'],
      [isFinal() ? 'Finished' : 'Running for', isFinal() ? `${when(task.finished_at)} (${duration(d)})` : duration(d)],
      ['Targets', (task.targets || []).join(' ')],
      ['Parallel', task.parallel === 0 ? 'all at once' : num(task.parallel)],
      ['Fail rate', task.fail_count === -1 ? 'never aborts' : task.fail_rate == null ? 'unset' : String(task.fail_rate)],
      ['Fail count', task.fail_count === -1 ? 'never aborts' : task.fail_count == null ? 'unset' : String(task.fail_count)],
      ['Timeout', task.timeout ? `${task.timeout}s` : 'none'],
    ];
    if (task.job) rows.push(['Job', `${task.job}@${task.job_version}`]);
    if (task.schedule) rows.push(['Schedule', `${task.schedule} (slot ${when(task.scheduled_for)})`]);
    if (task.rerun_of) rows.push(['Rerun of', shortId(task.rerun_of)]);
    if (task.env && Object.keys(task.env).length) {
      rows.push(['Parameters', Object.entries(task.env).map(([k, v]) => `${k}=${v}`).join(' ')]);
    }
    if (task.script_sha256) rows.push(['Script SHA-256', task.script_sha256.slice(0, 12)]);
    const key = rows.map((r) => r.join(':')).join('|');
    if (meta._key !== key) {
      meta._key = key;
      fill(meta, rows.map(([k, v]) => h('div', h('dt', k), h('dd', v))));
    }
    if (scriptPre.textContent !== (task.script || '')) scriptPre.textContent = task.script || '';
    document.title = `${task.state} · task ${shortId(task.id)} · mschedule`;
  }

  function renderProgress() {
    const c = {};
    for (const s of RUN_STATES) c[s] = 0;
    for (const r of runs) c[r.state] = (c[r.state] || 0) + 1;
    const total = runs.length || 1;
    const done = runs.filter((r) => DONE.has(r.state)).length;
    if (!bar._segs) {
      bar._segs = {};
      for (const s of SEGMENTS) bar.append((bar._segs[s] = h(`span.seg.state-${s}`, { title: s })));
    }
    for (const s of SEGMENTS) {
      bar._segs[s].style.width = `${(100 * c[s]) / total}%`;
      bar._segs[s].title = `${s}: ${num(c[s])}`;
    }
    bar.setAttribute('aria-label', `${done} of ${runs.length} runs done`);
    setText(barText, `${num(done)} done · ${num(c.RUNNING)} running · ${num(c.WAITING)} waiting · ${num(runs.length)} hosts`);
    barText.dataset.done = String(done);
    barText.dataset.running = String(c.RUNNING);
    barText.dataset.waiting = String(c.WAITING);
    const key = RUN_STATES.map((s) => c[s]).join(',') + stateFilter;
    if (chips._key !== key) {
      chips._key = key;
      fill(
        chips,
        RUN_STATES.filter((s) => c[s] > 0 || s === stateFilter).map((s) =>
          h(
            `button.chip.count.state-${s}${stateFilter === s ? '.on' : ''}`,
            {
              type: 'button',
              'data-testid': `count-${s}`,
              'data-count': c[s],
              'aria-pressed': String(stateFilter === s),
              title: stateFilter === s ? 'Show all hosts' : `Show only ${s} hosts`,
              onclick: () => {
                stateFilter = stateFilter === s ? '' : s;
                dirty.view = dirty.runs = true;
                render();
              },
            },
            h('b', num(c[s])),
            ` ${s}`
          )
        )
      );
    }
  }

  function hostMatcher() {
    const q = hostFilter.value.trim();
    if (!q) return null;
    if (/[*?]/.test(q)) return (r) => matches(q, { id: '', labels: {}, hostname: r.hostname || '' });
    const lq = q.toLowerCase();
    return (r) => (r.hostname || '').toLowerCase().includes(lq) || r.agent_id.startsWith(lq);
  }

  function runDuration(r, now) {
    return r.started_at ? span(r.started_at, r.finished_at, now) : null;
  }

  /** The output of a host as the page keeps it. */
  function outputOf(agentId) {
    const o = outputs.get(agentId);
    if (!o) return '';
    if (o.parts.length > 1) o.parts = [o.parts.join('')];
    return o.parts[0] || '';
  }

  function computeView() {
    const m = hostMatcher();
    const oq = outputFilter.value;
    view = runs.filter(
      (r) => (!stateFilter || r.state === stateFilter) && (!m || m(r)) && (!groupFilter || groupFilter.has(r.agent_id)) && (!oq || outputOf(r.agent_id).includes(oq))
    );
    if (sort.key) {
      const now = Date.now();
      const k = {
        host: (r) => r.hostname || '',
        state: (r) => RUN_STATES.indexOf(r.state),
        code: (r) => (r.code == null ? -1e9 : r.code),
        duration: (r) => runDuration(r, now) ?? -1,
      }[sort.key];
      view = view.map((r) => [k(r), r]);
      view.sort((a, b) => (a[0] < b[0] ? -sort.dir : a[0] > b[0] ? sort.dir : 0));
      view = view.map((x) => x[1]);
    }
    list.setItems(view);
    setText(hostCount, view.length === runs.length ? `${num(runs.length)} hosts` : `${num(view.length)} of ${num(runs.length)} hosts`);
    for (const b of heads) {
      const on = b.dataset.sort === sort.key;
      b.classList.toggle('sorted', on);
      b.dataset.dir = on ? (sort.dir > 0 ? 'asc' : 'desc') : '';
    }
  }

  const list = new VirtualList({
    viewport,
    rowHeight: ROW,
    createRow: () => {
      const row = h(
        'div.row.run',
        { role: 'row', 'data-testid': 'host-row', tabindex: '-1' },
        h('span.cell.host', h('span.name'), h('span.id')),
        h('span.cell', h('span.badge')),
        h('span.cell.num'),
        h('span.cell.num')
      );
      row.addEventListener('click', () => select(row._run.agent_id, true));
      return row;
    },
    renderRow: (row, r) => {
      const now = Date.now();
      row._run = r;
      const c = row.children;
      row.dataset.agentId = r.agent_id;
      row.dataset.hostname = r.hostname || '';
      row.dataset.state = r.state;
      const sel = r.agent_id === selected;
      row.classList.toggle('selected', sel);
      row.setAttribute('aria-selected', String(sel));
      setText(c[0].firstChild, r.hostname || r.agent_id);
      setText(c[0].lastChild, shortId(r.agent_id)); // hostnames may repeat; ids do not
      c[0].title = `${r.hostname} (${r.agent_id})`;
      const b = c[1].firstChild;
      const cls = `badge state-${r.state}`;
      if (b.className !== cls) b.className = cls;
      setText(b, r.state);
      setText(c[2], r.code == null ? '' : r.code);
      setText(c[3], r.started_at ? duration(runDuration(r, now)) : '');
    },
  });

  viewport.addEventListener('keydown', (e) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp' && e.key !== 'Home' && e.key !== 'End') return;
    e.preventDefault();
    if (!view.length) return;
    let i = view.findIndex((r) => r.agent_id === selected);
    if (e.key === 'ArrowDown') i = Math.min(view.length - 1, i + 1);
    else if (e.key === 'ArrowUp') i = Math.max(0, i < 0 ? 0 : i - 1);
    else if (e.key === 'Home') i = 0;
    else i = view.length - 1;
    select(view[i].agent_id, true);
    list.reveal(i);
  });

  for (const b of heads) {
    b.addEventListener('click', () => {
      const k = b.dataset.sort;
      if (sort.key === k) sort = sort.dir > 0 ? { key: k, dir: -1 } : { key: '', dir: 1 };
      else sort = { key: k, dir: 1 };
      dirty.view = true;
      render();
    });
  }
  hostFilter.addEventListener('input', debounce(() => {
    dirty.view = true;
    render();
  }, 80));
  outputFilter.addEventListener('input', debounce(() => {
    dirty.view = true;
    render();
  }, 150));

  // --- identical outputs, grouped ---
  function renderGroups() {
    if (!groupsOpen || groupsVersion === outputVersion + runs.length) return;
    groupsVersion = outputVersion + runs.length;
    const byText = new Map();
    for (const r of runs) {
      const text = outputOf(r.agent_id);
      let g = byText.get(text);
      if (!g) byText.set(text, (g = []));
      g.push(r.agent_id);
    }
    const groups = [...byText.entries()].sort((a, b) => b[1].length - a[1].length);
    const current = groupFilter ? [...groupFilter].sort().join(',') : '';
    fill(
      groupsBox,
      h('span.muted.small', `${num(groups.length)} distinct output${groups.length === 1 ? '' : 's'} over ${num(runs.length)} hosts:`),
      groups.slice(0, 50).map(([text, ids]) => {
        const first = stripAnsi(text).split('\n').find((l) => l.trim()) || '';
        const on = current !== '' && current === [...ids].sort().join(',');
        return h(
          `button.group${on ? '.on' : ''}`,
          {
            type: 'button',
            'data-testid': 'output-group',
            'data-count': ids.length,
            'aria-pressed': String(on),
            title: on ? 'Show all hosts' : 'Show only these hosts',
            onclick: () => {
              groupFilter = on ? null : new Set(ids);
              groupsVersion = -1;
              dirty.view = dirty.runs = true;
              if (groupFilter && !groupFilter.has(selected)) select(ids[0], true);
              render();
              renderGroups();
            },
          },
          h('span', h('b', `${num(ids.length)} host${ids.length === 1 ? '' : 's'}`), text ? (ids.length > 1 ? ': same output' : ': this output') : ': no output'),
          text ? h('span.group-preview.mono', first.length > 80 ? `${first.slice(0, 80)}…` : first) : null
        );
      }),
      groups.length > 50 ? h('span.muted.small', `and ${num(groups.length - 50)} smaller groups`) : null
    );
  }

  groupBtn.addEventListener('click', () => {
    groupsOpen = !groupsOpen;
    groupBtn.setAttribute('aria-pressed', String(groupsOpen));
    groupBtn.classList.toggle('on', groupsOpen);
    groupsBox.hidden = !groupsOpen;
    if (!groupsOpen && groupFilter) {
      groupFilter = null;
      dirty.view = dirty.runs = true;
      render();
    }
    groupsVersion = -1;
    renderGroups();
  });

  // --- all output as one file ---
  async function download(kind) {
    let full;
    try {
      full = await get(`tasks/${encodeURIComponent(taskId)}`);
    } catch (e) {
      toast(`Could not fetch the output: ${e.message}`, 'error');
      return;
    }
    const list = [...(full.runs || [])].sort((a, b) => (a.hostname || '').localeCompare(b.hostname || '') || a.agent_id.localeCompare(b.agent_id));
    const text = (r) => (typeof r.output === 'string' ? r.output : '');
    let body;
    let type;
    if (kind === 'json') {
      type = 'application/json';
      body = JSON.stringify(
        {
          id: full.id,
          state: full.state,
          created_at: full.created_at,
          runs: list.map((r) => ({ agent_id: r.agent_id, hostname: r.hostname, state: r.state, code: r.code, truncated: r.truncated, output: text(r) })),
        },
        null,
        2
      );
    } else {
      type = 'text/plain';
      body = list
        .map((r) => {
          const name = r.hostname || r.agent_id;
          const out = text(r);
          if (!out) return `${name}: (no output; ${r.state})\n`;
          return out.replace(/\n$/, '').split('\n').map((l) => `${name}: ${l}`).join('\n') + '\n';
        })
        .join('');
    }
    const url = URL.createObjectURL(new Blob([body], { type: `${type};charset=utf-8` }));
    const a = h('a', { href: url, download: `task-${shortId(taskId)}-output.${kind === 'json' ? 'json' : 'txt'}`, hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }
  downloadText.addEventListener('click', () => download('text'));
  downloadJson.addEventListener('click', () => download('json'));

  function select(agentId, updateUrl) {
    if (agentId === selected) return;
    selected = agentId;
    if (updateUrl) {
      const hash = `#/tasks/${encodeURIComponent(taskId)}${agentId ? `/${encodeURIComponent(agentId)}` : ''}`;
      history.replaceState(null, '', hash);
    }
    dirty.output = true;
    dirty.runs = true;
    render();
  }

  function renderOutputHead() {
    const i = selected == null ? undefined : index.get(selected);
    const r = i === undefined ? null : runs[i];
    if (!r) {
      setText(outHost, selected ? shortId(selected) : 'Output');
      outState.hidden = true;
      setText(outInfo, '');
      outError.hidden = true;
      return;
    }
    setText(outHost, r.hostname || r.agent_id);
    outState.hidden = false;
    outState.className = `badge state-${r.state}`;
    setText(outState, r.state);
    const bits = [];
    if (r.code != null) bits.push(`exit ${r.code}`);
    if (r.started_at) bits.push(duration(runDuration(r)));
    if (r.truncated) bits.push('output truncated by the master');
    const o = outputs.get(r.agent_id);
    if (o && o.dropped) bits.push('older output dropped in this page');
    setText(outInfo, bits.join(' · '));
    outError.hidden = !r.error;
    setText(outError, r.error ? `error: ${r.error}` : '');
    pre.dataset.placeholder = r.state === 'WAITING' ? 'Waiting to start…' : r.state === 'RUNNING' ? 'No output yet…' : '(no output)';
  }

  function atBottom() {
    return pre.scrollHeight - pre.scrollTop - pre.clientHeight < 40;
  }

  function renderOutput() {
    const o = selected ? outputs.get(selected) : null;
    pre.textContent = o ? stripAnsi(o.parts.join('')) : '';
    if (o && o.parts.length > 1) o.parts = [o.parts.join('')];
    if (!selected) pre.dataset.placeholder = 'Select a host to see its output.';
    if (follow.checked) pre.scrollTop = pre.scrollHeight;
    renderOutputHead();
  }

  function appendToPane(text) {
    const stick = follow.checked && atBottom();
    pre.append(document.createTextNode(stripAnsi(text)));
    if (pre.childNodes.length > 2000) pre.normalize();
    if (stick) pre.scrollTop = pre.scrollHeight;
  }

  pre.addEventListener('scroll', () => {
    // scrolling up stops following; back at the bottom follows again
    follow.checked = atBottom();
  });

  function showError(msg) {
    error.hidden = !msg;
    setText(error, msg || '');
  }

  function setLive(state, text) {
    live.className = `live ${state}`;
    live.dataset.state = state;
    setText(live, text);
  }

  // --- the event stream, reconnecting until the task ends ---
  async function followStream() {
    let delay = 500;
    while (!stopped) {
      setLive('connecting', 'connecting…');
      try {
        await events(
          `tasks/${encodeURIComponent(taskId)}/events`,
          (ev) => {
            if (live.dataset.state !== 'on') setLive('on', 'live');
            delay = 500;
            queue.push(ev);
            flush();
          },
          { signal: abort.signal }
        );
        flush.flush();
        if (isFinal() || stopped) break;
      } catch (e) {
        if (abort.signal.aborted) return;
        if (e instanceof ApiError && e.status === 404) {
          showError(`No task ${taskId}.`);
          setText(stateBadge, 'NOT FOUND');
          setLive('off', '');
          return;
        }
        setLive('retry', 'reconnecting…');
        showError(e.message ? `Lost the event stream: ${e.message}` : 'Lost the event stream.');
      }
      if (abort.signal.aborted) return;
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 10000);
    }
    if (!abort.signal.aborted && isFinal()) {
      showError(null);
      setLive('off', 'ended');
    } else if (!abort.signal.aborted) {
      setLive('off', '');
    }
  }

  killBtn.addEventListener('click', async () => {
    const running = runs.filter((r) => r.state === 'RUNNING').length;
    const waiting = runs.filter((r) => r.state === 'WAITING').length;
    const ok = await confirmDialog({
      title: `Kill task ${shortId(taskId)}?`,
      body: h(
        'p',
        `The script is killed on the ${num(running)} host${running === 1 ? '' : 's'} running it`,
        waiting ? ` and ${num(waiting)} waiting run${waiting === 1 ? ' is' : 's are'} skipped` : '',
        '. This cannot be undone.'
      ),
      ok: 'Kill task',
      danger: true,
    });
    if (!ok) return;
    killBtn.disabled = true;
    try {
      const { runs: ignored, ...t } = await post(`tasks/${encodeURIComponent(taskId)}/kill`, {});
      // the stream brings the runs and the final state; the answer shows "stopping" at once
      if (!isFinal()) {
        task = t;
        dirty.task = true;
        flush();
      }
      toast('Kill requested.', 'info', 3000);
    } catch (e) {
      toast(e.message, 'error');
    } finally {
      killBtn.disabled = false;
    }
  });

  rerunFailedBtn.addEventListener('click', async () => {
    const failed = runs.filter((r) => RERUN_STATES.has(r.state)).length;
    const ok = await confirmDialog({
      title: `Rerun task ${shortId(taskId)} on its failed hosts?`,
      body: h('p', `A new task runs the same script, settings and parameters on ${num(failed)} host${failed === 1 ? '' : 's'}.`),
      ok: 'Rerun',
    });
    if (!ok) return;
    rerunFailedBtn.disabled = true;
    try {
      const t = await post(`tasks/${encodeURIComponent(taskId)}/rerun`, { hosts: 'failed' });
      location.hash = `#/tasks/${encodeURIComponent(t.id)}`;
    } catch (e) {
      toast(e.message, 'error');
    } finally {
      rerunFailedBtn.disabled = false;
    }
  });

  rerunBtn.addEventListener('click', () => {
    if (!task) return;
    setDraft({
      job: task.job ? `${task.job}@${task.job_version}` : '',
      script: task.script,
      targets: (task.targets || []).join(' '),
      parallel: String(task.parallel),
      fail_rate: task.fail_rate == null ? '' : String(task.fail_rate),
      fail_count: task.fail_count == null ? '' : String(task.fail_count),
      timeout: String(task.timeout),
    });
    location.hash = '#/run';
  });

  const tick = setInterval(() => {
    renderGroups();
    if (!task || isFinal()) return;
    dirty.task = true;
    if (runs.some((r) => r.state === 'RUNNING')) dirty.runs = true;
    flush();
  }, 1000);

  if (initialHost) select(initialHost, false);
  active = { select };
  followStream();

  return () => {
    stopped = true;
    abort.abort();
    flush.cancel();
    clearInterval(tick);
    list.destroy();
    active = null;
  };
}
