// One schedule: its settings, its next fire times, its last tasks; pause and resume
// (GET /api/v1/schedules/{name}, /next, GET /api/v1/tasks?schedule=…).
import { h, fill, when, duration, every } from '../util.js';
import { get, post } from '../api.js';
import { toast } from '../dialogs.js';
import { taskTable } from '../tasktable.js';

/** A Pause or Resume button for schedule s; calls done() after the change. */
export function pauseButton(s, done) {
  const verb = s.paused ? 'resume' : 'pause';
  const b = h(`button${s.paused ? '.primary' : ''}`, { type: 'button', 'data-testid': `schedule-${verb}` }, s.paused ? 'Resume' : 'Pause');
  b.addEventListener('click', async (e) => {
    e.stopPropagation();
    b.disabled = true;
    try {
      await post(`schedules/${encodeURIComponent(s.name)}/${verb}`, {});
      toast(`Schedule ${s.name} ${s.paused ? 'resumed' : 'paused'}.`, 'info', 3000);
    } catch (err) {
      toast(err.message, 'error');
    } finally {
      b.disabled = false;
      await done();
    }
  });
  return b;
}

export function mount(root, [name]) {
  const error = h('div.banner.error', { hidden: true, role: 'alert', 'data-testid': 'schedule-error' });
  const state = h('span.badge', { 'data-testid': 'schedule-state' }, '…');
  const actions = h('span.actions');
  const meta = h('dl.meta', { 'data-testid': 'schedule-meta' });
  const next = h('ol.next-slots', { 'data-testid': 'schedule-next' });
  const nextNote = h('p.hint');
  const { table, render } = taskTable('schedule-tasks');
  fill(
    root,
    h(
      'section.page.schedule',
      h('div.page-head', h('h1', 'Schedule ', h('code', name)), state, h('span.spacer'), actions),
      error,
      meta,
      h('div.two-col', h('div', h('h2', 'Next fire times'), nextNote, next), h('div', h('h2', 'Last tasks'), table))
    )
  );

  async function load() {
    let s;
    try {
      s = await get(`schedules/${encodeURIComponent(name)}`);
      error.hidden = true;
    } catch (e) {
      error.hidden = false;
      error.textContent = e.status === 404 ? `No schedule ${name}.` : `Could not load schedule ${name}: ${e.message}`;
      return;
    }
    state.textContent = s.paused ? 'paused' : 'active';
    state.className = `badge ${s.paused ? 'state-WAITING' : 'state-SUCCEEDED'}`;
    state.dataset.state = s.paused ? 'paused' : 'active';
    fill(actions, pauseButton(s, load));
    const job = s.job_version == null ? `${s.job} (newest version at each slot)` : `${s.job}@${s.job_version}`;
    const rows = [
      ['Job', h('a', { href: `#/jobs/${encodeURIComponent(s.job)}` }, job)],
      ['Cron', h('code', s.cron)],
      ['Time zone', s.tz],
      ['Targets', (s.targets || []).join(' ')],
      ['Parallel', s.parallel == null ? 'master default' : String(s.parallel)],
      ['Timeout', s.timeout ? `${s.timeout}s` : 'none'],
      ['Concurrency', s.concurrency],
      ['Misfire', s.misfire],
      ['Starting deadline', s.starting_deadline ? `${s.starting_deadline}s` : 'none'],
      ['Last slot', s.last_slot ? when(s.last_slot) : 'none yet'],
      ['Created', `${when(s.created_at)} by ${s.created_by || 'anonymous'}`],
    ];
    if (s.env && Object.keys(s.env).length) rows.push(['Parameters', Object.entries(s.env).map(([k, v]) => `${k}=${v}`).join(' ')]);
    fill(meta, rows.map(([k, v]) => h('div', h('dt', k), h('dd', v))));
    try {
      const [slots, tasks] = await Promise.all([
        get(`schedules/${encodeURIComponent(name)}/next?n=10`),
        get(`tasks?${new URLSearchParams({ schedule: name, limit: '20', runs: 'false' })}`),
      ]);
      nextNote.textContent = s.paused ? 'Paused: none of these fires until the schedule is resumed (it then starts from the first slot after now).' : `In ${s.tz}, shown here in local time.`;
      const now = Date.now();
      fill(next, slots.map((t) => h('li', { 'data-testid': 'next-slot', title: t }, `${when(t)} `, h('span.muted', `(in ${duration(Date.parse(t) - now)})`))));
      render(tasks, 'No task from this schedule yet.');
    } catch (e) {
      error.hidden = false;
      error.textContent = `Could not load schedule ${name}: ${e.message}`;
    }
  }

  return every(15000, load);
}
