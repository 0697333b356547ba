import type { Browser, BrowserContext, Page } from 'playwright-core';
import { openInBrowser } from '../support/browser';
import { submittedAssessment } from '../support/assessment-factory';
import { expectLocator } from '../support/locator-assertions';
import { PROFILES, StaffUser, TestContext, USER_PASSWORD } from '../support/test-app';

/** Headless Debian Chromium against the real app: a reviewer works through a submitted assessment. */
describe('reviewing an assessment in a browser', () => {
  let ctx: TestContext;
  let browser: Browser;
  let context: BrowserContext;
  let base: string;
  let reviewer: StaffUser;
  let vendorId: string;
  let assessmentId: string;
  let consoleErrors: string[] = [];

  const watch = (page: Page) => {
    consoleErrors = [];
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    // The complete form asks for confirmation (app.js): the reviewer agrees.
    page.on('dialog', (d) => void d.accept());
    return page;
  };
  const card = (page: Page, key: string) => page.locator(`article[id="q-${key}"]`);

  beforeAll(async () => {
    ctx = await TestContext.create({}, '2026-03-02T09:00:00.000Z');
    const admin = await ctx.admin();
    const procurement = await ctx.newUser('procurement');
    reviewer = await ctx.newUser('reviewer', { name: 'Daniel Weber' });
    // A low-tier vendor answers baseline-lite favourably through the portal API, with evidence attached.
    vendorId = await ctx.newVendor(admin.id, { name: 'Tidy Desk Cleaning', category: 'other', profile: PROFILES.officeCleaner });
    assessmentId = (await submittedAssessment(ctx, procurement.token, vendorId, { modules: ['baseline-lite'], evidence: true })).id;

    ({ browser, base } = await openInBrowser(ctx));
    context = await browser.newContext();
  });

  afterAll(async () => {
    await browser?.close();
    await ctx?.close();
  });

  it('signs in, accepts an answer, overrides another with a reason, completes, and sees the residual risk', async () => {
    const page = watch(await context.newPage());
    await page.goto(`${base}/assessments/${assessmentId}/review`);
    expect(page.url()).toContain('/login?next=');
    await page.getByLabel('Email').fill(reviewer.email);
    await page.getByLabel('Password').fill(USER_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`**/assessments/${assessmentId}/review`);
    await expectLocator(page.getByRole('heading', { level: 1 })).toHaveText('Review of the answers from Tidy Desk Cleaning');

    // The written policy has its evidence attached but not yet accepted: it counts half.
    const written = card(page, 'policy.written');
    await expectLocator(written.locator('.rule')).toContainText('favourable, evidence not yet accepted: counts half');
    await expectLocator(written.locator('.qscore strong')).toHaveText('0.5');
    await written.getByText('Review this answer').click();
    await written.getByLabel('Accepted').check();
    await written.getByLabel('Note').fill('Signed two-page policy, reviewed in the call.');
    await written.getByRole('button', { name: 'Save the review' }).click();
    await page.waitForURL(/notice=answer_reviewed#q-policy\.written$/);
    await expectLocator(page.getByRole('status')).toContainText('The review of the answer is saved');
    await expectLocator(card(page, 'policy.written').locator('.rule')).toContainText('evidence accepted: counts in full');
    await expectLocator(card(page, 'policy.written').locator('.qscore strong')).toHaveText('1');

    // An override needs a reason: without one the input stays and the error is shown.
    const leavers = card(page, 'access.leavers');
    await leavers.getByText('Review this answer').click();
    await leavers.getByLabel('Override score').fill('50');
    await leavers.getByRole('button', { name: 'Save the review' }).click();
    await expectLocator(page.locator('#form-errors')).toContainText('Reason for the override');
    await expectLocator(card(page, 'access.leavers').getByLabel('Override score')).toHaveValue('50');
    // That page came with status 400, which the browser reports; nothing else may.
    expect(consoleErrors).toEqual(['Failed to load resource: the server responded with a status of 400 (Bad Request)']);
    consoleErrors.length = 0;
    await card(page, 'access.leavers').getByLabel('Reason for the override').fill('Accounts are closed within a week, not the same day.');
    await card(page, 'access.leavers').getByRole('button', { name: 'Save the review' }).click();
    await page.waitForURL(/notice=answer_reviewed#q-access\.leavers$/);
    await expectLocator(card(page, 'access.leavers')).toContainText('Score overridden to 50 of 100, because:');
    await expectLocator(card(page, 'access.leavers')).toContainText('score overridden by a reviewer');

    await page.getByRole('button', { name: 'Complete the review' }).click();
    await page.waitForURL(`**/findings?assessmentId=${assessmentId}&notice=review_completed`);
    await expectLocator(page.getByRole('status').first()).toContainText('The review is complete.');

    await page.goto(`${base}/vendors/${vendorId}`);
    // A low tier and strong controls: low by the matrix, no critical failure.
    await expectLocator(page.locator('#vendor-residual-risk .badge')).toHaveText('Low');
    await expectLocator(page.locator('#vendor-residual-risk')).toContainText('from the last assessment');
    expect(consoleErrors).toEqual([]);
    await page.close();
  });

  it('lays the review page out on a 375 px phone without horizontal scrolling', async () => {
    const vendor = await ctx.newVendor((await ctx.admin()).id, { name: 'Narrow Screen Logistics GmbH & Co. KG', category: 'logistics', profile: PROFILES.courier });
    const admin = await ctx.admin();
    const phoneReview = (await submittedAssessment(ctx, admin.token, vendor, { modules: ['baseline', 'privacy-processor'] })).id;
    const page = watch(await context.newPage());
    await page.setViewportSize({ width: 375, height: 812 });
    await page.goto(`${base}/assessments/${phoneReview}/review`);
    await expectLocator(page.getByRole('heading', { level: 1 })).toContainText('Narrow Screen Logistics');
    // With a review form open, as a reviewer would have it.
    await card(page, 'scope.data_categories').getByText('Review this answer').click();
    await expectLocator(card(page, 'scope.data_categories').getByLabel('Reason for the override')).toBeVisible();
    const overflow = await page.evaluate('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow as number).toBeLessThanOrEqual(0);
    expect(consoleErrors).toEqual([]);
    await page.close();
  });
});
