import { PAGE_DATA_VERSION, type PageData } from '../model/page-data.js';
import { analysisPage } from './analysis-page.js';
import { diffPage } from './diff-page.js';
import { el } from './dom.js';

/** Reads the page's data block and replaces the script-free summary with the interactive page. */
function start(): void {
  const app = document.getElementById('app');
  const source = document.getElementById('imgscope-data');
  if (app === null || source === null) return;
  const data = JSON.parse(source.textContent ?? '{}') as PageData;
  if (data.version !== PAGE_DATA_VERSION) {
    app.append(
      el(
        'p',
        { class: 'error' },
        `This report's data is version ${String(data.version)}; this page reads version ${PAGE_DATA_VERSION}.`,
      ),
    );
    return;
  }
  app.append(data.kind === 'analysis' ? analysisPage(data) : diffPage(data));
  document.getElementById('static')?.setAttribute('hidden', '');
  document.body.dataset['ready'] = 'true';
}

start();
