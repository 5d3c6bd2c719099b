// Jobs and schedules: every job with its newest version, every schedule with its next slot.
import { h, fill, when, every } from '../util.js';
import { get } from '../api.js';
import { pauseButton } from './schedule.js';

export function mount(root) {
  const jobRows = h('tbody', { 'data-testid': 'job-rows' });
  const scheduleRows = h('tbody', { 'data-testid': 'schedule-rows' });
  const error = h('div.banner.error', { hidden: true, role: 'alert' });
  const head = (titles) => h('thead', h('tr', titles.map((t) => h('th', { scope: 'col' }, t))));
  fill(
    root,
    h(
      'section.page.jobs',
      h('div.page-head', h('h1', 'Jobs')),
      error,
      h('table.grid', head(['Job', 'Version', 'SHA-256', 'Pushed', 'By', 'Message']), jobRows),
      h('div.page-head', h('h2', 'Schedules')),
      h('table.grid', head(['Schedule', 'Job', 'Cron', 'Time zone', 'State', 'Concurrency', 'Misfire', 'Next slot', '']), scheduleRows)
    )
  );

  async function load() {
    try {
      const [jobs, schedules] = await Promise.all([get('jobs'), get('schedules')]);
      error.hidden = true;
      fill(
        jobRows,
        jobs.length
          ? jobs.map((j) =>
              h(
                'tr',
                { 'data-testid': 'job-row', 'data-job': j.job },
                h('td.mono', h('a', { href: `#/jobs/${encodeURIComponent(j.job)}`, 'data-testid': 'job-link' }, j.job)),
                h('td.num', String(j.version)),
                h('td.mono', { title: j.sha256 }, j.sha256.slice(0, 12)),
                h('td', when(j.created_at)),
                h('td', j.created_by || 'anonymous'),
                h('td', j.message || '')
              )
            )
          : h('tr', h('td.empty', { colspan: 6 }, 'No job yet: mschedule job push NAME FILE'))
      );
      fill(
        scheduleRows,
        schedules.length
          ? schedules.map((s) =>
              h(
                'tr',
                { 'data-testid': 'schedule-row', 'data-schedule': s.name, 'data-paused': String(!!s.paused) },
                h('td.mono', h('a', { href: `#/schedules/${encodeURIComponent(s.name)}`, 'data-testid': 'schedule-link' }, s.name)),
                h('td.mono', h('a', { href: `#/jobs/${encodeURIComponent(s.job)}` }, s.job_version == null ? s.job : `${s.job}@${s.job_version}`)),
                h('td.mono', s.cron),
                h('td', s.tz),
                h('td', s.paused ? 'paused' : 'active'),
                h('td', s.concurrency),
                h('td', s.misfire),
                h('td', s.next_slot && !s.paused ? when(s.next_slot) : '—'),
                h('td.actions-cell', pauseButton(s, load))
              )
            )
          : h('tr', h('td.empty', { colspan: 9 }, 'No schedule yet: mschedule schedule add NAME --job JOB --cron EXPR'))
      );
    } catch (e) {
      error.hidden = false;
      error.textContent = `Could not load jobs: ${e.message}`;
    }
  }

  return every(() => 15000, load);
}
