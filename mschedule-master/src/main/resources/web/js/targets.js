// Target matching, with the master's rules (TargetSelector): a target is "all", an agent id, a
// label "k=v", or a hostname glob with * and ?; several targets make a union; only online agents
// count. A target that matches no online agent makes the master refuse the task.

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

/** Whether one (trimmed) target selects the agent, online or not. */
export function matches(target, agent) {
  if (target === 'all') return true;
  if (target === agent.id) return true;
  const eq = target.indexOf('=');
  if (eq > 0) {
    const labels = agent.labels || {};
    const key = target.slice(0, eq);
    return Object.prototype.hasOwnProperty.call(labels, key) && labels[key] === target.slice(eq + 1);
  }
  return globRegExp(target).test(agent.hostname || '');
}

/**
 * Resolves targets against the fleet: {agents: matched online agents (union, fleet order),
 * perTarget: [{target, count}], unmatched: targets that match no online agent}.
 */
export function resolve(targets, agents) {
  const chosen = new Set();
  const out = [];
  const perTarget = [];
  const unmatched = [];
  const online = agents.filter((a) => a.state === 'online');
  for (const raw of targets) {
    const t = raw.trim();
    if (!t) continue;
    let count = 0;
    for (const a of online) {
      if (matches(t, a)) {
        count++;
        if (!chosen.has(a.id)) {
          chosen.add(a.id);
          out.push(a);
        }
      }
    }
    perTarget.push({ target: t, count });
    if (count === 0) unmatched.push(t);
  }
  return { agents: out, perTarget, unmatched };
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
