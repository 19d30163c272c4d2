import { createHash } from 'node:crypto';
import type { AnalysisPageData, DiffPageData, PageData, PageFinding, PageFix } from '../model/index.js';
import { formatBytes } from './format.js';
import { escapeXml } from './xml-escape.js';

/** The page's browser code and styles, built from src/web at build time. */
export interface WebBundle {
  script: string;
  css: string;
}

/**
 * One self-contained HTML file: the data, the script and the styles inline, nothing loaded from
 * anywhere. Everything in the data came from whoever built the image, so:
 * - the data is a JSON block whose `<`, `>`, `&` and line separators are \u-escaped: it cannot
 *   close its element or open another, and the page never runs it;
 * - the Content-Security-Policy allows only this script and this stylesheet (by hash), nothing
 *   remote, no inline handlers, no connections;
 * - the script builds the DOM from text nodes; the script-free summary below is escaped here.
 */
export function renderHtmlReport(data: PageData, bundle: WebBundle): string {
  if (/<\/script/i.test(bundle.script) || /<\/style/i.test(bundle.css)) {
    throw new Error('the web bundle contains a closing tag and cannot be inlined');
  }
  // Our own text: base64 hashes and keywords, no character that needs escaping in an attribute.
  const csp = [
    "default-src 'none'",
    `script-src '${sha256(bundle.script)}'`,
    `style-src '${sha256(bundle.css)}'`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const title = `imgscope: ${data.title}`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeXml(title)}</title>
<style>${bundle.css}</style>
</head>
<body>
<header class="top"><h1>${escapeXml(title)}</h1></header>
<main>
<div id="static">
${data.kind === 'analysis' ? staticAnalysis(data) : staticDiff(data)}
</div>
<div id="app"></div>
</main>
<script type="application/json" id="imgscope-data">${scriptSafeJson(data)}</script>
<script>${bundle.script}</script>
</body>
</html>
`;
}

/** JSON that cannot end its script element or be read as markup by an HTML parser. */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function sha256(text: string): string {
  return `sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}`;
}

const text = escapeXml;

/** What the page shows with scripts off: the summary and the findings, as plain HTML. */
function staticAnalysis(data: AnalysisPageData): string {
  const gate =
    data.gate === null
      ? ''
      : `<section id="gate"><h2>CI gate: ${data.gate.passed ? 'PASS' : 'FAIL'}</h2><table>${data.gate.rules
          .map(
            (rule) =>
              `<tr><td>${text(rule.status)}</td><th>${text(rule.name)}</th><td>${text(rule.detail)}</td></tr>`,
          )
          .join('')}</table></section>`;
  return `<section id="summary"><h2>Summary</h2><table class="summary">${data.summary
    .map(([label, value]) => `<tr><th>${text(label)}</th><td>${text(value)}</td></tr>`)
    .join('')}</table></section>
${gate}
<section id="findings"><h2>Findings (${data.findings.length})</h2>${findingsList(data.findings)}</section>
${fixesList(data.fixes)}`;
}

/** Each step's combined fix once (the findings name it by number). */
function fixesList(fixes: PageFix[]): string {
  if (fixes.length === 0) return '';
  return `<section id="fixes"><h2>Dockerfile fixes, one per step</h2><ol class="fixes">${fixes
    .map((fix) => {
      const saves = fix.savingsBytes > 0 ? ` — saves ${formatBytes(fix.savingsBytes)}` : '';
      const step = fix.step === '' ? 'Settles' : `${fix.step}: settles`;
      return `<li class="fix"><p>${text(`${step} ${fix.findings.join(', ')}`)}${saves}</p><pre><code>${text(fix.after)}</code></pre></li>`;
    })
    .join('')}</ol></section>`;
}

function staticDiff(data: DiffPageData): string {
  const rows = data.summary
    .map(
      ([label, before, after, delta]) =>
        `<tr><th>${text(label)}</th><td>${text(before)}</td><td>${text(after)}</td><td>${text(delta)}</td></tr>`,
    )
    .join('');
  const { fixed, introduced, unchanged } = data.findings;
  return `<section id="summary"><h2>Summary</h2><table class="summary"><tr><th></th><th>Before</th><th>After</th><th>Change</th></tr>${rows}</table></section>
<section id="findings"><h2>Findings</h2>
<h3>Fixed (${fixed.length})</h3>${findingsList(fixed)}
<h3>Introduced (${introduced.length})</h3>${findingsList(introduced)}
<h3>Unchanged (${unchanged.length})</h3>${findingsList(unchanged)}</section>`;
}

function findingsList(findings: PageFinding[]): string {
  if (findings.length === 0) return '<p>None.</p>';
  return `<ol class="findings">${findings
    .map((finding) => {
      const saves = finding.savingsBytes > 0 ? ` — saves ${formatBytes(finding.savingsBytes)}` : '';
      const layer = finding.layerIndex === null ? '' : ` (layer ${finding.layerIndex})`;
      const paths = finding.paths.map(
        (path) => `<li><code>${text(path.path)}</code> ${formatBytes(path.sizeBytes)}</li>`,
      );
      if (finding.pathsOmitted > 0) paths.push(`<li>… and ${finding.pathsOmitted} more</li>`);
      return `<li class="finding ${text(finding.severity)}"><p><strong>[${text(finding.severity)}] ${text(finding.title)}</strong>${saves}${layer} <code>${text(finding.id)}</code></p><p>${text(finding.message)}</p>${
        paths.length > 0 ? `<ul>${paths.join('')}</ul>` : ''
      }<p>${text(finding.advice)}</p>${finding.after === null ? '' : `<pre><code>${text(finding.after)}</code></pre>`}${
        finding.fix === null ? '' : `<p>Dockerfile change: fix ${finding.fix + 1}</p>`
      }</li>`;
    })
    .join('')}</ol>`;
}
