// The fleet (GET /api/v1/agents), polled every few seconds while some view is interested.
import { get } from './api.js';
import { every } from './util.js';

const POLL_MS = 3000;
const listeners = new Set();
let stop = null;

export const fleet = {
  agents: [],
  byId: new Map(),
  loaded: false,
  error: null,
  at: 0,
};

function publish() {
  for (const fn of listeners) fn(fleet);
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

/** Calls fn with the fleet now (if loaded) and after each refresh; returns an unsubscribe. */
export function watchFleet(fn) {
  listeners.add(fn);
  if (fleet.loaded || fleet.error) fn(fleet);
  if (!stop) stop = every(POLL_MS, refreshFleet);
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
