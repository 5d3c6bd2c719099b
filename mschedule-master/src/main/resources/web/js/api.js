// The master's HTTP API (docs/api.md): JSON requests and the task event stream, with an optional
// bearer token kept in sessionStorage and asked for when the API answers 401.
import { readEvents } from './sse.js';

const TOKEN_KEY = 'mschedule.token';
const base = new URL('api/v1/', document.baseURI);

export class ApiError extends Error {
  constructor(status, message, field) {
    super(message);
    this.status = status;
    this.field = field || null;
  }
}

let askForToken = null; // (message) => Promise<string>, set by the login dialog
let pendingLogin = null;

export function onUnauthorized(fn) {
  askForToken = fn;
}

export function token() {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch (e) {
    return null;
  }
}

export function setToken(t) {
  try {
    if (t) sessionStorage.setItem(TOKEN_KEY, t);
    else sessionStorage.removeItem(TOKEN_KEY);
  } catch (e) {
    // storage disabled: the token lasts until the page is closed
  }
  memoryToken = t || null;
  window.dispatchEvent(new CustomEvent('mschedule:token'));
}

let memoryToken = null;
function currentToken() {
  return token() || memoryToken;
}

function headers(extra) {
  const h = { Accept: 'application/json', ...extra };
  const t = currentToken();
  if (t) h.Authorization = `Bearer ${t}`;
  return h;
}

function setConnected(ok, message) {
  window.dispatchEvent(new CustomEvent('mschedule:connection', { detail: { ok, message } }));
}

async function problem(res) {
  let body = null;
  try {
    body = await res.json();
  } catch (e) {
    // not JSON
  }
  const msg = (body && body.error) || `${res.status} ${res.statusText || 'error'}`;
  return new ApiError(res.status, msg, body && body.field);
}

/** Waits for a (new) token after a 401; several requests share one login prompt. */
async function login(usedToken, message) {
  if (currentToken() !== usedToken) return; // someone signed in meanwhile: just retry
  if (!askForToken) throw new ApiError(401, message);
  if (!pendingLogin) {
    pendingLogin = askForToken(usedToken ? `The master refused the token: ${message}` : message).finally(() => {
      pendingLogin = null;
    });
  }
  await pendingLogin;
}

async function send(path, init) {
  for (;;) {
    const used = currentToken();
    let res;
    try {
      res = await fetch(new URL(path, base), { cache: 'no-store', ...init, headers: headers(init.headers) });
    } catch (e) {
      if (e.name === 'AbortError') throw e;
      setConnected(false, 'master unreachable');
      throw new ApiError(0, 'The master is unreachable.');
    }
    setConnected(true);
    if (res.status === 401) {
      const err = await problem(res);
      await login(used, err.message);
      continue;
    }
    return res;
  }
}

export async function request(method, path, body, { signal } = {}) {
  const init = { method, signal, headers: {} };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const res = await send(path, init);
  if (!res.ok) throw await problem(res);
  if (res.status === 204) return null;
  const text = await res.text();
  return text ? JSON.parse(text) : null;
}

export const get = (path, opts) => request('GET', path, undefined, opts);
export const post = (path, body, opts) => request('POST', path, body, opts);

/**
 * Follows GET {path} as a server-sent event stream until the server ends it; calls onEvent for
 * each event. Rejects with ApiError for an HTTP error, resolves when the stream ends.
 */
export async function events(path, onEvent, { signal } = {}) {
  const res = await send(path, { method: 'GET', signal, headers: { Accept: 'text/event-stream' } });
  if (!res.ok) throw await problem(res);
  await readEvents(res, onEvent, signal);
}
