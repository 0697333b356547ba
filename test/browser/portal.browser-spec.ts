import type { Browser, Page } from 'playwright-core';
import { openInBrowser } from '../support/browser';
import { expectLocator } from '../support/locator-assertions';
import { bearer, StaffUser, TestContext } from '../support/test-app';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');

/** Headless Debian Chromium against the real app: a vendor answers the short baseline questionnaire. */
describe('the vendor portal in a browser', () => {
  let ctx: TestContext;
  let admin: StaffUser;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    ctx = await TestContext.create({}, '2026-03-02T09:00:00.000Z');
    admin = await ctx.admin();
    ({ browser, base } = await openInBrowser(ctx));
  });

  afterAll(async () => {
    await browser?.close();
    await ctx?.close();
  });

  /** Sends the short baseline questionnaire to a new vendor; returns the link's token. */
  async function sendQuestionnaire(language: 'en' | 'zh-CN'): Promise<string> {
    const vendorId = await ctx.newVendor(admin.id, { name: language === 'en' ? 'Harbour Couriers' : '海港速递' });
    const res = await ctx.http
      .post('/api/assessments')
      .set(bearer(admin.token))
      .send({ vendorId, modules: ['baseline-lite'], dueDate: '2026-04-01', recipient: { name: 'Mei Lin', email: 'mei@harbour.example', language } });
    expect(res.status).toBe(201);
    return new URL(res.body.link.url as string).pathname.split('/').pop()!;
  }

  const question = (page: Page, key: string) => page.locator(`[id="q-${key}"]`);
  const saveStatus = (page: Page, key: string) => page.locator(`[id="st-${key}"]`);

  it('answers with autosave, shows a conditional question, uploads a file, keeps it all and submits', async () => {
    const token = await sendQuestionnaire('en');
    const page = await browser.newPage();
    const consoleErrors: string[] = [];
    page.on('console', (m) => {
      // The browser logs every 4xx of a request; the conflict (409) and the refused file (400) below are on purpose.
      if (m.type() === 'error' && !/status of (409|400)/.test(m.text())) consoleErrors.push(m.text());
    });

    await page.goto(`${base}/portal/t/${token}`);
    expect(new URL(page.url()).pathname).toBe('/portal');
    await expectLocator(page.getByRole('heading', { level: 1 })).toHaveText('Security questionnaire for Harbour Couriers');
    await expectLocator(page.locator('#progress-text')).toHaveText('0 of 20 questions answered');

    // Chinese and back, staying on the questionnaire.
    await page.getByRole('navigation', { name: 'Language' }).getByRole('link', { name: '简体中文' }).click();
    await page.waitForURL('**/portal?lang=zh-CN');
    await expectLocator(page.getByRole('heading', { level: 1 })).toHaveText('Harbour Couriers 的安全问卷');
    await expectLocator(question(page, 'access.mfa').locator('legend')).toContainText('所有能够接触我方客户信息的账号');
    await page.getByRole('navigation', { name: '语言' }).getByRole('link', { name: 'English' }).click();
    await page.waitForURL('**/portal?lang=en');
    await expectLocator(page.getByRole('heading', { level: 1 })).toHaveText('Security questionnaire for Harbour Couriers');

    // Autosave: a text, a yes/no, and the answer that opens a follow-up question.
    await page.getByLabel(/which information about our customers will you receive or keep/).fill('Names and delivery addresses, kept in our dispatch system in Germany.');
    await expectLocator(saveStatus(page, 'scope.categories')).toHaveText('Saved');
    await question(page, 'access.mfa').getByLabel('Yes', { exact: true }).check();
    await expectLocator(saveStatus(page, 'access.mfa')).toHaveText('Saved');
    await expectLocator(question(page, 'backup.practices')).toBeHidden();
    await question(page, 'backup.exists').getByLabel('Yes', { exact: true }).check();
    await expectLocator(saveStatus(page, 'backup.exists')).toHaveText('Saved');
    await expectLocator(question(page, 'backup.practices')).toBeVisible();
    await question(page, 'backup.practices').getByLabel('They are encrypted').check();
    await question(page, 'backup.practices').getByLabel(/restored from them successfully/).check();
    await expectLocator(saveStatus(page, 'backup.practices')).toHaveText('Saved');
    await expectLocator(page.locator('#progress-text')).toHaveText('4 of 21 questions answered');
    await expectLocator(page.locator('[data-nav-count="s-baseline-lite--backup"]')).toHaveText('2/2');

    // Someone else changes an answer meanwhile: both are shown, and the vendor keeps theirs.
    const session = await ctx.http.post('/api/portal/session').send({ token });
    const api = bearer(session.body.token as string);
    expect((await ctx.http.put('/api/portal/answers/access.mfa').set(api).send({ value: 'no', baseVersion: 1 })).status).toBe(200);
    await question(page, 'access.mfa').getByLabel('Comment (optional)').fill('Security keys for administrators.');
    await expectLocator(page.locator('[id="x-access.mfa"] .conflict-saved')).toHaveText('No');
    await expectLocator(page.locator('[id="x-access.mfa"] .conflict-yours')).toContainText('Yes');
    await page.getByRole('button', { name: 'Keep my answer' }).click();
    await expectLocator(saveStatus(page, 'access.mfa')).toHaveText('Saved');
    await expectLocator(page.locator('[id="x-access.mfa"]')).toHaveCount(0);

    // Evidence, uploaded by script with progress and listed at once.
    const policy = question(page, 'policy.written');
    await policy.locator('input[type="file"]').setInputFiles({ name: 'security-policy.pdf', mimeType: 'application/pdf', buffer: PDF });
    await policy.getByRole('button', { name: 'Upload' }).click();
    await expectLocator(policy.locator('.upload-status')).toHaveText('security-policy.pdf is attached.');
    await expectLocator(policy.locator('.files a')).toHaveText('security-policy.pdf');
    // A file that is not accepted is explained.
    await policy.locator('input[type="file"]').setInputFiles({ name: 'notes.pdf', mimeType: 'application/pdf', buffer: Buffer.from('plain words, not a PDF') });
    await policy.getByRole('button', { name: 'Upload' }).click();
    await expectLocator(policy.locator('.upload-status')).toContainText('does not match its content');

    // Everything is kept after a reload.
    await page.reload();
    await expectLocator(page.locator('[id="v-scope.categories"]')).toHaveValue('Names and delivery addresses, kept in our dispatch system in Germany.');
    expect(await page.locator('[id="v-access.mfa-yes"]').isChecked()).toBe(true);
    await expectLocator(page.locator('[id="c-access.mfa"]')).toHaveValue('Security keys for administrators.');
    expect(await page.locator('[id="v-backup.practices-encrypted"]').isChecked()).toBe(true);
    expect(await page.locator('[id="v-backup.practices-restore_tested"]').isChecked()).toBe(true);
    expect(await page.locator('[id="v-backup.practices-separate_copy"]').isChecked()).toBe(false);
    await expectLocator(question(page, 'backup.practices')).toBeVisible();
    await expectLocator(page.locator('[id="files-policy.written"] a')).toHaveText('security-policy.pdf');
    await expectLocator(page.locator('#progress-text')).toHaveText('4 of 21 questions answered');

    // The other required answers come in through the API, all but one, answered here.
    const view = await ctx.http.get('/api/portal/assessment').set(api);
    for (const s of view.body.sections as Array<{ questions: any[] }>) {
      for (const q of s.questions) {
        if (!q.visible || q.value !== null || q.type === 'file' || q.key === 'incident.contact') continue;
        const value = q.type === 'text' ? 'Answered by our integration.' : q.type === 'single_choice' ? q.options[0].key : q.key.startsWith('suppliers.') ? 'na' : 'yes';
        const saved = await ctx.http.put(`/api/portal/answers/${q.key}`).set(api).send({ value, baseVersion: q.version });
        expect(saved.status).toBe(200);
      }
    }
    await page.reload();
    await expectLocator(page.locator('#progress-text')).toHaveText('20 of 21 questions answered');
    await page.getByLabel(/Who should we contact/).fill('Mei Lin, +49 30 555 0100, security@harbour.example');
    await expectLocator(saveStatus(page, 'incident.contact')).toHaveText('Saved');
    await expectLocator(page.locator('#progress-text')).toHaveText('21 of 21 questions answered');

    await page.getByRole('link', { name: 'Review and submit' }).first().click();
    await page.waitForURL('**/portal/review');
    await expectLocator(page.locator('#missing-required')).toContainText('Every required question is answered.');
    await page.getByRole('button', { name: 'Submit answers' }).click();
    await page.waitForURL('**/portal/submitted');
    await expectLocator(page.getByRole('heading', { level: 1 })).toHaveText('Thank you: your answers are submitted');
    await expectLocator(page.locator('#submitted-answered')).toHaveText('21 of 21');
    await expectLocator(page.locator('#submitted-files')).toHaveText('1');
    await expectLocator(page.getByRole('status')).toHaveText('A receipt was emailed to mei@harbour.example.');

    await page.getByRole('link', { name: 'See the submitted answers' }).click();
    await expectLocator(page.locator('#portal-status')).toHaveText('Submitted');
    expect(await page.locator('form[action="/portal/answers"]').count()).toBe(0);
    expect(consoleErrors).toEqual([]);
    await page.close();
  });

  it('fits a phone screen (375 px) in both languages, with a visible focus', async () => {
    const token = await sendQuestionnaire('zh-CN');
    const context = await browser.newContext({ viewport: { width: 375, height: 740 } });
    const page = await context.newPage();
    await page.goto(`${base}/portal/t/${token}`);
    await expectLocator(page.getByRole('heading', { level: 1 })).toHaveText('海港速递 的安全问卷');
    const overflow = async () => (await page.evaluate('document.documentElement.scrollWidth - window.innerWidth')) as number;
    expect(await overflow()).toBeLessThanOrEqual(0);

    await question(page, 'backup.exists').getByLabel('是', { exact: true }).check();
    await expectLocator(question(page, 'backup.practices')).toBeVisible();
    await expectLocator(saveStatus(page, 'backup.exists')).toHaveText('已保存');
    expect(await overflow()).toBeLessThanOrEqual(0);

    await page.goto(`${base}/portal?lang=en`);
    await expectLocator(page.getByRole('heading', { level: 1 })).toHaveText('Security questionnaire for 海港速递');
    expect(await overflow()).toBeLessThanOrEqual(0);
    // Keyboard focus is visible (the focus ring of app.css).
    await page.locator('[id="v-access.mfa-yes"]').focus();
    await page.keyboard.press('ArrowRight');
    const ring = (await page.evaluate('getComputedStyle(document.activeElement).boxShadow')) as string;
    expect(ring).toContain('rgb(255, 191, 71)');

    await page.goto(`${base}/portal/review`);
    await expectLocator(page.getByRole('heading', { level: 1 })).toHaveText('Review and submit');
    expect(await overflow()).toBeLessThanOrEqual(0);
    await context.close();
  });
});
