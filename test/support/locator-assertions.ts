import type { Locator } from 'playwright-core';

/**
 * playwright-core ships no test runner; these poll a locator until it matches or the
 * timeout passes, the way Playwright's own web-first assertions do.
 */
export function expectLocator(locator: Locator, timeoutMs = 5000) {
  const poll = async (check: () => Promise<boolean>, what: () => Promise<string>) => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (await check().catch(() => false)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`${locator.toString()}: ${await what().catch((e: Error) => e.message)}`);
  };
  const text = async () => (await locator.innerText()).trim();
  return {
    toHaveText: (expected: string) => poll(async () => (await text()) === expected, async () => `text is "${await text()}", expected "${expected}"`),
    toContainText: (expected: string) =>
      poll(async () => (await text()).includes(expected), async () => `text "${await text()}" does not contain "${expected}"`),
    toHaveCount: (n: number) => poll(async () => (await locator.count()) === n, async () => `count is ${await locator.count()}, expected ${n}`),
    toBeVisible: () => poll(() => locator.isVisible(), async () => 'is not visible'),
    toBeHidden: () => poll(() => locator.isHidden(), async () => 'is not hidden'),
    toHaveValue: (v: string) => poll(async () => (await locator.inputValue()) === v, async () => `value is "${await locator.inputValue()}", expected "${v}"`),
    toHaveAttribute: (name: string, v: string) =>
      poll(async () => (await locator.getAttribute(name)) === v, async () => `${name} is "${await locator.getAttribute(name)}", expected "${v}"`),
  };
}
