import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { Browser, chromium } from 'playwright-core';
import type { TestContext } from './test-app';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Serves the test app on a free local port and launches Debian's headless Chromium with the
 * project's flags. A missing Chromium fails the suite: browser tests never skip.
 */
export async function openInBrowser(ctx: TestContext): Promise<{ browser: Browser; base: string }> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium package (.ci/run does).`);
  }
  await ctx.app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${(ctx.app.getHttpServer().address() as AddressInfo).port}`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
  return { browser, base };
}
