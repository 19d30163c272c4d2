import type { PageFinding } from '../model/page-data.js';
import { formatBytes } from '../render/format.js';
import { copyText, el } from './dom.js';

/** A finding as the pages show it; with `open`, its evidence paths are buttons into the explorer. */
export function findingItem(finding: PageFinding, open?: (path: string) => boolean): HTMLElement {
  const saves = finding.savingsBytes > 0 ? ` — saves ${formatBytes(finding.savingsBytes)}` : '';
  const where = finding.layerIndex === null ? '' : ` (layer ${finding.layerIndex})`;
  const item = el(
    'li',
    { class: `finding severity-${finding.severity}`, 'data-finding': finding.id },
    el(
      'p',
      {},
      el('strong', {}, `[${finding.severity}] ${finding.title}`),
      `${saves}${where} `,
      el('code', {}, finding.id),
    ),
    el('p', {}, finding.message),
  );
  if (finding.paths.length > 0) {
    const list = el('ul', { class: 'evidence' });
    for (const path of finding.paths) {
      const label = `${path.path} (${formatBytes(path.sizeBytes)})`;
      if (open === undefined) list.append(el('li', {}, el('code', {}, label)));
      else {
        const link = el('button', { type: 'button', class: 'evidence-link', 'data-path': path.path }, label);
        link.addEventListener('click', () => open(path.path));
        list.append(el('li', {}, link));
      }
    }
    if (finding.pathsOmitted > 0) list.append(el('li', {}, `… and ${finding.pathsOmitted} more`));
    item.append(list);
  }
  item.append(el('p', {}, finding.advice));
  if (finding.after !== null) item.append(codeBlock(finding.after, finding.before));
  // The step's combined fix is listed once, under "Dockerfile fixes"; the finding points at it.
  if (finding.fix !== null)
    item.append(
      el(
        'p',
        {},
        'Dockerfile change: ',
        el('a', { href: `#${fixAnchor(finding.fix)}`, class: 'fix-link' }, `fix ${finding.fix + 1}`),
      ),
    );
  return item;
}

/** The element id of a fix in the page's list of fixes. */
export function fixAnchor(fix: number): string {
  return `fix-${fix + 1}`;
}

/** A Dockerfile snippet with what it replaces and a copy button. */
export function codeBlock(after: string, before: string | null): HTMLElement {
  const code = el('code', {}, after);
  const copy = el('button', { type: 'button', class: 'copy' }, 'Copy');
  copy.addEventListener('click', () => {
    void copyText(after, code).then((copied) => {
      copy.textContent = copied ? 'Copied' : 'Selected: press Ctrl+C';
    });
  });
  return el(
    'div',
    { class: 'code' },
    before === null
      ? null
      : el('details', {}, el('summary', {}, 'Replaces'), el('pre', {}, el('code', {}, before))),
    el('pre', {}, code),
    copy,
  );
}
