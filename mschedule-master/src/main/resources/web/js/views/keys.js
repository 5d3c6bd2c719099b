// Agent keys (admin): pending, accepted and rejected keys, with accept, reject and delete
// (GET/POST/DELETE /api/v1/keys).
import { h, fill, num, when, ago, shortId, every } from '../util.js';
import { get, post, request } from '../api.js';
import { confirmDialog, toast } from '../dialogs.js';
import { fleet, refreshFleet } from '../fleetstore.js';

const STATES = [
  ['pending', 'Pending', 'These agents wait for a decision: they get no task until their key is accepted.'],
  ['accepted', 'Accepted', 'These agents may run tasks.'],
  ['rejected', 'Rejected', 'The master refuses these keys.'],
];

export function mount(root) {
  const error = h('div.banner.error', { hidden: true, role: 'alert', 'data-testid': 'keys-error' });
  const acceptAll = h('button.primary', { type: 'button', 'data-testid': 'keys-accept-all', hidden: true }, 'Accept all pending');
  const sections = {};
  for (const [state, title, hint] of STATES) {
    sections[state] = {
      count: h('span.muted', { 'data-testid': `keys-count-${state}` }),
      rows: h('tbody', { 'data-testid': `keys-${state}` }),
      title,
      hint,
    };
  }
  const head = h('thead', h('tr', ['Agent', 'Hostname', 'Public key', 'First seen', 'Decided', ''].map((t) => h('th', { scope: 'col' }, t))));
  fill(
    root,
    h(
      'section.page.keys',
      h('div.page-head', h('h1', 'Agent keys'), h('span.spacer'), acceptAll),
      error,
      STATES.map(([state]) => {
        const s = sections[state];
        return h(
          'div.key-section',
          h('div.page-head', h('h2', s.title), s.count),
          h('p.hint', s.hint),
          h('table.grid.keys-table', head.cloneNode(true), s.rows)
        );
      })
    )
  );

  let busy = false;

  async function act(label, fn) {
    if (busy) return;
    busy = true;
    try {
      await fn();
      toast(label, 'info', 3000);
    } catch (e) {
      toast(e.message, 'error');
    } finally {
      busy = false;
      await load();
      refreshFleet();
    }
  }

  const keyPath = (k) => `keys/${encodeURIComponent(k.agent_id)}`;

  function buttons(k, host) {
    const name = host || shortId(k.agent_id);
    const out = [];
    if (k.state !== 'accepted') {
      out.push(h('button.primary', { type: 'button', 'data-testid': 'key-accept', onclick: () => act(`Accepted ${name}.`, () => post(`${keyPath(k)}/accept`, {})) }, 'Accept'));
    }
    if (k.state !== 'rejected') {
      out.push(h('button', { type: 'button', 'data-testid': 'key-reject', onclick: () => act(`Rejected ${name}.`, () => post(`${keyPath(k)}/reject`, {})) }, 'Reject'));
    }
    out.push(
      h(
        'button.danger',
        {
          type: 'button',
          'data-testid': 'key-delete',
          onclick: async () => {
            const ok = await confirmDialog({
              title: `Delete the key of ${name}?`,
              body: h('p', 'The agent leaves the fleet. If it still runs, it registers again with a new, pending key: stop it first.'),
              ok: 'Delete key',
              danger: true,
            });
            if (ok) await act(`Deleted the key of ${name}.`, () => request('DELETE', keyPath(k)));
          },
        },
        'Delete'
      )
    );
    return h('td.actions-cell', out);
  }

  async function load() {
    let keys;
    try {
      keys = await get('keys');
      error.hidden = true;
    } catch (e) {
      error.hidden = false;
      error.textContent = `Could not load the agent keys: ${e.message}`;
      return;
    }
    const pending = keys.filter((k) => k.state === 'pending').length;
    acceptAll.hidden = pending < 2;
    for (const [state] of STATES) {
      const s = sections[state];
      const list = keys.filter((k) => k.state === state);
      s.count.textContent = num(list.length);
      fill(
        s.rows,
        list.length
          ? list.map((k) => {
              const a = fleet.byId.get(k.agent_id);
              const host = a ? a.hostname : '';
              return h(
                'tr',
                { 'data-testid': 'key-row', 'data-agent-id': k.agent_id, 'data-state': k.state },
                h('td.mono', { title: k.agent_id }, shortId(k.agent_id)),
                h('td', host || h('span.muted', 'unknown')),
                h('td.mono.key-cell', { title: k.public_key }, k.public_key),
                h('td', { title: when(k.first_seen) }, ago(k.first_seen)),
                h('td', k.decided_at ? `${ago(k.decided_at)} by ${k.decided_by || 'anonymous'}` : h('span.muted', '—')),
                buttons(k, host)
              );
            })
          : h('tr', h('td.empty', { colspan: 6 }, `No ${state} key.`))
      );
    }
  }

  acceptAll.addEventListener('click', async () => {
    const ok = await confirmDialog({ title: 'Accept every pending key?', body: h('p', 'Every agent waiting now may run tasks.'), ok: 'Accept all' });
    if (ok) await act('Accepted every pending key.', () => post('keys/accept-all', {}));
  });

  if (!fleet.loaded) refreshFleet().then(() => load());
  return every(10000, load);
}
