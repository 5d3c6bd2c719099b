// The fleet (GET /api/v1/agents), polled every few seconds while some view is interested.
import { get } from './api.js';
import { every } from './util.js';

const POLL_MS = 3000; // while a page shows the fleet
const BACKGROUND_MS = 15000; // while only the header's summary does
const listeners = new Map(); // fn -> background?
let stop = null;

export const fleet = {
  agents: [],
  byId: new Map(),
  loaded: false,
  error: null,
  at: 0,
};

function publish() {
  for (const fn of listeners.keys()) fn(fleet);
}

function interval() {
  for (const background of listeners.values()) if (!background) return POLL_MS;
  return BACKGROUND_MS;
}

export async function refreshFleet() {
  try {
    const agents = await get('agents');
    agents.sort((a, b) => (a.hostname || '').localeCompare(b.hostname || '') || a.id.localeCompare(b.id));
    fleet.agents = agents;
    fleet.byId = new Map(agents.map((a) => [a.id, a]));
    fleet.loaded = true;
    fleet.error = null;
    fleet.at = Date.now();
  } catch (e) {
    fleet.error = e;
  }
  publish();
}

/**
 * Calls fn with the fleet now (if loaded) and after each refresh; returns an unsubscribe. A
 * background watcher alone makes the fleet refresh every 15 s instead of every 3 s.
 */
export function watchFleet(fn, { background = false } = {}) {
  const wasBackground = interval() === BACKGROUND_MS;
  listeners.set(fn, background);
  if (fleet.loaded || fleet.error) fn(fleet);
  if (stop && wasBackground && !background && Date.now() - fleet.at > POLL_MS) {
    stop(); // a page wants fresh data now
    stop = null;
  }
  if (!stop) stop = every(interval, refreshFleet);
  return () => {
    listeners.delete(fn);
    if (listeners.size === 0 && stop) {
      stop();
      stop = null;
    }
  };
}

export function counts(agents) {
  const c = { online: 0, offline: 0, pending: 0, total: agents.length };
  for (const a of agents) {
    if (a.state in c) c[a.state]++;
  }
  return c;
}
