// A windowed list: only the rows in view (plus a few) exist in the DOM, so a list of 5,000 hosts
// costs the same to render as a list of 30. Rows have one fixed height.
import { frameScheduler } from './util.js';

export class VirtualList {
  /**
   * @param {object} o
   * @param {HTMLElement} o.viewport scrolling element (gets the rows)
   * @param {number} o.rowHeight pixels
   * @param {() => HTMLElement} o.createRow makes an empty row element
   * @param {(el: HTMLElement, item: any, index: number) => void} o.renderRow fills a row
   * @param {number} [o.overscan] extra rows above and below the window
   */
  constructor({ viewport, rowHeight, createRow, renderRow, overscan = 8 }) {
    this.viewport = viewport;
    this.rowHeight = rowHeight;
    this.createRow = createRow;
    this.renderRow = renderRow;
    this.overscan = overscan;
    this.items = [];
    this.pool = [];
    this.spacer = document.createElement('div');
    this.spacer.className = 'vlist-spacer';
    this.viewport.classList.add('vlist');
    this.viewport.append(this.spacer);
    this.schedule = frameScheduler(() => this.render());
    this.onScroll = () => this.schedule();
    viewport.addEventListener('scroll', this.onScroll, { passive: true });
    if (window.ResizeObserver) {
      this.resize = new ResizeObserver(() => this.schedule());
      this.resize.observe(viewport);
    }
  }

  setItems(items) {
    this.items = items;
    this.spacer.style.height = `${items.length * this.rowHeight}px`;
    this.render();
  }

  /** Re-renders the rows in view (their data changed). */
  refresh() {
    this.render();
  }

  render() {
    this.schedule.cancel();
    const n = this.items.length;
    const h = this.rowHeight;
    const top = this.viewport.scrollTop;
    const height = this.viewport.clientHeight || 600;
    const first = Math.max(0, Math.floor(top / h) - this.overscan);
    const last = Math.min(n, Math.ceil((top + height) / h) + this.overscan);
    const count = Math.max(0, last - first);
    // lets a header outside the viewport line up with the rows (CSS var --scrollbar)
    const sb = this.viewport.offsetWidth - this.viewport.clientWidth;
    if (sb !== this.scrollbar && this.viewport.parentElement) {
      this.scrollbar = sb;
      this.viewport.parentElement.style.setProperty('--scrollbar', `${sb}px`);
    }
    while (this.pool.length < count) {
      const el = this.createRow();
      el.style.position = 'absolute';
      el.style.left = '0';
      el.style.right = '0';
      el.style.height = `${h}px`;
      this.pool.push(el);
      this.spacer.append(el);
    }
    for (let k = 0; k < this.pool.length; k++) {
      const el = this.pool[k];
      if (k < count) {
        const i = first + k;
        if (el._index !== i) {
          el._index = i;
          el.style.transform = `translateY(${i * h}px)`;
        }
        el.hidden = false;
        this.renderRow(el, this.items[i], i);
      } else if (!el.hidden) {
        el.hidden = true;
        el._index = -1;
      }
    }
  }

  /** Scrolls so that row i is in view. */
  reveal(i) {
    const h = this.rowHeight;
    const top = this.viewport.scrollTop;
    const height = this.viewport.clientHeight;
    if (i * h < top) this.viewport.scrollTop = i * h;
    else if ((i + 1) * h > top + height) this.viewport.scrollTop = (i + 1) * h - height;
    this.render();
  }

  destroy() {
    this.schedule.cancel();
    this.viewport.removeEventListener('scroll', this.onScroll);
    if (this.resize) this.resize.disconnect();
  }
}

/** Sets textContent only when it changed (cheap re-renders of pooled rows). */
export function setText(el, text) {
  const t = text == null ? '' : String(text);
  if (el.textContent !== t) el.textContent = t;
}
