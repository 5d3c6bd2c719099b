// Small DOM and formatting helpers shared by the views.

/**
 * Creates an element: h('div.cls#id', {attrs}, child, ...). Children may be strings, nodes,
 * arrays or null. Attributes starting with "on" become listeners; "dataset" is an object.
 */
export function h(spec, attrs, ...children) {
  const m = /^([a-z0-9-]+)?((?:[.#][\w-]+)*)$/i.exec(spec);
  const el = document.createElement((m && m[1]) || 'div');
  if (m && m[2]) {
    for (const part of m[2].match(/[.#][\w-]+/g)) {
      if (part[0] === '.') el.classList.add(part.slice(1));
      else el.id = part.slice(1);
    }
  }
  if (attrs && (typeof attrs !== 'object' || attrs instanceof Node || Array.isArray(attrs))) {
    children.unshift(attrs);
    attrs = null;
  }
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v == null || v === false) continue;
      if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
      else if (k === 'dataset') Object.assign(el.dataset, v);
      else if (k === 'class') el.className = v;
      else if (k === 'text') el.textContent = v;
      else if (k === 'value') el.value = v;
      else if (k === 'checked' || k === 'disabled' || k === 'hidden') el[k] = !!v;
      else el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c == null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : String(c));
  }
}

/** Replaces all children of el. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

const nf = new Intl.NumberFormat('en-US');
export const num = (n) => nf.format(n);

/** "1.2s", "3m 04s", "2h 05m". */
export function duration(ms) {
  if (ms == null || !isFinite(ms)) return '';
  if (ms < 0) ms = 0;
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s < 10 ? s.toFixed(1) : Math.floor(s)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(Math.floor(s % 60)).padStart(2, '0')}s`;
  const hh = Math.floor(m / 60);
  if (hh < 48) return `${hh}h ${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(hh / 24)}d ${hh % 24}h`;
}

export function parseTime(iso) {
  if (!iso) return null;
  const t = Date.parse(iso);
  return isNaN(t) ? null : t;
}

/** Time between two ISO strings; a missing end means "until now". */
export function span(startIso, endIso, now = Date.now()) {
  const a = parseTime(startIso);
  if (a == null) return null;
  const b = parseTime(endIso);
  return (b == null ? now : b) - a;
}

/** "5s ago", "3m ago", "2h ago", "4d ago". */
export function ago(iso, now = Date.now()) {
  const t = parseTime(iso);
  if (t == null) return 'never';
  const s = Math.round((now - t) / 1000);
  if (s < 2) return 'just now';
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  if (s < 172800) return `${Math.floor(s / 3600)}h ago`;
  return `${Math.floor(s / 86400)}d ago`;
}

/** Local date and time, to the second. */
export function when(iso) {
  const t = parseTime(iso);
  if (t == null) return '';
  const d = new Date(t);
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

export function shortId(id) {
  return id ? id.slice(0, 8) : '';
}

/** Calls fn at most once per animation frame (or every 250 ms while the page is hidden). */
export function frameScheduler(fn) {
  let pending = false;
  let raf = 0;
  let timer = 0;
  const run = () => {
    if (!pending) return;
    pending = false;
    cancelAnimationFrame(raf);
    clearTimeout(timer);
    fn();
  };
  const schedule = () => {
    if (pending) return;
    pending = true;
    raf = requestAnimationFrame(run);
    timer = setTimeout(run, 250);
  };
  schedule.cancel = () => {
    pending = false;
    cancelAnimationFrame(raf);
    clearTimeout(timer);
  };
  schedule.flush = run;
  return schedule;
}

/** Runs fn now and then every ms (a number, or a function giving it) while the page is visible; returns a stop function. */
export function every(ms, fn) {
  let timer = 0;
  let stopped = false;
  const tick = async () => {
    if (stopped) return;
    if (!document.hidden) {
      try {
        await fn();
      } catch (e) {
        // the callback reports its own errors
      }
    }
    if (!stopped) timer = setTimeout(tick, typeof ms === 'function' ? ms() : ms);
  };
  const onVisible = () => {
    if (!document.hidden && !stopped) {
      clearTimeout(timer);
      tick();
    }
  };
  document.addEventListener('visibilitychange', onVisible);
  tick();
  return () => {
    stopped = true;
    clearTimeout(timer);
    document.removeEventListener('visibilitychange', onVisible);
  };
}

/** Removes terminal colour and cursor escape sequences from script output. */
export function stripAnsi(s) {
  // eslint-disable-next-line no-control-regex
  return s.indexOf('\x1b') < 0 ? s : s.replace(/\x1b\[[0-9;?]*[ -\/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g, '');
}

export function debounce(fn, ms) {
  let t = 0;
  return (...args) => {
    clearTimeout(t);
    t = setTimeout(() => fn(...args), ms);
  };
}
