// Targets. What a target selects is the master's to say (TargetSelector: terms joined with ':'
// (or), ':&' (and), ':!' (not)); the run form asks it through targetCounter. matches() is the
// simple glob filter of the fleet and task pages.
import { post } from './api.js';

/** Splits what the user typed into targets: commas, spaces and newlines separate them. */
export function parseTargets(text) {
  return (text || '')
    .split(/[\s,]+/)
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
}

const globCache = new Map();
// Java's "." (the master compiles globs to java.util.regex): any character but a line terminator.
const ANY = '[^\\n\\r\\u0085\\u2028\\u2029]';

function globRegExp(glob) {
  let re = globCache.get(glob);
  if (!re) {
    let src = '';
    for (const c of glob) {
      if (c === '*') src += `${ANY}*`;
      else if (c === '?') src += ANY;
      else src += c.replace(/[.*+?^${}()|[\]\\\/]/g, '\\$&');
    }
    re = new RegExp(`^(?:${src})$`, 'u');
    if (globCache.size > 500) globCache.clear();
    globCache.set(glob, re);
  }
  return re;
}

/** Whether one simple term (all, an id, k=v, a name or hostname glob) matches the agent. */
export function matches(target, agent) {
  if (target === 'all') return true;
  if (target === agent.id) return true;
  const eq = target.indexOf('=');
  if (eq > 0) {
    const labels = agent.labels || {};
    const key = target.slice(0, eq);
    return Object.prototype.hasOwnProperty.call(labels, key) && labels[key] === target.slice(eq + 1);
  }
  const re = globRegExp(target);
  return re.test(agent.hostname || '') || (agent.name != null && re.test(agent.name));
}

/**
 * Asks the master what targets select (POST /api/v1/targets/preview: the master's grammar, one
 * parser for the CLI, the API and this console). Returns a function that takes the targets and
 * resolves to {agents, pending, errors}, or to null when a newer call superseded it.
 */
export function targetCounter() {
  let current = null;
  return async (targets) => {
    if (current) current.abort();
    const ctl = new AbortController();
    current = ctl;
    try {
      const r = await post('/api/v1/targets/preview', { targets }, { signal: ctl.signal });
      return ctl === current ? r : null;
    } catch (err) {
      if (ctl.signal.aborted) return null;
      // a pattern the master cannot parse: a 400 that names the fault
      return { agents: [], pending: 0, errors: [err.message || String(err)] };
    }
  };
}

/** The master's Parallelism.resolve: runs allowed in flight (0 = all), or null if invalid. */
export function resolveParallel(value, targets, fallback = '5') {
  const s = String(value ?? '').trim();
  if (s === '') return String(fallback).trim() === '' ? null : resolveParallel(fallback, targets, '');
  if (s.endsWith('%')) {
    const p = s.slice(0, -1).trim();
    if (!/^[+-]?\d+$/.test(p)) return null;
    const pct = parseInt(p, 10);
    if (pct < 1 || pct > 100) return null;
    return Math.max(1, Math.ceil((targets * pct) / 100));
  }
  if (!/^[+-]?\d+$/.test(s)) return null;
  const n = parseInt(s, 10);
  return n < 0 ? null : n;
}
