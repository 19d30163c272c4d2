import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildAnalysis, entryChangeCodes } from '../../../src/analysis/index.js';
import type { Analysis, AnalysisPageData, LayerContents } from '../../../src/model/index.js';
import { analysisPageData, renderHtmlReport, scriptSafeJson } from '../../../src/render/index.js';
import { finalFiles, layerView, pathMatcher, searchView, stackedView } from '../../../src/web/file-tree.js';
import { PathIndex } from '../../../src/web/paths.js';
import { layer } from '../../helpers/layer-contents.js';

function analysisOf(contents: LayerContents[]): Analysis {
  return buildAnalysis({
    image: { reference: 'test', source: 'docker-archive', digest: null, id: null, platform: null, user: '' },
    config: { history: [] },
    layers: contents.map(() => ({ diffId: null, digest: null })),
    contents,
  });
}

function pageOf(contents: LayerContents[]): AnalysisPageData {
  const analysis = analysisOf(contents);
  const findings = {
    findings: [],
    fixes: [],
    summary: { potentialSavingsBytes: 0, findingCounts: { error: 0, warning: 0, info: 0 } },
  };
  const data = analysisPageData({ analysis, findings, gate: null, changeCodes: entryChangeCodes(analysis) });
  // What the page reads is what survives JSON.
  return JSON.parse(JSON.stringify(data)) as AnalysisPageData;
}

const contents = [
  layer(
    ['dir', '/usr'],
    ['file', '/usr/bin/tool', 700, 'h1'],
    ['file', '/usr/lib/big.so', 5000, 'h2'],
    ['file', '/etc/conf', 20, 'h3'],
  ),
  layer(['file', '/usr/lib/big.so', 5000, 'h2', 0o600], ['file', '/tmp/archive.tgz', 900, 'h4']),
  layer(['whiteout', '/tmp/archive.tgz'], ['opaque', '/usr/bin'], ['file', '/usr/bin/other', 30, 'h5']),
];

describe('page data', () => {
  const data = pageOf(contents);
  const paths = new PathIndex(data.paths);

  it('stores each path once, as a tree of names', () => {
    expect(paths.path(paths.find('/usr/lib/big.so'))).toBe('/usr/lib/big.so');
    expect(data.paths.names.filter((name) => name === 'big.so')).toHaveLength(1);
    expect(paths.find('/nope')).toBe(-1);
  });

  it('lists the final files with the layer that wrote them, and the hidden bytes by layer', () => {
    const files = finalFiles(stackedView(data, paths, 2));
    const final = files.node.map((node, i) => [paths.path(node), files.size[i], files.layer[i]]).sort();
    // The page stacks the layers itself: it must agree with the merge.
    const merged = [...analysisOf(contents).finalFiles].filter((file) => file.type === 'file');
    expect(final).toEqual(merged.map((file) => [file.path, file.size, file.layerIndex]));
    expect(final).toEqual([
      ['/etc/conf', 20, 0],
      ['/usr/bin/other', 30, 2],
      ['/usr/lib/big.so', 5000, 1],
    ]);
    const hidden = data.hidden.node.map((node, i) => [
      paths.path(node),
      data.hidden.size[i],
      data.hidden.layer[i],
      data.hidden.fate[i],
    ]);
    expect(hidden).toEqual([
      ['/usr/bin/tool', 700, 0, 0], // deleted by the opaque directory
      ['/usr/lib/big.so', 5000, 0, 2], // rewritten with the same bytes
      ['/tmp/archive.tgz', 900, 1, 0],
    ]);
    expect(data.layers.map((l) => l.hiddenBytes)).toEqual([5700, 900, 0]);
  });

  it("shows a layer's own changes", () => {
    const view = layerView(data, paths, 1);
    const rows = [...view.entries].map(([node, entry]) => `${entry.change} ${paths.path(node)}`);
    expect(rows).toEqual(['metadata-only /usr/lib/big.so', 'added /tmp/archive.tgz']);
    expect(view.totals.get(0)).toBe(5900);
  });

  it('stacks the layers up to one, applying whiteouts and opaque directories, marking what it removed', () => {
    const view = stackedView(data, paths, 2);
    const rows = [...view.entries]
      .map(([node, entry]) => `${entry.change} ${paths.path(node)} L${entry.layer}`)
      .sort();
    expect(rows).toEqual([
      'added /usr/bin/other L2',
      'removed /tmp/archive.tgz L1',
      'unchanged /etc/conf L0',
      'unchanged /usr L0',
      'unchanged /usr/lib/big.so L1',
    ]);
    // Removed files count for nothing in the directory totals.
    expect(view.totals.get(0)).toBe(5050);
    expect(view.totals.get(paths.find('/usr'))).toBe(5030);
    expect(stackedView(data, paths, 0).totals.get(0)).toBe(5720);
  });

  it('searches by substring and by glob, file-name matches first', () => {
    const view = stackedView(data, paths, 2);
    expect(searchView(view, paths, 'big', 10).map((node) => paths.path(node))).toEqual(['/usr/lib/big.so']);
    expect(searchView(view, paths, 'usr', 10).map((node) => paths.path(node))).toEqual([
      '/usr',
      '/usr/lib/big.so',
      '/usr/bin/other',
    ]);
    expect(searchView(view, paths, '*.so', 10).map((node) => paths.path(node))).toEqual(['/usr/lib/big.so']);
  });
});

describe('pathMatcher', () => {
  it.each([
    ['*.so', '/usr/lib/x.so', true],
    ['*.so', '/usr/lib/x.so.1', false],
    ['/usr/*/x.so', '/usr/lib/x.so', true],
    ['/usr/*', '/usr/lib/x.so', false],
    ['/usr/**', '/usr/lib/x.so', true],
    ['lib/?.so', '/usr/lib/x.so', true],
    ['[xy].so', '/usr/lib/y.so', true],
    ['[xy].so', '/usr/lib/z.so', false],
    ['LIB', '/usr/lib/x.so', true],
    ['a.b', '/aXb', false],
    ['(', '/a(b', true],
  ])('%s against %s: %s', (query, path, expected) => {
    expect(pathMatcher(query)(path)).toBe(expected);
  });
});

describe('the HTML report', () => {
  const hostile = '</script><script>alert(1)</script><img src=x onerror=alert(2)>';
  const data = pageOf([layer(['file', `/app/${hostile}`, 3])]);
  const bundle = { script: 'document.body.dataset.x="1";', css: 'body{color:red}' };
  const html = renderHtmlReport(data, bundle);

  it('embeds data that cannot close its element, and decodes to the same value', () => {
    const block =
      /<script type="application\/json" id="imgscope-data">([^]*?)<\/script>/.exec(html)?.[1] ?? '';
    expect(block).not.toMatch(/[<>&]/);
    expect(JSON.parse(block)).toEqual(data);
    expect(scriptSafeJson({ a: '\u2028<' })).toBe('{"a":"\\u2028\\u003c"}');
  });

  it('allows only its own script and stylesheet, by hash', () => {
    const hash = (text: string): string => createHash('sha256').update(text).digest('base64');
    const csp = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1] ?? '';
    expect(csp).toBe(
      `default-src 'none'; script-src 'sha256-${hash(bundle.script)}'; style-src 'sha256-${hash(bundle.css)}'; img-src data:; base-uri 'none'; form-action 'none'`,
    );
    // Two script elements: the data block and the bundle; no other markup from the image.
    expect(html.match(/<script/g)).toHaveLength(2);
    expect(html).not.toContain('<img');
  });

  it('refuses a bundle that would end its own element', () => {
    expect(() => renderHtmlReport(data, { script: 'x="</script>"', css: '' })).toThrow(/closing tag/);
  });
});

describe('a 100,000-file image', () => {
  const files = Array.from(
    { length: 100_000 },
    (_, i) => ['file', `/srv/d${i % 250}/sub${i % 7}/file-${i}.dat`, i % 1000] as ['file', string, number],
  );
  const data = pageOf([layer(...files.slice(0, 60_000)), layer(...files.slice(60_000))]);

  it('encodes compactly and decodes every path', () => {
    const size = JSON.stringify(data).length;
    console.log(`100,000 files: ${size} bytes of page data`);
    expect(size).toBeLessThan(4_500_000);
    const paths = new PathIndex(data.paths);
    const final = finalFiles(stackedView(data, paths, 1));
    expect(final.node).toHaveLength(100_000);
    expect(paths.path(final.node[12345] ?? 0)).toMatch(/^\/srv\/d\d+\/sub\d\/file-\d+\.dat$/);
    const view = stackedView(data, paths, 1);
    expect(view.totals.get(0)).toBe(files.reduce((sum, file) => sum + file[2], 0));
  });
});
