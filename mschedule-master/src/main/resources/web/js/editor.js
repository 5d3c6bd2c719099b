// A script editor on a plain <textarea>: line numbers, Tab / Shift+Tab indent and outdent,
// Enter keeps the indentation, Ctrl+Enter (Cmd+Enter) submits. Escape, then Tab, leaves it.
import { h } from './util.js';

const INDENT = '  ';

export function scriptEditor({ id, value = '', onSubmit, onChange, label }) {
  const gutter = h('div.gutter', { 'aria-hidden': 'true' });
  const ta = h(`textarea#${id}.code`, {
    name: id,
    wrap: 'off',
    spellcheck: 'false',
    autocapitalize: 'off',
    autocomplete: 'off',
    'data-testid': id,
    'aria-label': label || 'Script',
  });
  ta.value = value;
  const root = h('div.editor', gutter, ta);
  let lines = 0;
  let escaped = false;

  const renumber = () => {
    let n = 1;
    const v = ta.value;
    for (let i = v.indexOf('\n'); i >= 0; i = v.indexOf('\n', i + 1)) n++;
    if (n !== lines) {
      lines = n;
      let s = '';
      for (let i = 1; i <= n; i++) s += `${i}\n`;
      gutter.textContent = s;
    }
    gutter.scrollTop = ta.scrollTop;
  };

  // Inserts text as if typed, so that undo (Ctrl+Z) keeps working.
  const insert = (text, start, end) => {
    ta.setSelectionRange(start, end);
    if (!document.execCommand || !document.execCommand('insertText', false, text)) {
      ta.setRangeText(text, start, end, 'end');
      ta.dispatchEvent(new Event('input', { bubbles: true }));
    }
  };

  ta.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      escaped = true;
      return;
    }
    if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') {
      e.preventDefault();
      if (onSubmit) onSubmit();
      return;
    }
    if (e.key === 'Tab' && !e.ctrlKey && !e.altKey && !e.metaKey) {
      if (escaped) {
        escaped = false;
        return; // let focus move on
      }
      e.preventDefault();
      const v = ta.value;
      const s = ta.selectionStart;
      const t = ta.selectionEnd;
      const lineStart = v.lastIndexOf('\n', s - 1) + 1;
      const multi = v.slice(s, t).includes('\n');
      if (!multi && !e.shiftKey) {
        insert(INDENT, s, t);
        return;
      }
      // indent or outdent every line of the selection
      let blockEnd = t;
      if (t > s && v[t - 1] === '\n') blockEnd = t - 1;
      const nl = v.indexOf('\n', blockEnd);
      const lineEnd = nl < 0 ? v.length : nl;
      const block = v.slice(lineStart, lineEnd).split('\n');
      const changed = block.map((l) => {
        if (!e.shiftKey) return INDENT + l;
        if (l.startsWith(INDENT)) return l.slice(INDENT.length);
        if (l.startsWith('\t') || l.startsWith(' ')) return l.slice(1);
        return l;
      });
      const text = changed.join('\n');
      const firstDelta = changed[0].length - block[0].length;
      insert(text, lineStart, lineEnd);
      if (multi) ta.setSelectionRange(lineStart, lineStart + text.length);
      else {
        const pos = Math.max(lineStart, s + firstDelta);
        ta.setSelectionRange(pos, pos);
      }
      return;
    }
    escaped = false;
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      const v = ta.value;
      const s = ta.selectionStart;
      const lineStart = v.lastIndexOf('\n', s - 1) + 1;
      const indent = /^[ \t]*/.exec(v.slice(lineStart, s))[0];
      if (indent) {
        e.preventDefault();
        insert(`\n${indent}`, s, ta.selectionEnd);
      }
    }
  });
  ta.addEventListener('input', () => {
    renumber();
    if (onChange) onChange(ta.value);
  });
  ta.addEventListener('scroll', () => {
    gutter.scrollTop = ta.scrollTop;
  });
  renumber();

  return {
    root,
    textarea: ta,
    get value() {
      return ta.value;
    },
    set value(v) {
      ta.value = v;
      renumber();
    },
    focus: () => ta.focus(),
  };
}
