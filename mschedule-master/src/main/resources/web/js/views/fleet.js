// Fleet: every agent with its state, hostname, datacenter, addresses, labels and last contact.
import { h, fill, num, ago, when, debounce, shortId } from '../util.js';
import { VirtualList, setText } from '../vlist.js';
import { watchFleet, counts } from '../fleetstore.js';
import { matches } from '../targets.js';
import { setDraft } from './run.js';

const ROW = 34;
const ui = { text: '', label: '', state: '', dc: '' }; // kept across visits
const selected = new Set();

function labelList(labels) {
  return Object.entries(labels || {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`);
}

/** Text filter: a hostname glob when it has * or ?, else a substring of any column. */
function textFilter(text) {
  const q = text.trim().toLowerCase();
  if (!q) return () => true;
  if (/[*?]/.test(q)) return (a) => matches(q, { ...a, hostname: (a.hostname || '').toLowerCase(), id: '', labels: {} });
  return (a) =>
    (a.hostname || '').toLowerCase().includes(q) ||
    a.id.toLowerCase().startsWith(q) ||
    (a.ip || []).some((ip) => ip.includes(q)) ||
    labelList(a.labels).some((l) => l.toLowerCase().includes(q)) ||
    (a.datacenter || '').toLowerCase() === q ||
    (a.version || '').toLowerCase() === q;
}

export function mount(root) {
  const stat = (key, label) =>
    h(`div.stat.${key}`, { 'data-testid': `count-${key}` }, h('b', '–'), h('span', label));
  const stats = { online: stat('online', 'online'), offline: stat('offline', 'offline'), total: stat('total', 'total') };
  const search = h('input#fleet-filter', {
    type: 'search',
    placeholder: 'Filter: hostname, glob (web-*), id, IP or label',
    value: ui.text,
    'data-testid': 'fleet-filter',
    'aria-label': 'Filter agents',
  });
  const labelSel = h('select#fleet-label', { 'data-testid': 'fleet-label', 'aria-label': 'Label' }, h('option', { value: '' }, 'Any label'));
  const stateSel = h(
    'select#fleet-state',
    { 'data-testid': 'fleet-state', 'aria-label': 'State' },
    h('option', { value: '' }, 'Any state'),
    h('option', { value: 'online' }, 'Online'),
    h('option', { value: 'offline' }, 'Offline'),
    h('option', { value: 'unreachable' }, 'Unreachable'),
    h('option', { value: 'pending' }, 'Pending')
  );
  stateSel.value = ui.state;
  const dcSel = h('select#fleet-dc', { 'data-testid': 'fleet-dc', 'aria-label': 'Datacenter' }, h('option', { value: '' }, 'Any datacenter'));
  const shown = h('span.muted', { 'data-testid': 'fleet-shown' });
  const runSel = h('button.primary', { type: 'button', 'data-testid': 'run-selected', disabled: true }, 'Run on selected');
  const clearSel = h('button', { type: 'button', 'data-testid': 'clear-selected', hidden: true }, 'Clear selection');
  const allBox = h('input', { type: 'checkbox', 'aria-label': 'Select all shown agents', 'data-testid': 'select-all' });
  const viewport = h('div.tbody', { role: 'rowgroup', 'data-testid': 'agents' });
  const empty = h('div.empty', { hidden: true });
  const error = h('div.banner.error', { hidden: true, role: 'alert' });
  const updated = h('p.muted.small', { 'data-testid': 'fleet-updated' });

  fill(
    root,
    h(
      'section.page.fleet',
      h('div.page-head', h('h1', 'Fleet'), h('div.stats', stats.online, stats.offline, stats.total)),
      error,
      h('div.toolbar', search, dcSel, labelSel, stateSel, shown, h('span.spacer'), clearSel, runSel),
      h(
        'div.table.fleet-table',
        { role: 'table', 'aria-label': 'Agents' },
        h(
          'div.thead.row',
          { role: 'row' },
          h('span.cell.check', allBox),
          ...['State', 'Hostname', 'Datacenter', 'IP addresses', 'Labels', 'Last seen', 'Version', 'Running'].map((t) => h('span.cell', { role: 'columnheader' }, t))
        ),
        viewport,
        empty
      ),
      updated
    )
  );

  let agents = [];
  let filtered = [];

  const list = new VirtualList({
    viewport,
    rowHeight: ROW,
    createRow: () => {
      const box = h('input', { type: 'checkbox' });
      const row = h(
        'div.row.agent',
        { role: 'row', 'data-testid': 'agent-row' },
        h('span.cell.check', box),
        h('span.cell', h('span.badge')),
        h('span.cell.host', h('span.name'), h('span.id')),
        h('span.cell.dc'),
        h('span.cell.mono.ips'),
        h('span.cell.labels'),
        h('span.cell.seen'),
        h('span.cell.muted'),
        h('span.cell.num')
      );
      row._cells = row.children;
      box.addEventListener('change', () => {
        if (box.checked) selected.add(row._agent.id);
        else selected.delete(row._agent.id);
        updateSelection();
      });
      row.addEventListener('click', (e) => {
        const chip = e.target.closest('.chip[data-label]');
        if (chip) {
          ui.label = chip.dataset.label;
          labelSel.value = ui.label;
          apply();
        }
      });
      return row;
    },
    renderRow: (row, a) => {
      row._agent = a;
      const c = row._cells;
      row.dataset.agentId = a.id;
      row.dataset.state = a.state;
      row.dataset.hostname = a.hostname || '';
      c[0].firstChild.checked = selected.has(a.id);
      c[0].firstChild.setAttribute('aria-label', `Select ${a.hostname}`);
      const badge = c[1].firstChild;
      badge.className = `badge agent-${a.state}`;
      setText(badge, a.state);
      badge.title = a.relay ? `datacenter ${a.datacenter || '-'}, via relay ${shortId(a.relay)}` : '';
      setText(c[2].firstChild, a.hostname);
      setText(c[2].lastChild, shortId(a.id)); // hostnames may repeat; ids do not
      c[2].title = `${a.hostname} (${a.id})`;
      setText(c[3], a.datacenter || '');
      c[3].title = a.relay ? `via relay ${a.relay}` : 'connected to the master directly';
      const ips = (a.ip || []).join(', ');
      setText(c[4], ips);
      c[4].title = ips;
      const labels = labelList(a.labels);
      const key = labels.join('\n');
      if (c[5]._key !== key) {
        c[5]._key = key;
        fill(c[5], labels.map((l) => h('button.chip', { type: 'button', 'data-label': l, title: `Show agents with ${l}` }, l)));
      }
      setText(c[6], ago(a.last_seen));
      c[6].title = when(a.last_seen);
      setText(c[7], a.version || '');
      setText(c[8], (a.running || []).length || '');
      c[8].title = (a.running || []).join('\n');
    },
  });

  function updateSelection() {
    for (const id of [...selected]) if (!agents.some((a) => a.id === id)) selected.delete(id);
    runSel.disabled = selected.size === 0;
    runSel.textContent = selected.size ? `Run on ${num(selected.size)} selected` : 'Run on selected';
    clearSel.hidden = selected.size === 0;
    allBox.checked = filtered.length > 0 && filtered.every((a) => selected.has(a.id));
    allBox.indeterminate = !allBox.checked && filtered.some((a) => selected.has(a.id));
  }

  function labels() {
    const all = new Map();
    for (const a of agents) for (const l of labelList(a.labels)) all.set(l, (all.get(l) || 0) + 1);
    let keys = [...all.keys()];
    // in a big fleet, labels carried by one agent only (ids in disguise) would flood the menu
    if (keys.length > 50) keys = keys.filter((k) => all.get(k) > 1);
    keys.sort();
    const want = ['', ...keys].join('\n');
    if (labelSel._key !== want) {
      labelSel._key = want;
      fill(labelSel, h('option', { value: '' }, 'Any label'), keys.map((k) => h('option', { value: k }, `${k} (${num(all.get(k))})`)));
      if (ui.label && !all.has(ui.label)) labelSel.append(h('option', { value: ui.label }, `${ui.label} (0)`));
    }
    labelSel.value = ui.label;
  }

  /** The datacenter menu: those of the fleet, shown only when there is one. */
  function datacenters() {
    const all = [...new Set(agents.map((a) => a.datacenter).filter(Boolean))].sort();
    dcSel.hidden = all.length === 0 && !ui.dc;
    const want = all.join('\n');
    if (dcSel._key !== want) {
      dcSel._key = want;
      fill(dcSel, h('option', { value: '' }, 'Any datacenter'), all.map((d) => h('option', { value: d }, d)));
      if (ui.dc && !all.includes(ui.dc)) dcSel.append(h('option', { value: ui.dc }, ui.dc));
    }
    dcSel.value = ui.dc;
  }

  function apply() {
    const byText = textFilter(ui.text);
    const label = ui.label;
    const eq = label.indexOf('=');
    filtered = agents.filter(
      (a) =>
        (!ui.state || a.state === ui.state) &&
        (!ui.dc || (a.datacenter || '') === ui.dc) &&
        (!label || (a.labels || {})[label.slice(0, eq)] === label.slice(eq + 1)) &&
        byText(a)
    );
    list.setItems(filtered);
    const c = counts(agents);
    for (const k of ['online', 'offline', 'total']) setText(stats[k].firstChild, num(c[k]));
    setText(shown, filtered.length === agents.length ? `${num(agents.length)} agents` : `showing ${num(filtered.length)} of ${num(agents.length)}`);
    empty.hidden = filtered.length > 0;
    if (!agents.length) fill(empty, 'No agent has registered yet. Start one with ', h('code', 'mschedule agent --master tcp://<master>:5555'), '.');
    else fill(empty, 'No agent matches the filter.');
    updateSelection();
  }

  search.addEventListener('input', debounce(() => {
    ui.text = search.value;
    apply();
  }, 80));
  labelSel.addEventListener('change', () => {
    ui.label = labelSel.value;
    apply();
  });
  dcSel.addEventListener('change', () => {
    ui.dc = dcSel.value;
    apply();
  });
  stateSel.addEventListener('change', () => {
    ui.state = stateSel.value;
    apply();
  });
  allBox.addEventListener('change', () => {
    for (const a of filtered) {
      if (allBox.checked) selected.add(a.id);
      else selected.delete(a.id);
    }
    list.refresh();
    updateSelection();
  });
  clearSel.addEventListener('click', () => {
    selected.clear();
    list.refresh();
    updateSelection();
  });
  runSel.addEventListener('click', () => {
    setDraft({ targets: [...selected].join(' ') });
    location.hash = '#/run';
  });

  let lastAt = 0;
  const stop = watchFleet((f) => {
    error.hidden = !f.error;
    if (f.error) setText(error, `Could not load the fleet: ${f.error.message}`);
    if (f.loaded && f.at !== lastAt) {
      lastAt = f.at;
      agents = f.agents;
      labels();
      datacenters();
      apply();
    }
  });
  const tick = setInterval(() => {
    list.refresh();
    setText(updated, lastAt ? `Updated ${ago(new Date(lastAt).toISOString())} · refreshes every 3 s` : 'Loading…');
  }, 1000);
  search.focus();

  return () => {
    stop();
    clearInterval(tick);
    list.destroy();
  };
}
