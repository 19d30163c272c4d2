// Regenerates README's screenshots of the HTML report (docs/images/*.png) from the bundled
// examples: `npm run build && npm run screenshots`. Needs Debian's chromium.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchChromium } from '../test/helpers/browser.js';

const work = mkdtempSync(join(tmpdir(), 'imgscope-shots-'));
const imgscope = (...args: string[]): void => {
  execFileSync(process.execPath, ['bin/run.js', ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
};
imgscope('analyze', 'fixtures/example.tar', '--html', join(work, 'analyze.html'));
imgscope('diff', 'fixtures/example.tar', 'fixtures/example-optimized.tar', '--html', join(work, 'diff.html'));

const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 1400 } });
  await page.goto(pathToFileURL(join(work, 'analyze.html')).href);
  await page.waitForSelector('body[data-ready="true"]');
  await page.screenshot({ path: 'docs/images/report-analyze.png' });
  await page.selectOption('#explorer-layer', '1');
  await page.selectOption('#explorer-mode', 'layer');
  await page.locator('#explorer-tree [data-path="/var"]').click();
  await page.locator('#explorer-tree [data-path="/var/lib"]').click();
  await page.locator('#explorer').screenshot({ path: 'docs/images/report-explorer.png' });
  await page.goto(pathToFileURL(join(work, 'diff.html')).href);
  await page.waitForSelector('body[data-ready="true"]');
  await page.screenshot({ path: 'docs/images/report-diff.png' });
} finally {
  await browser.close();
  rmSync(work, { recursive: true, force: true });
}
