// The console's entry point: hash routes, header, sign-in.
import { setupLogin } from './dialogs.js';
import { token, setToken, get } from './api.js';
import { watchFleet, counts } from './fleetstore.js';
import { num } from './util.js';
import * as fleetView from './views/fleet.js';
import * as runView from './views/run.js';
import * as taskView from './views/task.js';
import * as historyView from './views/history.js';
import * as jobsView from './views/jobs.js';
import * as jobView from './views/job.js';
import * as scheduleView from './views/schedule.js';
import * as keysView from './views/keys.js';
import * as tokensView from './views/tokens.js';
import * as auditView from './views/audit.js';

const routes = [
  { re: /^#?\/?(?:fleet)?$/, nav: 'fleet', title: 'Fleet', view: fleetView },
  { re: /^#\/run$/, nav: 'run', title: 'Run', view: runView },
  { re: /^#\/history$/, nav: 'history', title: 'History', view: historyView },
  { re: /^#\/jobs$/, nav: 'jobs', title: 'Jobs', view: jobsView },
  { re: /^#\/jobs\/([^/]+)$/, nav: 'jobs', title: 'Job', view: jobView },
  { re: /^#\/schedules\/([^/]+)$/, nav: 'jobs', title: 'Schedule', view: scheduleView },
  { re: /^#\/keys$/, nav: 'keys', title: 'Agent keys', view: keysView },
  { re: /^#\/tokens$/, nav: 'tokens', title: 'API tokens', view: tokensView },
  { re: /^#\/audit$/, nav: 'audit', title: 'Audit log', view: auditView },
  { re: /^#\/tasks\/([^/]+)(?:\/([^/]+))?$/, nav: 'history', title: 'Task', view: taskView },
];

const main = document.getElementById('view');
let unmount = null;
let current = null;

function route() {
  const hash = location.hash || '#/fleet';
  let r = routes.find((x) => x.re.test(hash));
  let params = [];
  if (r) params = hash.match(r.re).slice(1).map((p) => (p == null ? p : decodeURIComponent(p)));
  if (r && r.view === taskView && current && current.view === taskView && current.params[0] === params[0]) {
    // same task, another host selected: the task view already shows it
    current.params = params;
    if (taskView.update) taskView.update(params);
    return;
  }
  if (unmount) {
    try {
      unmount();
    } catch (e) {
      console.error(e);
    }
    unmount = null;
  }
  main.replaceChildren();
  if (!r) {
    main.textContent = 'No such page.';
    return;
  }
  current = { view: r.view, params };
  for (const a of document.querySelectorAll('nav a[data-nav]')) {
    a.classList.toggle('active', a.dataset.nav === r.nav && r.view !== taskView);
    if (a.classList.contains('active')) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  document.title = `${r.title} · mschedule`;
  unmount = r.view.mount(main, params) || null;
  main.focus({ preventScroll: true });
}

function header() {
  const summary = document.getElementById('fleet-summary');
  const pending = document.getElementById('pending-keys');
  watchFleet((f) => {
    if (!f.loaded) return;
    const c = counts(f.agents);
    summary.replaceChildren();
    const dot = document.createElement('span');
    dot.className = `dot ${c.online > 0 ? 'online' : 'offline'}`;
    summary.append(dot, `${num(c.online)} of ${num(c.total)} agents online`);
    pending.hidden = c.pending === 0;
    pending.dataset.count = String(c.pending);
    pending.textContent = `${num(c.pending)} key${c.pending === 1 ? '' : 's'} pending`;
  }, { background: true });
  const conn = document.getElementById('connection');
  window.addEventListener('mschedule:connection', (e) => {
    conn.hidden = e.detail.ok;
    conn.textContent = e.detail.ok ? '' : e.detail.message || 'master unreachable';
  });
  const signOut = document.getElementById('sign-out');
  const showSignOut = () => {
    signOut.hidden = !token();
  };
  window.addEventListener('mschedule:token', () => {
    showSignOut();
    adminLinks();
  });
  showSignOut();
  adminLinks();
  signOut.addEventListener('click', () => {
    setToken(null);
    location.reload();
  });
}

/** The administration links show for admin tokens only (the API refuses the others anyway). */
async function adminLinks() {
  try {
    const me = await get('whoami');
    for (const a of document.querySelectorAll('[data-admin]')) a.hidden = me.role !== 'admin';
  } catch (e) {
    // unknown: leave the links; the pages say what the master answers
  }
}

setupLogin();
header();
window.addEventListener('hashchange', route);
route();
