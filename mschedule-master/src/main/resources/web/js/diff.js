// Side-by-side view of a unified diff (as GET /api/v1/jobs/{name}/diff gives it): context lines on
// both sides, removed lines on the left, added lines on the right, paired up within each change.
import { h } from './util.js';

/** Rows of the diff: {kind: 'hunk'|'same'|'change', left, right, ln, rn} (line numbers or null). */
export function sideBySide(unified) {
  const rows = [];
  let ln = 0;
  let rn = 0;
  let del = [];
  let add = [];
  const flush = () => {
    for (let i = 0; i < Math.max(del.length, add.length); i++) {
      const l = del[i];
      const r = add[i];
      rows.push({ kind: 'change', left: l ? l.text : null, right: r ? r.text : null, ln: l ? l.n : null, rn: r ? r.n : null });
    }
    del = [];
    add = [];
  };
  for (const line of (unified || '').split('\n')) {
    if (line.startsWith('---') || line.startsWith('+++')) continue;
    const m = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(line);
    if (m) {
      flush();
      ln = Number(m[1]);
      rn = Number(m[2]);
      rows.push({ kind: 'hunk', left: line, right: line, ln: null, rn: null });
    } else if (line.startsWith('-')) {
      del.push({ text: line.slice(1), n: ln++ });
    } else if (line.startsWith('+')) {
      add.push({ text: line.slice(1), n: rn++ });
    } else if (line.startsWith(' ')) {
      flush();
      rows.push({ kind: 'same', left: line.slice(1), right: line.slice(1), ln: ln++, rn: rn++ });
    }
  }
  flush();
  return rows;
}

/** A table showing the diff side by side. */
export function diffTable(unified, leftTitle, rightTitle) {
  const rows = sideBySide(unified);
  const cell = (n, text, cls) => [h('td.ln', n == null ? '' : String(n)), h(`td.code.${cls}`, text == null ? '' : text)];
  return h(
    'table.diff',
    { 'data-testid': 'diff' },
    h('colgroup', h('col.ln'), h('col'), h('col.ln'), h('col')),
    h('thead', h('tr', h('th', { colspan: 2 }, leftTitle), h('th', { colspan: 2 }, rightTitle))),
    h(
      'tbody',
      rows.map((r) => {
        if (r.kind === 'hunk') return h('tr.hunk', h('td', { colspan: 4 }, r.left));
        if (r.kind === 'same') return h('tr.same', cell(r.ln, r.left, 'same'), cell(r.rn, r.right, 'same'));
        return h(
          'tr.change',
          { 'data-testid': 'diff-change' },
          cell(r.ln, r.left, r.left == null ? 'blank' : 'del'),
          cell(r.rn, r.right, r.right == null ? 'blank' : 'add')
        );
      })
    )
  );
}
