// A virtualized, keyboard-usable tree (WAI-ARIA tree pattern): only the rows in view are in the
// DOM, so a tree of 15,000 schema nodes or a list of 10,000 entries scrolls as fast as ten rows.
//
// Nodes are plain objects: {children?: Node[] | null, expanded?: boolean, ...}; the caller's
// render(node, labelElement) fills a row. Children may be produced lazily by getChildren(node).

let treeCount = 0;

export class VirtualTree {
  /**
   * @param {HTMLElement} container an element with a fixed height; it scrolls
   * @param {{label: string, render: (node: any, el: HTMLElement) => void,
   *          getChildren?: (node: any) => any[] | null, hasChildren?: (node: any) => boolean,
   *          onSelect?: (node: any) => void, onActivate?: (node: any) => void,
   *          onKey?: (ev: KeyboardEvent, node: any) => boolean, rowHeight?: number}} opts
   */
  constructor(container, opts) {
    this.id = "vt" + ++treeCount;
    this.opts = opts;
    this.rowHeight = opts.rowHeight || 24;
    this.el = container;
    this.el.classList.add("vtree");
    this.el.setAttribute("role", "tree");
    this.el.setAttribute("aria-label", opts.label);
    this.el.tabIndex = 0;
    this.spacer = document.createElement("div");
    this.spacer.className = "vtree-spacer";
    this.el.replaceChildren(this.spacer);
    this.roots = [];
    this.visible = []; // [{node, depth}]
    this.index = new Map(); // node -> position in visible
    this.selected = null;
    this.pool = [];
    this._raf = 0;
    this.el.addEventListener("scroll", () => this._schedule());
    this.el.addEventListener("keydown", (ev) => this._key(ev));
    this.el.addEventListener("click", (ev) => this._click(ev));
    this.el.addEventListener("dblclick", (ev) => {
      const n = this._rowNode(ev.target);
      if (n && this.opts.onActivate) this.opts.onActivate(n);
    });
    new ResizeObserver(() => this._schedule()).observe(this.el);
  }

  children(node) {
    if (this.opts.getChildren) return this.opts.getChildren(node);
    return node.children || null;
  }

  hasChildren(node) {
    if (this.opts.hasChildren) return this.opts.hasChildren(node);
    const c = this.children(node);
    return !!(c && c.length);
  }

  /** Replaces the roots and renders. */
  setRoots(roots) {
    this.roots = roots;
    this.selected = null;
    this.refresh();
  }

  /** Recomputes the visible rows after nodes were expanded, collapsed or changed. */
  refresh() {
    const vis = [];
    const walk = (nodes, depth) => {
      for (const n of nodes) {
        vis.push({ node: n, depth });
        if (n.expanded) {
          const c = this.children(n);
          if (c) walk(c, depth + 1);
        }
      }
    };
    walk(this.roots, 1);
    this.visible = vis;
    this.index = new Map();
    vis.forEach((v, i) => this.index.set(v.node, i));
    this.spacer.style.height = vis.length * this.rowHeight + "px";
    this._render();
  }

  /** Number of rows that expanded nodes make visible. */
  get size() {
    return this.visible.length;
  }

  toggle(node, open) {
    if (!this.hasChildren(node)) return;
    node.expanded = open === undefined ? !node.expanded : open;
    this.refresh();
  }

  /** Expands every node down to depth (Infinity: all), at most limit rows. */
  expandAll(depth = Infinity, limit = 200000) {
    let count = 0;
    const walk = (nodes, d) => {
      for (const n of nodes) {
        if (++count > limit) return;
        if (d < depth && this.hasChildren(n)) {
          n.expanded = true;
          walk(this.children(n), d + 1);
        }
      }
    };
    walk(this.roots, 1);
    this.refresh();
  }

  collapseAll() {
    const walk = (nodes) => {
      for (const n of nodes) {
        if (n.expanded) {
          n.expanded = false;
          const c = this.children(n);
          if (c) walk(c);
        }
      }
    };
    walk(this.roots);
    this.refresh();
  }

  /** Selects node (its ancestors, given as a list root first, are expanded) and scrolls to it. */
  reveal(node, ancestors = []) {
    let changed = false;
    for (const a of ancestors) {
      if (!a.expanded) {
        a.expanded = true;
        changed = true;
      }
    }
    if (changed) this.refresh();
    this.select(node);
  }

  /** Expands the ancestors (root first) and scrolls node into view, without selecting it. */
  scrollTo(node, ancestors = []) {
    let changed = false;
    for (const a of ancestors) {
      if (!a.expanded) {
        a.expanded = true;
        changed = true;
      }
    }
    if (changed) this.refresh();
    this._scrollTo(node);
    this._render();
  }

  _scrollTo(node) {
    const i = this.index.get(node);
    if (i === undefined) return;
    const top = i * this.rowHeight;
    if (top < this.el.scrollTop) this.el.scrollTop = top;
    else if (top + this.rowHeight > this.el.scrollTop + this.el.clientHeight) this.el.scrollTop = top + this.rowHeight - this.el.clientHeight;
  }

  select(node, focus) {
    this.selected = node;
    this._scrollTo(node);
    this._render();
    if (focus) this.el.focus();
    if (this.opts.onSelect) this.opts.onSelect(node);
  }

  _schedule() {
    if (this._raf) return;
    this._raf = requestAnimationFrame(() => {
      this._raf = 0;
      this._render();
    });
  }

  _render() {
    const h = this.rowHeight;
    const first = Math.max(0, Math.floor(this.el.scrollTop / h) - 4);
    const count = Math.ceil((this.el.clientHeight || 400) / h) + 8;
    const last = Math.min(this.visible.length, first + count);
    const need = last - first;
    while (this.pool.length < need) {
      const row = document.createElement("div");
      row.className = "vtree-row";
      row.setAttribute("role", "treeitem");
      const tog = document.createElement("span");
      tog.className = "vtree-toggle";
      tog.setAttribute("aria-hidden", "true");
      const label = document.createElement("span");
      label.className = "vtree-label";
      row.append(tog, label);
      this.spacer.append(row);
      this.pool.push(row);
    }
    let active = "";
    for (let k = 0; k < this.pool.length; k++) {
      const row = this.pool[k];
      if (k >= need) {
        row.hidden = true;
        row.removeAttribute("id");
        row._node = null;
        continue;
      }
      const i = first + k;
      const { node, depth } = this.visible[i];
      row.hidden = false;
      row._node = node;
      row.id = this.id + "-" + i;
      row.style.transform = "translateY(" + i * h + "px)";
      row.style.paddingLeft = (depth - 1) * 16 + 4 + "px";
      row.setAttribute("aria-level", String(depth));
      row.setAttribute("aria-setsize", "-1");
      const kids = this.hasChildren(node);
      if (kids) row.setAttribute("aria-expanded", String(!!node.expanded));
      else row.removeAttribute("aria-expanded");
      row.firstChild.textContent = kids ? (node.expanded ? "▾" : "▸") : "";
      const sel = node === this.selected;
      row.setAttribute("aria-selected", String(sel));
      row.classList.toggle("selected", sel);
      if (sel) active = row.id;
      this.opts.render(node, row.lastChild, row);
    }
    if (active) this.el.setAttribute("aria-activedescendant", active);
    else this.el.removeAttribute("aria-activedescendant");
  }

  _rowNode(target) {
    const row = target.closest(".vtree-row");
    return row ? row._node : null;
  }

  _click(ev) {
    const n = this._rowNode(ev.target);
    if (!n) return;
    if (ev.target.classList.contains("vtree-toggle")) {
      this.toggle(n);
      this.select(n);
      return;
    }
    this.select(n);
  }

  _key(ev) {
    const cur = this.selected;
    const i = cur ? this.index.get(cur) : undefined;
    if (cur && this.opts.onKey && this.opts.onKey(ev, cur)) {
      ev.preventDefault();
      return;
    }
    const go = (j) => {
      if (this.visible.length === 0) return;
      j = Math.max(0, Math.min(this.visible.length - 1, j));
      this.select(this.visible[j].node);
    };
    const page = Math.max(1, Math.floor(this.el.clientHeight / this.rowHeight) - 1);
    switch (ev.key) {
      case "ArrowDown":
        go(i === undefined ? 0 : i + 1);
        break;
      case "ArrowUp":
        go(i === undefined ? 0 : i - 1);
        break;
      case "PageDown":
        go(i === undefined ? 0 : i + page);
        break;
      case "PageUp":
        go(i === undefined ? 0 : i - page);
        break;
      case "Home":
        go(0);
        break;
      case "End":
        go(this.visible.length - 1);
        break;
      case "ArrowRight":
        if (!cur) return go(0);
        if (this.hasChildren(cur) && !cur.expanded) this.toggle(cur, true);
        else if (cur.expanded) go(i + 1);
        break;
      case "ArrowLeft":
        if (!cur) return go(0);
        if (cur.expanded) this.toggle(cur, false);
        else {
          const d = this.visible[i].depth;
          for (let j = i - 1; j >= 0; j--) {
            if (this.visible[j].depth < d) {
              go(j);
              break;
            }
          }
        }
        break;
      case "Enter":
        if (cur && this.opts.onActivate) this.opts.onActivate(cur);
        break;
      case "*":
        if (cur) {
          const c = this.children(cur) || [];
          for (const n of c) if (this.hasChildren(n)) n.expanded = true;
          cur.expanded = true;
          this.refresh();
        }
        break;
      default:
        return;
    }
    ev.preventDefault();
  }
}
