// Modal dialogs (sign-in, confirmation) and short notices.
import { h } from './util.js';
import { onUnauthorized, setToken } from './api.js';

function modal(testid, ...content) {
  const d = h('dialog.modal', { 'data-testid': testid }, ...content);
  document.body.append(d);
  return d;
}

/** Asks for the API token whenever the master answers 401; keeps it in sessionStorage only. */
export function setupLogin() {
  onUnauthorized(
    (message) =>
      new Promise((resolve) => {
        const input = h('input#login-token', {
          type: 'password',
          autocomplete: 'off',
          spellcheck: 'false',
          required: true,
          'data-testid': 'login-token',
          'aria-describedby': 'login-message',
        });
        const form = h(
          'form',
          { method: 'dialog' },
          h('h2', 'Sign in'),
          h('p#login-message.muted', message || 'The master asks for an API token.'),
          h('label', { for: 'login-token' }, 'API token'),
          input,
          h(
            'p.hint',
            'The token is kept in this browser tab only (sessionStorage) and sent as ',
            h('code', 'Authorization: Bearer …'),
            ' with every request.'
          ),
          h('div.actions', h('button.primary', { type: 'submit', 'data-testid': 'login-submit' }, 'Sign in'))
        );
        const d = modal('login', form);
        d.addEventListener('cancel', (e) => e.preventDefault()); // the API needs a token
        form.addEventListener('submit', (e) => {
          e.preventDefault();
          const t = input.value.trim();
          if (!t) return;
          setToken(t);
          d.close();
          d.remove();
          resolve();
        });
        d.showModal();
        input.focus();
      })
  );
}

/** Resolves true when the user confirms. */
export function confirmDialog({ title, body, ok = 'OK', danger = false }) {
  return new Promise((resolve) => {
    let answer = false;
    const okBtn = h(`button.${danger ? 'danger' : 'primary'}`, { type: 'submit', value: 'ok', 'data-testid': 'confirm-ok' }, ok);
    const cancel = h('button', { type: 'button', 'data-testid': 'confirm-cancel' }, 'Cancel');
    const form = h('form', { method: 'dialog' }, h('h2', title), h('div.body', body), h('div.actions', cancel, okBtn));
    const d = modal('confirm', form);
    cancel.addEventListener('click', () => d.close());
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      answer = true;
      d.close();
    });
    d.addEventListener('close', () => {
      d.remove();
      resolve(answer);
    });
    d.showModal();
    cancel.focus();
  });
}

let toasts;
/** A short notice at the bottom right; kind is "error" or "info". */
export function toast(message, kind = 'info', ms = 6000) {
  if (!toasts) {
    toasts = h('div.toasts', { role: 'status', 'aria-live': 'polite' });
    document.body.append(toasts);
  }
  const t = h(`div.toast.${kind}`, { 'data-testid': 'toast' }, message);
  t.addEventListener('click', () => t.remove());
  toasts.append(t);
  setTimeout(() => t.remove(), ms);
}
