import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserMissing, FIREFOX, launchFirefox } from '../helpers/browser.js';
import { cleanupTempDirs, tempDir } from '../helpers/image-builder.js';
import { fixturesCwd, runCli } from '../helpers/run-cli.js';

const missing = browserMissing(FIREFOX);

describe.skipIf(missing !== null)(
  `HTML report in Firefox${missing === null ? '' : ` (skipped: ${missing})`}`,
  () => {
    let browser: Browser;
    let analyze: string;
    let diff: string;

    beforeAll(async () => {
      const dir = await tempDir('imgscope-html-firefox-');
      analyze = join(dir, 'analyze.html');
      diff = join(dir, 'diff.html');
      const runs = await Promise.all([
        runCli(['analyze', 'fixtures/example.tar', '--html', analyze], {}, { cwd: await fixturesCwd() }),
        runCli(
          ['diff', 'fixtures/example.tar', 'fixtures/example-optimized.tar', '--html', diff],
          {},
          { cwd: await fixturesCwd() },
        ),
      ]);
      for (const run of runs) expect(run.stderr).toBe('');
      browser = await launchFirefox();
    });

    afterAll(async () => {
      await browser?.close();
      await cleanupTempDirs();
    });

    it('opens both pages from disk with no request and no error, and the explorer works', async () => {
      for (const file of [analyze, diff]) {
        const page = await browser.newPage();
        const problems: string[] = [];
        // data: URLs are in-memory (Firefox reports its built-in fonts that way), never the network.
        page.on('request', (request) => {
          if (!/^(file|data):/.test(request.url())) problems.push(request.url());
        });
        page.on('pageerror', (error: unknown) => problems.push(String(error)));
        await page.goto(pathToFileURL(file).href);
        await page.waitForSelector('body[data-ready="true"]');
        expect(problems).toEqual([]);
        if (file === analyze) {
          expect(await page.$eval('#app #summary td', (cell) => cell.textContent)).toBe(
            'fixtures/example.tar',
          );
          await page.select('#explorer-layer', '1');
          await page.select('#explorer-mode', 'layer');
          const status = await page.$eval('#explorer-status', (element) => element.textContent ?? '');
          expect(status).toMatch(/^changes of layer 1: 44 entries/);
        } else {
          expect((await page.$$('#findings-fixed li.finding')).length).toBeGreaterThan(0);
        }
        await page.close();
      }
    });
  },
);
