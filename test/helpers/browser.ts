import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import puppeteer, { type Browser as BidiBrowser } from 'puppeteer-core';

/** Debian's Chromium (`apt-get install chromium`); playwright-core never downloads a browser. */
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
/** Debian's Firefox ESR (`apt-get install firefox-esr`), driven over WebDriver BiDi. */
export const FIREFOX = process.env['FIREFOX_PATH'] ?? '/usr/bin/firefox-esr';

/**
 * Why browser tests cannot run here, or null. In CI a missing browser is a failure, never a
 * skip: .ci/run installs it.
 */
export function browserMissing(executable = CHROMIUM): string | null {
  if (existsSync(executable)) return null;
  const reason = `no browser at ${executable} (apt-get install chromium firefox-esr, or set CHROMIUM_PATH / FIREFOX_PATH)`;
  if (process.env['CI'] === 'true') throw new Error(reason);
  return reason;
}

/** Headless Chromium as root in a closed network: no sandbox, no background connections. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Headless Firefox ESR through puppeteer-core's WebDriver BiDi (playwright drives only its own Firefox build). */
export function launchFirefox(): Promise<BidiBrowser> {
  return puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX, headless: true });
}
