// API tokens (admin): list, create (the secret is shown once), revoke (GET/POST /api/v1/tokens).
import { h, fill, when, ago, every } from '../util.js';
import { get, post } from '../api.js';
import { confirmDialog, toast } from '../dialogs.js';

const ROLES = ['viewer', 'operator', 'admin'];

export function mount(root) {
  const error = h('div.banner.error', { hidden: true, role: 'alert', 'data-testid': 'tokens-load-error' });
  const actionError = h('div.banner.error', { hidden: true, role: 'alert', 'data-testid': 'tokens-error' });
  const tbody = h('tbody', { 'data-testid': 'token-rows' });
  const name = h('input#token-name', { type: 'text', placeholder: 'name (optional)', autocomplete: 'off', spellcheck: 'false', 'data-testid': 'token-name' });
  const role = h('select#token-role', { 'data-testid': 'token-role', 'aria-label': 'Role' }, ROLES.map((r) => h('option', { value: r }, r)));
  const create = h('button.primary', { type: 'submit', 'data-testid': 'token-create' }, 'Create token');
  const formError = h('div.field-error', { role: 'alert', hidden: true, 'data-testid': 'token-form-error' });
  const secret = h('div.banner.secret', { hidden: true, 'data-testid': 'token-secret' });
  const showRevoked = h('input', { type: 'checkbox', 'data-testid': 'tokens-show-revoked' });
  const form = h(
    'form.inline-form',
    { novalidate: true, autocomplete: 'off' },
    h('label', { for: 'token-name' }, 'Name'),
    name,
    h('label', { for: 'token-role' }, 'Role'),
    role,
    create
  );
  fill(
    root,
    h(
      'section.page.tokens',
      h('div.page-head', h('h1', 'API tokens'), h('span.spacer'), h('label.small', showRevoked, ' Show revoked')),
      form,
      formError,
      secret,
      actionError,
      error,
      h(
        'table.grid',
        h('thead', h('tr', ['Name', 'Role', 'Created', 'By', 'Expires', 'Last used', 'State', ''].map((t) => h('th', { scope: 'col' }, t)))),
        tbody
      )
    )
  );

  let tokens = [];

  function render() {
    const list = showRevoked.checked ? tokens : tokens.filter((t) => !t.revoked_at);
    const now = Date.now();
    fill(
      tbody,
      list.length
        ? list.map((t) => {
            const expired = t.expires_at && Date.parse(t.expires_at) <= now;
            const state = t.revoked_at ? 'revoked' : expired ? 'expired' : 'valid';
            return h(
              'tr',
              { 'data-testid': 'token-row', 'data-token-id': t.id, 'data-name': t.name, 'data-state': state },
              h('td.mono', { title: t.id }, t.name),
              h('td', t.role),
              h('td', { title: when(t.created_at) }, ago(t.created_at, now)),
              h('td', t.created_by || ''),
              h('td', t.expires_at ? h('span', { title: when(t.expires_at) }, when(t.expires_at)) : h('span.muted', 'never')),
              h('td', 'last_used' in t ? lastUsed(t.last_used, now) : h('span.muted', '—')),
              h('td', t.revoked_at ? h('span', { title: `by ${t.revoked_by || 'anonymous'}` }, `revoked ${ago(t.revoked_at, now)}`) : state),
              h('td.actions-cell', t.revoked_at ? null : h('button.danger', { type: 'button', 'data-testid': 'token-revoke', onclick: () => revoke(t) }, 'Revoke'))
            );
          })
        : h('tr', h('td.empty', { colspan: 8 }, 'No token.'))
    );
  }

  /** Shown when the master reports last_used (null: never used). */
  function lastUsed(at, now) {
    return at ? h('span', { title: when(at) }, ago(at, now)) : h('span.muted', 'never');
  }

  async function load() {
    try {
      tokens = await get('tokens');
      error.hidden = true;
      render();
    } catch (e) {
      error.hidden = false;
      error.textContent = `Could not load the tokens: ${e.message}`;
    }
  }

  async function revoke(t) {
    const ok = await confirmDialog({
      title: `Revoke token ${t.name}?`,
      body: h('p', `Requests with this ${t.role} token are refused from now on. This cannot be undone.`),
      ok: 'Revoke',
      danger: true,
    });
    if (!ok) return;
    try {
      await post(`tokens/${encodeURIComponent(t.id)}/revoke`, {});
      actionError.hidden = true;
      toast(`Revoked ${t.name}.`, 'info', 3000);
    } catch (e) {
      actionError.hidden = false;
      actionError.textContent = `Could not revoke ${t.name}: ${e.message}`;
    }
    await load();
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    formError.hidden = true;
    actionError.hidden = true;
    const body = { role: role.value };
    if (name.value.trim()) body.name = name.value.trim();
    create.disabled = true;
    try {
      const t = await post('tokens', body);
      name.value = '';
      const value = h('code.mono', { 'data-testid': 'token-secret-value' }, t.token);
      const copy = h('button', { type: 'button', 'data-testid': 'token-copy' }, 'Copy');
      copy.addEventListener('click', async () => {
        try {
          await navigator.clipboard.writeText(t.token);
          toast('Copied.', 'info', 2000);
        } catch (err) {
          getSelection().selectAllChildren(value);
        }
      });
      const hide = h('button.link', { type: 'button', onclick: () => fill(secret).setAttribute('hidden', '') }, 'Done');
      fill(secret, h('p', h('b', `Token ${t.name} (${t.role}) created.`), ' Copy its secret now: it is shown only this once.'), h('div.secret-row', value, copy, hide));
      secret.hidden = false;
      await load();
    } catch (err) {
      formError.textContent = err.message;
      formError.hidden = false;
    } finally {
      create.disabled = false;
    }
  });
  showRevoked.addEventListener('change', render);
  return every(15000, load);
}
