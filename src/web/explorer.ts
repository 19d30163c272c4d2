import { PAGE_CHANGES, type AnalysisPageData } from '../model/page-data.js';
import { formatBytes } from '../render/format.js';
import { clear, el } from './dom.js';
import {
  layerView,
  searchView,
  stackedView,
  type Change,
  type FileView,
  type ShownEntry,
} from './file-tree.js';
import type { PathIndex } from './paths.js';

type Mode = 'layer' | 'stacked';
type Sort = 'size' | 'name';

/** Rows drawn per directory before a "show more" row: a 10,000-file directory stays responsive. */
const ROWS_PER_DIRECTORY = 500;
const SEARCH_RESULTS = 100;
const MARKS: Record<Change, string> = {
  added: 'A',
  modified: 'M',
  'metadata-only': 'm',
  removed: 'R',
  unchanged: ' ',
};

/**
 * dive's file tree, in the page: pick a layer, see what it changed or the filesystem stacked up
 * to it, each entry marked added / modified / metadata-only / removed (a letter as well as a
 * colour), filter by change, sort by size or name, search by substring or glob, expand and
 * collapse with the mouse or the keyboard (an ARIA tree: arrows, Home, End, Enter). Only
 * expanded directories are drawn.
 */
export class Explorer {
  readonly element: HTMLElement;
  #layer: number;
  #mode: Mode = 'stacked';
  #sort: Sort = 'size';
  readonly #filters = new Set<Change>(PAGE_CHANGES);
  #view: FileView;
  /** Nodes with a shown change below them (or their own), for the current filters. */
  #passing = new Set<number>();
  readonly #expanded = new Set<number>([0]);
  readonly #limits = new Map<number, number>();
  #focused = 0;
  readonly #tree: HTMLElement;
  readonly #status: HTMLElement;
  readonly #results: HTMLElement;
  readonly #layerSelect: HTMLSelectElement;
  readonly #modeSelect: HTMLSelectElement;
  readonly #search: HTMLInputElement;
  #searchTimer: number | undefined;

  /** `initial`: the filesystem up to the last layer, where the page has already stacked it. */
  constructor(
    private readonly data: AnalysisPageData,
    private readonly paths: PathIndex,
    initial?: FileView,
  ) {
    this.#layer = Math.max(0, data.layers.length - 1);
    this.#layerSelect = el('select', { id: 'explorer-layer' });
    for (const layer of data.layers) {
      this.#layerSelect.append(
        el(
          'option',
          { value: String(layer.index) },
          `Layer ${layer.index}: ${shorten(layer.command || '(no command)', 70)}`,
        ),
      );
    }
    this.#layerSelect.addEventListener('change', () => this.selectLayer(Number(this.#layerSelect.value)));
    this.#modeSelect = el(
      'select',
      { id: 'explorer-mode' },
      el('option', { value: 'stacked' }, 'filesystem up to this layer'),
      el('option', { value: 'layer' }, "this layer's changes only"),
    );
    this.#modeSelect.addEventListener('change', () => {
      this.#mode = this.#modeSelect.value === 'layer' ? 'layer' : 'stacked';
      this.#rebuild();
    });
    const sortSelect = el(
      'select',
      { id: 'explorer-sort' },
      el('option', { value: 'size' }, 'largest first'),
      el('option', { value: 'name' }, 'by name'),
    );
    sortSelect.addEventListener('change', () => {
      this.#sort = sortSelect.value === 'name' ? 'name' : 'size';
      this.#draw();
    });
    const filters = el('fieldset', { class: 'filters' }, el('legend', {}, 'Show'));
    for (const change of PAGE_CHANGES) {
      const box = el('input', { type: 'checkbox', id: `filter-${change}`, checked: '' });
      box.addEventListener('change', () => {
        if (box.checked) this.#filters.add(change);
        else this.#filters.delete(change);
        this.#rebuild();
      });
      filters.append(
        el(
          'label',
          { for: `filter-${change}`, class: `change-${change}` },
          box,
          ` ${MARKS[change].trim() || '·'} ${change}`,
        ),
      );
    }
    this.#search = el('input', {
      type: 'search',
      id: 'explorer-search',
      placeholder: 'path, or glob such as **/*.so',
      'aria-describedby': 'explorer-search-help',
    });
    this.#search.addEventListener('input', () => {
      window.clearTimeout(this.#searchTimer);
      this.#searchTimer = window.setTimeout(() => this.#runSearch(), 120);
    });
    this.#search.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') this.#runSearch();
    });
    const expandAll = el('button', { type: 'button' }, 'Expand all');
    expandAll.addEventListener('click', () => {
      for (const node of this.#view.children.keys()) this.#expanded.add(node);
      this.#draw();
    });
    const collapseAll = el('button', { type: 'button' }, 'Collapse all');
    collapseAll.addEventListener('click', () => {
      this.#expanded.clear();
      this.#expanded.add(0);
      this.#draw();
    });
    this.#results = el('ul', { class: 'results', id: 'explorer-results', 'aria-live': 'polite' });
    this.#status = el('p', { class: 'status', id: 'explorer-status', 'aria-live': 'polite' });
    this.#tree = el('div', {
      role: 'tree',
      class: 'tree',
      id: 'explorer-tree',
      'aria-label': 'Files',
      tabindex: '0',
    });
    this.#tree.addEventListener('keydown', (event) => this.#onKey(event));
    this.#tree.addEventListener('click', (event) => this.#onClick(event));
    this.element = el(
      'div',
      { class: 'explorer' },
      el(
        'div',
        { class: 'controls' },
        el('label', { for: 'explorer-layer' }, 'Layer '),
        this.#layerSelect,
        el('label', { for: 'explorer-mode' }, ' View '),
        this.#modeSelect,
        el('label', { for: 'explorer-sort' }, ' Sort '),
        sortSelect,
        expandAll,
        collapseAll,
      ),
      filters,
      el(
        'div',
        { class: 'search' },
        el('label', { for: 'explorer-search' }, 'Find '),
        this.#search,
        el('span', { id: 'explorer-search-help', class: 'help' }, ' substring, or a glob with * ? ** [...]'),
      ),
      this.#results,
      this.#status,
      el(
        'div',
        { class: 'tree-head', 'aria-hidden': 'true' },
        el('span', { class: 'mark' }, ' '),
        el('span', { class: 'perm' }, 'Permission'),
        el('span', { class: 'owner' }, 'UID:GID'),
        el('span', { class: 'size' }, 'Size'),
        el('span', { class: 'name' }, 'Name'),
      ),
      this.#tree,
    );
    this.#view = initial ?? this.#buildView();
    this.#layerSelect.value = String(this.#layer);
    this.#refresh();
  }

  selectLayer(layer: number): void {
    this.#layer = layer;
    this.#layerSelect.value = String(layer);
    this.#rebuild();
  }

  /** Shows a path: the filesystem up to `layer`, every filter on, its directories expanded, the row focused. */
  reveal(path: string, layer: number): boolean {
    this.#layer = layer;
    this.#layerSelect.value = String(layer);
    this.#mode = 'stacked';
    this.#modeSelect.value = 'stacked';
    for (const change of PAGE_CHANGES) this.#filters.add(change);
    for (const box of this.element.querySelectorAll<HTMLInputElement>('.filters input')) box.checked = true;
    this.#rebuild();
    const node = this.paths.find(path);
    if (node < 0 || !this.#view.entries.has(node)) {
      this.#status.textContent = `${path} is not in the filesystem up to layer ${layer}.`;
      return false;
    }
    for (const ancestor of this.paths.ancestors(node).slice(1)) this.#expanded.add(ancestor);
    this.#focused = node;
    this.#draw();
    const row = this.#row(node);
    row?.scrollIntoView({ block: 'center' });
    row?.focus();
    return row !== null;
  }

  #buildView(): FileView {
    return this.#mode === 'layer'
      ? layerView(this.data, this.paths, this.#layer)
      : stackedView(this.data, this.paths, this.#layer);
  }

  #rebuild(): void {
    this.#view = this.#buildView();
    this.#refresh();
  }

  /** Applies the filters to the current view and draws it. */
  #refresh(): void {
    this.#passing = new Set<number>();
    for (const [node, entry] of this.#view.entries) {
      if (!this.#filters.has(entry.change)) continue;
      for (let at = node; at >= 0 && !this.#passing.has(at); at = this.paths.parent(at))
        this.#passing.add(at);
    }
    this.#passing.add(0);
    this.#draw();
    if (this.#search.value.trim() !== '') this.#runSearch();
  }

  #sorted(children: readonly number[]): number[] {
    const size = (node: number): number => {
      const entry = this.#view.entries.get(node);
      return entry === undefined || entry.type === 'directory'
        ? (this.#view.totals.get(node) ?? 0)
        : entry.size;
    };
    const shown = children.filter((node) => this.#passing.has(node));
    return this.#sort === 'name'
      ? shown.sort((a, b) => compareText(this.paths.name(a), this.paths.name(b)))
      : shown.sort((a, b) => size(b) - size(a) || compareText(this.paths.name(a), this.paths.name(b)));
  }

  #draw(): void {
    clear(this.#tree);
    const rows = document.createDocumentFragment();
    let count = 0;
    const walk = (directory: number, level: number): void => {
      const children = this.#sorted(this.#view.children.get(directory) ?? []);
      const limit = this.#limits.get(directory) ?? ROWS_PER_DIRECTORY;
      children.slice(0, limit).forEach((node, position) => {
        rows.append(this.#drawRow(node, level, position + 1, children.length));
        count++;
        if (this.#expanded.has(node) && this.#view.children.has(node)) walk(node, level + 1);
      });
      if (children.length > limit) {
        const more = el(
          'div',
          {
            role: 'treeitem',
            class: 'row more',
            'aria-level': String(level),
            'data-more': String(directory),
            tabindex: '-1',
          },
          `… ${children.length - limit} more in ${this.paths.path(directory)} (show them)`,
        );
        rows.append(more);
      }
    };
    walk(0, 1);
    this.#tree.append(rows);
    const total = this.#view.totals.get(0) ?? 0;
    const what =
      this.#mode === 'layer' ? `changes of layer ${this.#layer}` : `filesystem up to layer ${this.#layer}`;
    this.#status.textContent = `${what}: ${this.#view.entries.size} entries, ${formatBytes(total)}; ${count} rows shown`;
    const focus = this.#row(this.#focused) ?? this.#tree.querySelector<HTMLElement>('[role=treeitem]');
    if (focus !== null) focus.tabIndex = 0;
  }

  #drawRow(node: number, level: number, position: number, setSize: number): HTMLElement {
    const entry: ShownEntry | undefined = this.#view.entries.get(node);
    const isDirectory = this.#view.children.has(node) || entry?.type === 'directory';
    const change: Change = entry?.change ?? 'unchanged';
    const size = isDirectory ? (this.#view.totals.get(node) ?? 0) : (entry?.size ?? 0);
    const path = this.paths.path(node);
    const expanded = this.#expanded.has(node);
    const row = el('div', {
      role: 'treeitem',
      class: `row change-${change}`,
      'aria-level': String(level),
      'aria-setsize': String(setSize),
      'aria-posinset': String(position),
      'data-node': String(node),
      'data-path': path,
      'data-change': change,
      'data-type': entry?.type ?? 'directory',
      tabindex: '-1',
      title: `${path} (${change}${entry === undefined ? '' : `, layer ${entry.layer}`})`,
      ...(isDirectory ? { 'aria-expanded': String(expanded) } : {}),
    });
    const name = `${isDirectory ? (expanded ? '▾ ' : '▸ ') : '  '}${this.paths.name(node)}${isDirectory ? '/' : ''}`;
    row.append(
      el('span', { class: 'mark', 'aria-label': change }, MARKS[change]),
      el('span', { class: 'perm' }, entry === undefined ? '' : permissions(entry)),
      el('span', { class: 'owner' }, entry === undefined ? '' : `${entry.uid}:${entry.gid}`),
      el('span', { class: 'size' }, formatBytes(size)),
      el('span', { class: 'name' }, name, entry?.link ? ` → ${entry.link}` : ''),
    );
    row.style.setProperty('--level', String(level - 1));
    return row;
  }

  #row(node: number): HTMLElement | null {
    return this.#tree.querySelector<HTMLElement>(`[data-node="${node}"]`);
  }

  #onClick(event: MouseEvent): void {
    const row = (event.target as Element | null)?.closest<HTMLElement>('[role=treeitem]');
    if (row === null || row === undefined) return;
    if (row.dataset['more'] !== undefined) {
      const directory = Number(row.dataset['more']);
      this.#limits.set(
        directory,
        (this.#limits.get(directory) ?? ROWS_PER_DIRECTORY) + ROWS_PER_DIRECTORY * 10,
      );
      this.#draw();
      return;
    }
    this.#focus(row);
    this.#toggle(Number(row.dataset['node']));
  }

  #toggle(node: number): void {
    if (!this.#view.children.has(node)) return;
    if (this.#expanded.has(node)) this.#expanded.delete(node);
    else this.#expanded.add(node);
    this.#focused = node;
    this.#draw();
    this.#row(node)?.focus();
  }

  #focus(row: HTMLElement): void {
    for (const other of this.#tree.querySelectorAll<HTMLElement>('[tabindex="0"]')) other.tabIndex = -1;
    row.tabIndex = 0;
    row.focus();
    this.#focused = Number(row.dataset['node'] ?? 0);
  }

  #onKey(event: KeyboardEvent): void {
    const rows = [...this.#tree.querySelectorAll<HTMLElement>('[role=treeitem]')];
    const current =
      (document.activeElement as HTMLElement | null)?.closest<HTMLElement>('[role=treeitem]') ?? null;
    const at = current === null ? -1 : rows.indexOf(current);
    const move = (index: number): void => {
      const target = rows[Math.max(0, Math.min(rows.length - 1, index))];
      if (target !== undefined) this.#focus(target);
    };
    const node = Number(current?.dataset['node'] ?? -1);
    switch (event.key) {
      case 'ArrowDown':
        move(at + 1);
        break;
      case 'ArrowUp':
        move(at - 1);
        break;
      case 'Home':
        move(0);
        break;
      case 'End':
        move(rows.length - 1);
        break;
      case 'ArrowRight':
        if (this.#view.children.has(node) && !this.#expanded.has(node)) this.#toggle(node);
        else move(at + 1);
        break;
      case 'ArrowLeft':
        if (this.#expanded.has(node)) this.#toggle(node);
        else {
          const parent = this.#row(this.paths.parent(node));
          if (parent !== null) this.#focus(parent);
        }
        break;
      case 'Enter':
      case ' ':
        if (current !== null) current.click();
        break;
      default:
        return;
    }
    event.preventDefault();
  }

  #runSearch(): void {
    clear(this.#results);
    const query = this.#search.value;
    if (query.trim() === '') return;
    const found = searchView(this.#view, this.paths, query, SEARCH_RESULTS);
    if (found.length === 0) {
      this.#results.append(el('li', {}, `No path matches ${query}.`));
      return;
    }
    for (const node of found) {
      const path = this.paths.path(node);
      const entry = this.#view.entries.get(node);
      const size =
        entry === undefined || entry.type === 'directory' ? (this.#view.totals.get(node) ?? 0) : entry.size;
      const button = el(
        'button',
        { type: 'button', class: 'result', 'data-path': path },
        `${path} (${formatBytes(size)})`,
      );
      button.addEventListener('click', () => this.reveal(path, this.#layer));
      this.#results.append(el('li', {}, button));
    }
  }
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function shorten(text: string, width: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= width ? line : `${line.slice(0, width - 1)}…`;
}

/** `drwxr-xr-x`, as ls and dive show modes. */
function permissions(entry: ShownEntry): string {
  const kind = entry.type === 'directory' ? 'd' : entry.type === 'symlink' ? 'l' : '-';
  const bits = 'rwxrwxrwx'
    .split('')
    .map((char, index) => ((entry.mode >> (8 - index)) & 1 ? char : '-'))
    .join('');
  return kind + bits;
}
