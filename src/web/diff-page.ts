import { PAGE_FILE_CHANGE_KINDS, type DiffPageData, type PageFinding } from '../model/page-data.js';
import { formatBytes } from '../render/format.js';
import { clear, el } from './dom.js';
import { findingItem } from './findings-view.js';
import { pathMatcher } from './file-tree.js';
import { PathIndex } from './paths.js';
import { sizeTree, Treemap, type SizeNode } from './treemap.js';

const GROWTH = 1;
const SHRINK = 0;
const FILE_ROWS = 500;

/** The diff page: summary deltas, layers side by side, growth treemap, changed files, findings compared. */
export function diffPage(data: DiffPageData): HTMLElement {
  const paths = new PathIndex(data.paths);
  const { node, kind, before, after } = data.files;
  const delta = node.map((_, index) => Math.max(0, after[index] ?? 0) - Math.max(0, before[index] ?? 0));
  const growth = sizeTree(
    paths,
    node,
    delta.map(Math.abs),
    delta.map((d) => (d >= 0 ? GROWTH : SHRINK)),
  );
  const net = new Map<SizeNode, number>();
  const netOf = (at: SizeNode): number => {
    const known = net.get(at);
    if (known !== undefined) return known;
    const value =
      at.children === null
        ? at.key === GROWTH
          ? at.size
          : -at.size
        : at.children.reduce((sum, child) => sum + netOf(child), 0);
    net.set(at, value);
    return value;
  };
  const map = new Treemap(
    growth,
    paths,
    {
      color: (key) => (key === GROWTH ? '#d55e00' : '#009e73'),
      describe: (at) => {
        const change = netOf(at);
        return `${change >= 0 ? 'grew' : 'shrank'} ${change >= 0 ? '+' : '-'}${formatBytes(Math.abs(change))}`;
      },
      directoryKey: (at) => (netOf(at) >= 0 ? GROWTH : SHRINK),
    },
    'Treemap of growth and shrinkage',
  );
  requestAnimationFrame(() => map.render());
  return el(
    'div',
    { class: 'page' },
    section('summary', 'Summary', summaryTable(data)),
    section('layers', 'Layers, aligned', layerTable(data)),
    section(
      'growth',
      'Where it grew or shrank',
      el(
        'p',
        {},
        'Changed bytes by directory: growth in orange-red, shrinkage in green; every tile says which.',
      ),
      map.element,
    ),
    section('files', `Changed files (${node.length})`, fileList(paths, data, kind)),
    section(
      'findings',
      'Findings',
      findingGroup('fixed', 'Fixed', data.findings.fixed),
      findingGroup('introduced', 'Introduced', data.findings.introduced),
      findingGroup('unchanged', 'Unchanged', data.findings.unchanged),
    ),
  );
}

function section(id: string, title: string, ...content: HTMLElement[]): HTMLElement {
  return el(
    'section',
    { id, 'aria-labelledby': `${id}-title` },
    el('h2', { id: `${id}-title` }, title),
    ...content,
  );
}

function summaryTable(data: DiffPageData): HTMLElement {
  return el(
    'table',
    { class: 'summary' },
    el(
      'tr',
      {},
      el('td', {}),
      el('th', { scope: 'col' }, 'Before'),
      el('th', { scope: 'col' }, 'After'),
      el('th', { scope: 'col' }, 'Change'),
    ),
    ...data.summary.map(([label, beforeText, afterText, change]) =>
      el(
        'tr',
        {},
        el('th', { scope: 'row' }, label),
        el('td', {}, beforeText),
        el('td', {}, afterText),
        el('td', {}, change),
      ),
    ),
  );
}

function layerTable(data: DiffPageData): HTMLElement {
  const size = (bytes: number | null): string => (bytes === null ? '' : formatBytes(bytes));
  const index = (at: number | null): string => (at === null ? '' : String(at));
  return el(
    'table',
    { class: 'layers' },
    el(
      'tr',
      {},
      ...['Status', 'Before', 'Size', 'After', 'Size', 'Step'].map((head) =>
        el('th', { scope: 'col' }, head),
      ),
    ),
    ...data.layers.map((row) =>
      el(
        'tr',
        { class: `status-${row.status}` },
        el('td', {}, row.status),
        el('td', {}, index(row.beforeIndex)),
        el('td', {}, size(row.beforeSizeBytes)),
        el('td', {}, index(row.afterIndex)),
        el('td', {}, size(row.afterSizeBytes)),
        el('td', {}, el('code', {}, row.createdBy)),
      ),
    ),
  );
}

function fileList(paths: PathIndex, data: DiffPageData, kind: number[]): HTMLElement {
  const input = el('input', {
    type: 'search',
    id: 'files-search',
    placeholder: 'path, or glob such as **/*.so',
  });
  const status = el('p', { class: 'status', id: 'files-status', 'aria-live': 'polite' });
  const body = el('tbody', {});
  const draw = (): void => {
    clear(body);
    const query = input.value.trim();
    const matches = query === '' ? () => true : pathMatcher(query);
    let shown = 0;
    let matched = 0;
    data.files.node.forEach((node, index) => {
      const path = paths.path(node);
      if (!matches(path)) return;
      matched++;
      if (shown >= FILE_ROWS) return;
      shown++;
      const before = data.files.before[index] ?? -1;
      const after = data.files.after[index] ?? -1;
      body.append(
        el(
          'tr',
          { 'data-path': path },
          el('td', {}, PAGE_FILE_CHANGE_KINDS[kind[index] ?? 0] ?? ''),
          el('td', {}, el('code', {}, path)),
          el('td', {}, before < 0 ? '' : formatBytes(before)),
          el('td', {}, after < 0 ? '' : formatBytes(after)),
        ),
      );
    });
    status.textContent = `${matched} changed files match${matched > shown ? `; the first ${shown} are listed` : ''}.`;
  };
  input.addEventListener('input', draw);
  draw();
  return el(
    'div',
    {},
    el('label', { for: 'files-search' }, 'Find '),
    input,
    status,
    el(
      'table',
      { class: 'files' },
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          ...['Change', 'Path', 'Before', 'After'].map((head) => el('th', { scope: 'col' }, head)),
        ),
      ),
      body,
    ),
  );
}

function findingGroup(id: string, title: string, findings: PageFinding[]): HTMLElement {
  return el(
    'div',
    { id: `findings-${id}` },
    el('h3', {}, `${title} (${findings.length})`),
    findings.length === 0
      ? el('p', {}, 'None.')
      : el('ol', { class: 'findings' }, ...findings.map((finding) => findingItem(finding))),
  );
}
