import { PAGE_FATES, type AnalysisPageData, type PageFix } from '../model/page-data.js';
import { formatBytes } from '../render/format.js';
import { el } from './dom.js';
import { codeBlock, findingItem, fixAnchor } from './findings-view.js';
import { Explorer } from './explorer.js';
import { finalFiles, stackedView } from './file-tree.js';
import { PathIndex } from './paths.js';
import { dominantKey, sizeTree, Treemap, type SizeNode } from './treemap.js';

/** Distinct hues that stay apart for colour-blind readers (Okabe-Ito), repeated past eight layers. */
const LAYER_COLORS = ['#e69f00', '#56b4e9', '#009e73', '#f0e442', '#0072b2', '#d55e00', '#cc79a7', '#999999'];
export const layerColor = (layer: number): string => LAYER_COLORS[layer % LAYER_COLORS.length] ?? '#999999';

/** The analyze page: summary, gate, layer chart, two treemaps, the explorer, findings and fixes. */
export function analysisPage(data: AnalysisPageData): HTMLElement {
  const paths = new PathIndex(data.paths);
  // The filesystem up to the last layer: the treemap's files and the explorer's first view.
  const stacked = stackedView(data, paths, data.layers.length - 1);
  const final = finalFiles(stacked);
  const explorer = new Explorer(data, paths, stacked);
  const layerName = (layer: number): string => `layer ${layer}`;
  const visible = sizeTree(paths, final.node, final.size, final.layer);
  const visibleMap = new Treemap(
    visible,
    paths,
    {
      color: layerColor,
      describe: (node) => (node.children === null ? `written by ${layerName(node.key)}` : ''),
      directoryKey: dominantKey(new Map<SizeNode, number>()),
    },
    'Treemap of the final filesystem',
  );
  const hidden = sizeTree(paths, data.hidden.node, data.hidden.size, data.hidden.layer);
  const hiddenFate = new Map<number, string>();
  data.hidden.node.forEach((node, index) =>
    hiddenFate.set(node, PAGE_FATES[data.hidden.fate[index] ?? 0] ?? 'deleted'),
  );
  const hiddenMap = new Treemap(
    hidden,
    paths,
    {
      color: layerColor,
      describe: (node) =>
        node.children === null
          ? `stored by ${layerName(node.key)}, ${hiddenFate.get(node.node) ?? 'hidden'} later`
          : '',
      directoryKey: dominantKey(new Map<SizeNode, number>()),
    },
    'Treemap of bytes stored but not visible',
  );

  const page = el(
    'div',
    { class: 'page' },
    section('summary', 'Summary', summaryTable(data)),
    data.gate === null
      ? null
      : section('gate', `CI gate: ${data.gate.passed ? 'PASS' : 'FAIL'}`, gateTable(data)),
    section(
      'layers',
      'Layers',
      layerChart(data, (layer) => {
        explorer.selectLayer(layer);
        document.getElementById('explorer')?.scrollIntoView();
      }),
    ),
    section(
      'treemap',
      'Where the bytes are',
      el(
        'p',
        {},
        'Final filesystem by directory, coloured by the layer that wrote the bytes. Click a directory to zoom in.',
      ),
      legend(data),
      visibleMap.element,
    ),
    section(
      'hidden',
      'Bytes stored but not visible',
      el(
        'p',
        {},
        `${formatBytes(data.hidden.size.reduce((sum, size) => sum + size, 0))} of file content is stored in layers but overwritten or deleted by a later one.`,
      ),
      hiddenMap.element,
    ),
    section('explorer', 'Explorer', explorer.element),
    section('findings', `Findings (${data.findings.length})`, findingsList(data, explorer)),
    data.fixes.length === 0
      ? null
      : section('fixes', 'Dockerfile fixes, one per step', fixesList(data.fixes)),
  );
  // Treemaps measure their width once they are in the document.
  requestAnimationFrame(() => {
    visibleMap.render();
    hiddenMap.render();
  });
  return page;
}

function section(id: string, title: string, ...content: (HTMLElement | null)[]): HTMLElement {
  return el(
    'section',
    { id, 'aria-labelledby': `${id}-title` },
    el('h2', { id: `${id}-title` }, title),
    ...content,
  );
}

function summaryTable(data: AnalysisPageData): HTMLElement {
  return el(
    'table',
    { class: 'summary' },
    ...data.summary.map(([label, value]) =>
      el('tr', {}, el('th', { scope: 'row' }, label), el('td', {}, value)),
    ),
  );
}

function gateTable(data: AnalysisPageData): HTMLElement {
  return el(
    'table',
    { class: 'gate' },
    ...(data.gate?.rules ?? []).map((rule) =>
      el(
        'tr',
        { class: `status-${rule.status}` },
        el('td', {}, rule.status),
        el('th', { scope: 'row' }, rule.name),
        el('td', {}, rule.detail),
      ),
    ),
  );
}

function legend(data: AnalysisPageData): HTMLElement {
  return el(
    'ul',
    { class: 'legend', 'aria-label': 'Layer colours' },
    ...data.layers.map((layer) => {
      const swatch = el('span', { class: 'swatch', 'aria-hidden': 'true' });
      swatch.style.backgroundColor = layerColor(layer.index);
      return el('li', {}, swatch, `layer ${layer.index}`);
    }),
  );
}

/** One bar per layer, the part a later layer hid hatched; history steps without a layer listed as steps. */
function layerChart(data: AnalysisPageData, choose: (layer: number) => void): HTMLElement {
  const largest = Math.max(1, ...data.layers.map((layer) => layer.sizeBytes));
  const detail = el(
    'p',
    { class: 'layer-detail', id: 'layer-detail', 'aria-live': 'polite' },
    'Hover or focus a layer to see its command; click it to open it in the explorer.',
  );
  const list = el('ol', { class: 'layer-chart' });
  const steps =
    data.steps.length > 0
      ? data.steps
      : data.layers.map((layer) => ({
          createdBy: layer.createdBy,
          emptyLayer: false,
          layerIndex: layer.index,
        }));
  for (const step of steps) {
    const layer = step.layerIndex === null ? undefined : data.layers[step.layerIndex];
    if (layer === undefined) {
      list.append(
        el(
          'li',
          { class: 'step empty' },
          el('span', { class: 'bar-label' }, 'no layer'),
          el('code', {}, step.createdBy || '(no command)'),
        ),
      );
      continue;
    }
    const bar = el('span', { class: 'bar' });
    bar.style.width = `${(100 * layer.sizeBytes) / largest}%`;
    if (layer.sizeBytes > 0 && layer.hiddenBytes > 0) {
      const hiddenPart = el('span', { class: 'bar-hidden' });
      hiddenPart.style.width = `${(100 * layer.hiddenBytes) / layer.sizeBytes}%`;
      bar.append(hiddenPart);
    }
    const text = `Layer ${layer.index}: ${formatBytes(layer.sizeBytes)}${layer.hiddenBytes > 0 ? `, ${formatBytes(layer.hiddenBytes)} of it hidden later` : ''}`;
    const button = el(
      'button',
      {
        type: 'button',
        class: 'layer-bar',
        'data-layer': String(layer.index),
        title: layer.createdBy,
        'aria-describedby': 'layer-detail',
      },
      el('span', { class: 'bar-label' }, text),
      el('span', { class: 'bar-track' }, bar),
    );
    const show = (): void => {
      detail.textContent = `Layer ${layer.index} (${layer.fileCount} files; added ${formatBytes(layer.addedBytes)}, modified ${formatBytes(layer.modifiedBytes)}, removed ${formatBytes(layer.removedBytes)}): ${layer.createdBy || '(no command)'}`;
    };
    button.addEventListener('mouseenter', show);
    button.addEventListener('focus', show);
    button.addEventListener('click', () => choose(layer.index));
    list.append(el('li', { class: 'step' }, button));
  }
  return el('div', {}, list, detail);
}

function findingsList(data: AnalysisPageData, explorer: Explorer): HTMLElement {
  if (data.findings.length === 0) return el('p', {}, 'No findings.');
  const last = Math.max(0, data.layers.length - 1);
  return el(
    'ol',
    { class: 'findings' },
    ...data.findings.map((finding) =>
      findingItem(finding, (path) => {
        // Evidence lives in the layer that introduced it; deleted evidence is only visible there.
        const shown = explorer.reveal(path, finding.layerIndex ?? last) || explorer.reveal(path, last);
        document.getElementById('explorer')?.scrollIntoView();
        return shown;
      }),
    ),
  );
}

/** Each step's combined fix once, with the findings it settles and a copy button. */
function fixesList(fixes: PageFix[]): HTMLElement {
  return el(
    'ol',
    { class: 'fixes' },
    ...fixes.map((fix, index) =>
      el(
        'li',
        { id: fixAnchor(index), class: 'fix' },
        el(
          'p',
          {},
          `${fix.step === '' ? 'Settles' : `${fix.step}: settles`} ${fix.findings.join(', ')}${fix.savingsBytes > 0 ? ` — saves ${formatBytes(fix.savingsBytes)}` : ''}`,
        ),
        codeBlock(fix.after, fix.before),
      ),
    ),
  );
}
