import type { Browser } from 'playwright-core';
import { openInBrowser } from '../support/browser';
import { expectLocator } from '../support/locator-assertions';
import { ADMIN_EMAIL, ADMIN_PASSWORD, TestContext } from '../support/test-app';

/** Headless Debian Chromium against the real app: sign in, onboard a vendor, see its tier. */
describe('onboarding in a browser', () => {
  let ctx: TestContext;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    ctx = await TestContext.create({}, '2026-03-02T09:00:00.000Z');
    ({ browser, base } = await openInBrowser(ctx));
  });

  afterAll(async () => {
    await browser?.close();
    await ctx?.close();
  });

  it('signs in, onboards a payment processor and shows its tier, breakdown and next review date', async () => {
    const page = await browser.newPage();
    const consoleErrors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });

    await page.goto(`${base}/vendors/new`);
    expect(page.url()).toContain('/login?next=%2Fvendors%2Fnew');
    await page.getByLabel('Email').fill(ADMIN_EMAIL);
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/vendors/new');

    await page.locator('#name').fill('Lotus Payments');
    await page.getByLabel('Country (ISO code)').fill('SG');
    await page.locator('#category').selectOption('payment');
    await page.locator('#contact-name').fill('Mei Lin');
    await page.locator('#contact-email').fill('security@lotus-pay.example');
    await page.locator('#contact-language').selectOption('zh-CN');
    await page.getByLabel('Identity (name, date of birth)').check();
    await page.getByLabel(/Payment card data/).check();
    await page.locator('#profile-volumeBand').selectOption('100k_1m');
    await page.locator('#profile-accessLevel').selectOption('api');
    await page.locator('#profile-criticality').selectOption('high');
    await expectLocator(page.locator('#transfer-countries')).toBeHidden();
    await page.getByLabel('EU (GDPR)').check();

    // The live explanation beside the form: 5 + 2 + 2 + 3 = 12 points, critical.
    await expectLocator(page.locator('#tier-preview-body .badge')).toHaveText('Critical');
    await expectLocator(page.locator('#tier-preview-body')).toContainText('12 points');

    await page.getByRole('button', { name: 'Onboard vendor' }).click();
    await page.waitForURL(/\/vendors\/[0-9a-f-]{36}\?notice=created/);

    await expectLocator(page.getByRole('heading', { level: 1 })).toHaveText('Lotus Payments');
    await expectLocator(page.locator('.subtitle .badge')).toHaveText('Critical');
    await expectLocator(page.locator('.tier-line')).toContainText('12 points');
    await expectLocator(page.locator('table.breakdown')).toContainText('Sensitive personal information');
    // Critical tier and card data: reviewed within 12 months of onboarding (clock: 2026-03-02).
    await expectLocator(page.locator('time.big')).toHaveText('2027-03-02');
    await expectLocator(page.getByRole('status')).toContainText('onboarded');

    await page.goto(`${base}/vendors?q=Lotus`);
    await expectLocator(page.locator('table.list tbody tr')).toHaveCount(1);
    expect(consoleErrors).toEqual([]);
    await page.close();
  });

  it('shows field errors without losing what was typed, and works in Chinese on a phone', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(`${base}/login?lang=zh-CN`);
    await page.locator('#email').fill(ADMIN_EMAIL);
    await page.locator('#password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL('**/vendors');
    await expectLocator(page.getByRole('heading', { level: 1 })).toHaveText('供应商名册');

    await page.goto(`${base}/vendors/new`);
    await page.locator('#name').fill('半成品供应商');
    await page.getByRole('button', { name: '创建供应商' }).click();
    await expectLocator(page.locator('#form-errors')).toBeVisible();
    await expectLocator(page.locator('#name')).toHaveValue('半成品供应商');
    await expectLocator(page.locator('#country')).toHaveAttribute('aria-invalid', 'true');
    const overflow = await page.evaluate('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow as number).toBeLessThanOrEqual(0);
    await page.close();
  });
});

