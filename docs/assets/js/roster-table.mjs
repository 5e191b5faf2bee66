// A virtualised table body for the roster page: only the rows near the viewport are in the DOM
// (about 60, whatever the file's length), between two spacer bodies that stand for the rest.
// The rows stay in the roster worker; `fetchPage(offset, count)` brings a page of them.
// Row heights vary (notes, errors), so positions use the mean height measured so far: a long
// jump lands within a few rows of where the scrollbar says, which is enough for a register.

const PAGE = 100; // rows per request to the worker
const MARGIN = 20; // rows rendered above and below the viewport
const ALL_AT_ONCE = 150; // a table this short is rendered whole (no spacers)
const CACHE_PAGES = 40; // pages kept (4,000 rows); older ones are fetched again if needed

export class VirtualRows {
  constructor({ tbody, top, bottom, fetchPage, rowHtml, onMatched }) {
    this.tbody = tbody;
    this.top = top; // spacer <tbody> before the rows, a single <tr><td>
    this.bottom = bottom;
    this.fetchPage = fetchPage;
    this.rowHtml = rowHtml;
    this.onMatched = onMatched || (() => {});
    this.rowHeight = 44;
    this.above = 0; // height of the top spacer, px
    this.measured = false; // rowHeight measured for the current selection
    this.generation = 0;
    this.pages = new Map();
    this.pending = new Set();
    this.matched = 0;
    this.shown = [-1, -1];
    this.frame = 0;
    this.frozen = false; // while the whole list is drawn for print
    this.schedule = () => {
      if (!this.frame) this.frame = requestAnimationFrame(() => ((this.frame = 0), this.update()));
    };
    addEventListener("scroll", this.schedule, { passive: true });
    addEventListener("resize", this.schedule);
  }

  // A new selection (file, filter): forget every cached page and start at its first page.
  async reset() {
    const generation = ++this.generation;
    this.frozen = false;
    this.measured = false;
    this.pages.clear();
    this.pending.clear();
    this.shown = [-1, -1];
    this.tbody.innerHTML = "";
    this.spacers(0, 0);
    await this.load(0, generation);
    if (generation !== this.generation) return;
    this.update();
  }

  async load(index, generation) {
    if (this.pages.has(index) || this.pending.has(index)) return;
    this.pending.add(index);
    try {
      const page = await this.fetchPage(index * PAGE, PAGE);
      if (generation !== this.generation) return;
      this.matched = page.matched;
      this.onMatched(page.matched);
      this.pages.set(index, page.rows);
      if (this.pages.size > CACHE_PAGES) this.pages.delete(this.pages.keys().next().value);
    } finally {
      if (generation === this.generation) this.pending.delete(index);
    }
  }

  // Which rows are near the viewport (page coordinates, so the window's own scrollbar works and
  // a phone scrolls one page, not a box inside it).
  range() {
    const n = this.matched;
    if (n <= ALL_AT_ONCE) return [0, n];
    const start = this.tbody.getBoundingClientRect().top - this.above; // where row 0 is, in the viewport
    const from = Math.max(0, -start);
    const count = Math.ceil(innerHeight / this.rowHeight) + 2 * MARGIN;
    // Past the end (or before the start) of the table, the window stays on its last (first) rows.
    const first = Math.max(0, Math.min(n - count, Math.floor(from / this.rowHeight) - MARGIN));
    const last = Math.min(n, first + count);
    return [first, last];
  }

  update() {
    if (this.frozen) return;
    const generation = this.generation;
    const [first, last] = this.range();
    const missing = [];
    for (let p = Math.floor(first / PAGE); p * PAGE < last; p++) if (!this.pages.has(p)) missing.push(p);
    if (missing.length) {
      Promise.all(missing.map((p) => this.load(p, generation))).then(() => {
        if (generation === this.generation) this.schedule();
      });
      return;
    }
    if (first === this.shown[0] && last === this.shown[1]) return;
    const html = [];
    for (let i = first; i < last; i++) html.push(this.rowHtml(this.pages.get(Math.floor(i / PAGE))[i % PAGE]));
    this.tbody.innerHTML = html.join("");
    this.shown = [first, last];
    if (!this.measured && last > first && this.matched > ALL_AT_ONCE) {
      // The mean height of the first window drawn, kept for the whole selection: changing it
      // while the reader scrolls would move every row under the scrollbar.
      const measured = this.tbody.getBoundingClientRect().height / (last - first);
      if (measured > 0) this.rowHeight = measured;
      this.measured = true;
    }
    this.spacers(first * this.rowHeight, (this.matched - last) * this.rowHeight);
  }

  spacers(above, below) {
    this.above = Math.round(above);
    this.top.hidden = above <= 0;
    this.bottom.hidden = below <= 0;
    this.top.querySelector("td").style.height = `${this.above}px`;
    this.bottom.querySelector("td").style.height = `${Math.round(below)}px`;
  }

  // Every row, for print (an explicit request: the 回头看 list is printed whole).
  async renderAll() {
    const generation = ++this.generation;
    this.frozen = true;
    const rows = [];
    for (let offset = 0; ; offset += 500) {
      const page = await this.fetchPage(offset, 500);
      if (generation !== this.generation) return false;
      rows.push(...page.rows.map(this.rowHtml));
      if (offset + 500 >= page.matched) break;
    }
    this.tbody.innerHTML = rows.join("");
    this.spacers(0, 0);
    this.shown = [-1, -1];
    return true;
  }
}
