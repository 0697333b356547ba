import type { Response } from 'supertest';
import { SYSTEM_ACTOR } from '../../src/audit/audit-context';
import { checkModuleSource } from '../../src/questionnaires/module-loader';
import { QuestionnairesService } from '../../src/questionnaires/questionnaires.service';
import { bearer, expectProblem, StaffUser, TestContext } from '../support/test-app';

/** A small module with every question type, a condition and evidence, in both languages. */
const MODULE = `
key: portal-pages-test
version: 1.0.0
title: { en: "Portal test module", zh-CN: "门户测试模块" }
description: { en: "Every question type once.", zh-CN: "每种题型各一道。" }
sections:
  - key: basics
    title: { en: "Basics", zh-CN: "基本情况" }
    questions:
      - key: basics.mfa
        type: yes_no
        evidence: optional
        text: { en: "Do all accounts require MFA?", zh-CN: "所有账号都要求多因素认证吗？" }
        help: { en: "Email, cloud storage and admin accounts.", zh-CN: "包括电子邮箱、云存储和管理员账号。" }
        refs: { area: 4 }
        finding: { severity: high, recommendation: { en: "Turn on MFA.", zh-CN: "开启多因素认证。" } }
      - key: basics.backup
        type: yes_no_na
        text: { en: "Do you keep backups?", zh-CN: "贵公司是否保留备份？" }
        refs: { area: 8 }
        finding: { severity: medium, recommendation: { en: "Keep backups.", zh-CN: "保留备份。" } }
      - key: basics.backup_practices
        type: multi_choice
        condition: "basics.backup == 'yes'"
        text: { en: "Which of these hold for your backups?", zh-CN: "以下哪些符合贵公司的备份情况？" }
        options:
          - { key: encrypted, label: { en: "Encrypted", zh-CN: "已加密" }, score: 0.5 }
          - { key: offline, label: { en: "One copy offline", zh-CN: "一份离线副本" }, score: 0.5 }
        refs: { area: 8 }
        finding: { severity: medium, recommendation: { en: "Encrypt backups.", zh-CN: "加密备份。" } }
      - key: basics.hosting
        type: single_choice
        text: { en: "Where is our data hosted?", zh-CN: "我方数据托管在哪里？" }
        options:
          - { key: eu, label: { en: "In the EU", zh-CN: "欧盟境内" }, score: 1 }
          - { key: elsewhere, label: { en: "Elsewhere", zh-CN: "其他地区" }, score: 0 }
        refs: { area: 1 }
        finding: { severity: low, recommendation: { en: "Host in the EU.", zh-CN: "在欧盟境内托管。" } }
  - key: details
    title: { en: "Details", zh-CN: "详细信息" }
    questions:
      - key: details.staff
        type: number
        text: { en: "How many people work on security?", zh-CN: "有多少人从事安全工作？" }
        refs: { area: 2 }
      - key: details.pentest
        type: date
        required: false
        text: { en: "When was your last penetration test?", zh-CN: "最近一次渗透测试是什么时候？" }
        refs: { area: 12 }
      - key: details.notes
        type: text
        required: false
        text: { en: "Anything else we should know?", zh-CN: "还有其他需要我们了解的情况吗？" }
        refs: { area: 1 }
      - key: details.policy
        type: file
        required: false
        text: { en: "Upload your security policy.", zh-CN: "请上传贵公司的安全制度。" }
        refs: { area: 2 }
`;

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');

interface Portal {
  token: string;
  cookie: string;
  csrf: string;
  assessmentId: string;
}

/** Every redirect target seen, to show that no link token ever travels in a Location header. */
const locations: string[] = [];
const tokens: string[] = [];

function track(res: Response): Response {
  if (res.headers.location) locations.push(res.headers.location);
  return res;
}

function inputTag(html: string, id: string): string {
  const tag = new RegExp(`<(?:input|textarea)[^>]*id="${id.replace(/\./g, '\\.')}"[^>]*>`).exec(html);
  if (!tag) throw new Error(`no input #${id} in the page`);
  return tag[0];
}

function questionBlock(html: string, key: string): string {
  const start = html.indexOf(`id="q-${key}"`);
  if (start < 0) throw new Error(`no question ${key} in the page`);
  const next = html.indexOf('<div class="question', start + 10);
  return html.slice(start, next < 0 ? undefined : next);
}

describe('vendor portal pages', () => {
  let ctx: TestContext;
  let admin: StaffUser;

  beforeAll(async () => {
    ctx = await TestContext.create();
    admin = await ctx.admin();
    const { loaded, problems } = checkModuleSource('portal-pages-test.yaml', MODULE);
    if (!loaded) throw new Error(`the test module is not valid: ${problems.join('; ')}`);
    await ctx.app.get(QuestionnairesService).publish(loaded.module, 'imported', SYSTEM_ACTOR);
  });

  afterAll(async () => {
    await ctx?.close();
  });

  async function openPortal(language: 'en' | 'zh-CN' = 'en'): Promise<Portal> {
    const vendorId = await ctx.newVendor(admin.id);
    const created = await ctx.http
      .post('/api/assessments')
      .set(bearer(admin.token))
      .send({ vendorId, modules: ['portal-pages-test'], dueDate: '2026-04-01', recipient: { name: 'Mei Lin', email: 'mei@vendor.example', language }, message: 'Please answer by April.' });
    expect(created.status).toBe(201);
    const token = new URL(created.body.link.url as string).pathname.split('/').pop()!;
    tokens.push(token);
    const open = track(await ctx.http.get(`/portal/t/${token}`));
    expect(open.status).toBe(303);
    expect(open.headers.location).toBe('/portal');
    const setCookie = ([] as string[]).concat(open.headers['set-cookie'] ?? []);
    const cookie = setCookie.map((c) => c.split(';')[0]).find((c) => c.startsWith('vdp_portal='));
    expect(cookie).toBeDefined();
    const page = await ctx.http.get('/portal').set('Cookie', cookie!);
    expect(page.status).toBe(200);
    const csrf = /<meta name="csrf-token" content="([^"]+)">/.exec(page.text)?.[1];
    expect(csrf).toBeDefined();
    return { token, cookie: cookie!, csrf: csrf!, assessmentId: created.body.assessment.id as string };
  }

  const page = async (p: Portal, path = '/portal') => ctx.http.get(path).set('Cookie', `${p.cookie}; vdp_lang=en`);

  async function postForm(p: Portal, path: string, fields: Array<[string, string]>, withCsrf = true): Promise<Response> {
    const body = new URLSearchParams(withCsrf ? [['_csrf', p.csrf], ...fields] : fields);
    return track(await ctx.http.post(path).set('Cookie', `${p.cookie}; vdp_lang=en`).type('form').send(body.toString()));
  }

  /** The vendor's answers as the JSON API sees them. */
  async function answers(p: Portal): Promise<Record<string, { value: unknown; comment: string | null; version: number; visible: boolean; files: Array<{ id: string; name: string }> }>> {
    const res = await ctx.http.get('/api/portal/assessment').set('Cookie', p.cookie);
    expect(res.status).toBe(200);
    return Object.fromEntries((res.body.sections as Array<{ questions: any[] }>).flatMap((s) => s.questions.map((q) => [q.key, q])));
  }

  it('renders every question by type, in the recipient’s language and in the one chosen', async () => {
    const p = await openPortal('zh-CN');
    const zh = await ctx.http.get('/portal').set('Cookie', p.cookie);
    expect(zh.status).toBe(200);
    expect(zh.headers['content-type']).toMatch(/^text\/html/);
    expect(zh.text).toContain('<html lang="zh-CN">');
    expect(zh.text).toContain('所有账号都要求多因素认证吗？');
    expect(zh.text).toContain('尚未开始');
    expect(zh.text).toContain('已回答 0 / 7 个问题');
    // No staff navigation in the vendor's layout.
    expect(zh.text).not.toContain('href="/vendors"');

    const en = await ctx.http.get('/portal?lang=en').set('Cookie', p.cookie);
    expect(en.status).toBe(200);
    expect(en.text).toContain('<html lang="en">');
    expect(en.text).toContain('Security questionnaire for Vendor');
    expect(en.text).toContain('Please answer by April.');
    expect(en.text).toContain('Due by <time datetime="2026-04-01">2026-04-01</time>');
    expect(en.text).toContain('0 of 7 questions answered');
    expect(([] as string[]).concat(en.headers['set-cookie'] ?? []).some((c) => c.startsWith('vdp_lang=en'))).toBe(true);
    // The language switch keeps the vendor on the questionnaire.
    expect(en.text).toContain('href="/portal?lang=zh-CN"');

    const mfa = questionBlock(en.text, 'basics.mfa');
    expect(mfa).toMatch(/<fieldset class="answer" id="v-basics\.mfa" aria-describedby="h-basics\.mfa">\s*<legend class="qtext">Do all accounts require MFA\?/);
    expect(mfa).toContain('<input type="radio" id="v-basics.mfa-yes" name="value.basics.mfa" value="yes" form="form-s-portal-pages-test--basics">');
    expect(mfa).toContain('<label for="v-basics.mfa-yes">Yes</label>');
    expect(mfa).toContain('<p class="hint" id="h-basics.mfa">Email, cloud storage and admin accounts.</p>');
    expect(mfa).toContain('<span class="req" aria-hidden="true">*</span>');
    expect(mfa).toContain('<label for="c-basics.mfa">Comment (optional)</label>');
    expect(mfa).toContain('<input type="hidden" name="version.basics.mfa" value="0" form="form-s-portal-pages-test--basics">');
    expect(mfa).toContain('action="/portal/evidence" enctype="multipart/form-data"');
    expect(mfa).toContain('aria-live="polite"');
    expect(questionBlock(en.text, 'basics.backup')).toContain('<label for="v-basics.backup-na">Not applicable</label>');
    const practices = questionBlock(en.text, 'basics.backup_practices');
    expect(practices).toMatch(/data-condition="basics\.backup == &#39;yes&#39;" hidden>/);
    expect(practices).toContain('<input type="checkbox" id="v-basics.backup_practices-encrypted" name="value.basics.backup_practices" value="encrypted"');
    expect(inputTag(en.text, 'v-details.staff')).toContain('inputmode="decimal"');
    expect(inputTag(en.text, 'v-details.pentest')).toContain('type="date"');
    expect(inputTag(en.text, 'v-details.notes')).toContain('<textarea');
    expect(inputTag(en.text, 'file-details.policy')).toContain('type="file"');
    expect(en.text).toContain('<form id="form-s-portal-pages-test--details" method="post" action="/portal/answers" class="section-save" novalidate>');
    expect(en.text).toContain(`<input type="hidden" name="_csrf" value="${p.csrf}">`);
    expect(en.text).toContain('<a href="#s-portal-pages-test--details">Details</a>');
    expect(en.text).toContain('<script src="/assets/portal.js" defer></script>');
    expect(en.text).not.toMatch(/<script>|<style>| style="/);
  });

  it('saves a section without script, skips unchanged answers and shows the values after reload', async () => {
    const p = await openPortal();
    const saved = await postForm(p, '/portal/answers', [
      ['section', 'portal-pages-test/basics'],
      ['value.basics.mfa', 'yes'],
      ['comment.basics.mfa', 'Hardware keys for admins.\r\nApp codes for everyone else.'],
      ['version.basics.mfa', '0'],
      ['value.basics.backup', 'yes'],
      ['comment.basics.backup', ''],
      ['version.basics.backup', '0'],
      ['comment.basics.backup_practices', ''],
      ['version.basics.backup_practices', '0'],
      ['value.basics.hosting', 'eu'],
      ['comment.basics.hosting', ''],
      ['version.basics.hosting', '0'],
    ]);
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toBe('/portal?notice=saved#s-portal-pages-test--basics');

    let a = await answers(p);
    expect(a['basics.mfa']).toMatchObject({ value: 'yes', comment: 'Hardware keys for admins.\nApp codes for everyone else.', version: 1 });
    expect(a['basics.backup']).toMatchObject({ value: 'yes', version: 1 });
    expect(a['basics.hosting']).toMatchObject({ value: 'eu', version: 1 });
    // Never answered and left empty: nothing was written.
    expect(a['basics.backup_practices']).toMatchObject({ value: null, version: 0, visible: true });

    const reload = await page(p, '/portal?notice=saved');
    expect(reload.text).toContain('Your answers are saved.');
    expect(reload.text).toContain('<input type="radio" id="v-basics.mfa-yes" name="value.basics.mfa" value="yes" form="form-s-portal-pages-test--basics" checked>');
    expect(reload.text).toContain('<input type="radio" id="v-basics.hosting-eu" name="value.basics.hosting" value="eu" form="form-s-portal-pages-test--basics" checked>');
    expect(reload.text).toMatch(/<textarea id="c-basics\.mfa"[^>]*>Hardware keys for admins\.\nApp codes for everyone else\.<\/textarea>/);
    expect(reload.text).toContain('<input type="hidden" name="version.basics.mfa" value="1"');
    // The condition now holds: the follow-up question is shown.
    expect(questionBlock(reload.text, 'basics.backup_practices')).not.toMatch(/ hidden>/);
    expect(reload.text).toContain('3 of 8 questions answered');

    const details = await postForm(p, '/portal/answers', [
      ['section', 'portal-pages-test/details'],
      ['value.basics.backup_practices', 'encrypted'],
      ['value.basics.backup_practices', 'offline'],
      ['version.basics.backup_practices', '0'],
      ['value.details.staff', ' 2.5 '],
      ['version.details.staff', '0'],
      ['value.details.pentest', '2025-11-20'],
      ['version.details.pentest', '0'],
      ['value.details.notes', 'We use <b>two</b> data centres & one office.'],
      ['version.details.notes', '0'],
    ]);
    expect(details.headers.location).toBe('/portal?notice=saved#s-portal-pages-test--details');
    a = await answers(p);
    expect(a['basics.backup_practices']).toMatchObject({ value: ['encrypted', 'offline'], version: 1 });
    expect(a['details.staff']).toMatchObject({ value: 2.5, version: 1 });
    expect(a['details.pentest']).toMatchObject({ value: '2025-11-20', version: 1 });
    expect(a['details.notes']).toMatchObject({ value: 'We use <b>two</b> data centres & one office.', version: 1 });

    const shown = await page(p);
    expect(shown.text).toContain('value="2.5"');
    expect(shown.text).toContain('value="2025-11-20"');
    expect(shown.text).toContain('>We use &lt;b&gt;two&lt;/b&gt; data centres &amp; one office.</textarea>');
    expect(shown.text).toMatch(/value="offline" form="form-s-portal-pages-test--basics" checked>/);

    // The same values again (options in another order, the number spelled differently): nothing is written.
    const again = await postForm(p, '/portal/answers', [
      ['section', 'portal-pages-test/details'],
      ['value.basics.backup_practices', 'offline'],
      ['value.basics.backup_practices', 'encrypted'],
      ['version.basics.backup_practices', '1'],
      ['value.details.staff', '2.50'],
      ['version.details.staff', '1'],
      ['value.details.notes', 'We use <b>two</b> data centres & one office.'],
      ['version.details.notes', '1'],
    ]);
    expect(again.headers.location).toBe('/portal?notice=unchanged#s-portal-pages-test--details');
    a = await answers(p);
    expect(a['basics.backup_practices'].version).toBe(1);
    expect(a['details.staff'].version).toBe(1);

    // Unticking every option clears the answer.
    const cleared = await postForm(p, '/portal/answers', [['version.basics.backup_practices', '1']]);
    expect(cleared.headers.location).toBe('/portal?notice=saved');
    expect((await answers(p))['basics.backup_practices']).toMatchObject({ value: null, version: 2 });
  });

  it('shows a stale save as a conflict with the newer saved value and the vendor’s own (409)', async () => {
    const p = await openPortal();
    expect((await postForm(p, '/portal/answers', [['value.details.notes', 'First draft'], ['version.details.notes', '0']])).status).toBe(303);
    // The same vendor saves from another device (an integration with a bearer portal session).
    const session = await ctx.http.post('/api/portal/session').send({ token: p.token });
    expect(session.status).toBe(200);
    const other = await ctx.http.put('/api/portal/answers/details.notes').set(bearer(session.body.token)).send({ value: 'Colleague’s text', comment: 'from the office', baseVersion: 1 });
    expect(other.status).toBe(200);
    expect(other.body.version).toBe(2);

    const stale = await postForm(p, '/portal/answers', [
      ['value.details.notes', 'My own text'],
      ['comment.details.notes', ''],
      ['version.details.notes', '1'],
      ['value.details.staff', '4'],
      ['version.details.staff', '0'],
    ]);
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('Some answers were changed by someone else after you opened this page.');
    const block = questionBlock(stale.text, 'details.notes');
    expect(block).toContain('This answer was changed after you opened the page.');
    expect(block).toMatch(/<dd class="conflict-saved"><span class="prewrap">Colleague’s text<\/span><br><span class="muted">Comment:<\/span> <span class="prewrap">from the office<\/span><\/dd>/);
    expect(block).toMatch(/<dd class="conflict-yours"><span class="prewrap">My own text<\/span><\/dd>/);
    // The form keeps the vendor's text and now carries the newer version: saving again keeps theirs.
    expect(block).toMatch(/<textarea id="v-details\.notes"[^>]*>My own text<\/textarea>/);
    expect(block).toContain('<input type="hidden" name="version.details.notes" value="2"');
    // The other answer of the same form was saved.
    let a = await answers(p);
    expect(a['details.notes']).toMatchObject({ value: 'Colleague’s text', version: 2 });
    expect(a['details.staff']).toMatchObject({ value: 4, version: 1 });

    const resaved = await postForm(p, '/portal/answers', [['value.details.notes', 'My own text'], ['comment.details.notes', 'from the office'], ['version.details.notes', '2']]);
    expect(resaved.status).toBe(303);
    a = await answers(p);
    expect(a['details.notes']).toMatchObject({ value: 'My own text', comment: 'from the office', version: 3 });
  });

  it('re-renders a bad number with its field error and the input kept (400)', async () => {
    const p = await openPortal();
    const res = await postForm(p, '/portal/answers', [
      ['section', 'portal-pages-test/details'],
      ['value.details.staff', 'twelve'],
      ['version.details.staff', '0'],
      ['value.details.pentest', '2026-02-30'],
      ['version.details.pentest', '0'],
      ['value.details.notes', 'Saved anyway'],
      ['version.details.notes', '0'],
    ]);
    expect(res.status).toBe(400);
    expect(res.text).toContain('Some answers could not be saved (2).');
    expect(res.text).toContain('<li><a href="#q-details.staff">How many people work on security?</a></li>');
    const staff = inputTag(res.text, 'v-details.staff');
    expect(staff).toContain('value="twelve"');
    expect(staff).toContain('aria-invalid="true"');
    expect(staff).toContain('aria-describedby="e-details.staff"');
    expect(res.text).toContain('<p class="field-error" id="e-details.staff">Enter a number, using digits and a decimal point only (for example 12 or 2.5).</p>');
    expect(inputTag(res.text, 'v-details.pentest')).toContain('value="2026-02-30"');
    expect(res.text).toContain('<p class="field-error" id="e-details.pentest">Enter a real date (year-month-day).</p>');
    const a = await answers(p);
    expect(a['details.staff']).toMatchObject({ value: null, version: 0 });
    expect(a['details.notes']).toMatchObject({ value: 'Saved anyway', version: 1 });

    const zh = await ctx.http
      .post('/portal/answers')
      .set('Cookie', `${p.cookie}; vdp_lang=zh-CN`)
      .type('form')
      .send(new URLSearchParams([['_csrf', p.csrf], ['value.details.staff', '十二'], ['version.details.staff', '0']]).toString());
    expect(zh.status).toBe(400);
    expect(zh.text).toContain('请输入数字，只能使用阿拉伯数字和小数点（例如 12 或 2.5）。');
  });

  it('uploads, downloads and removes evidence with plain forms', async () => {
    const p = await openPortal();
    const upload = track(
      await ctx.http.post('/portal/evidence').set('Cookie', p.cookie).field('_csrf', p.csrf).field('question', 'details.policy').attach('file', PDF, { filename: 'Security policy.pdf', contentType: 'application/pdf' }),
    );
    expect(upload.status).toBe(303);
    expect(upload.headers.location).toBe('/portal?notice=file_added#q-details.policy');
    const a = await answers(p);
    expect(a['details.policy'].files).toHaveLength(1);
    const file = a['details.policy'].files[0];
    expect(file.name).toBe('Security policy.pdf');

    const shown = await page(p);
    const block = questionBlock(shown.text, 'details.policy');
    expect(block).toContain(`<a href="/portal/evidence/${file.id}">Security policy.pdf</a>`);
    expect(block).toContain(`action="/portal/evidence/${file.id}/remove"`);
    expect(shown.text).toContain('1 of 7 questions answered');

    const download = await ctx.http.get(`/portal/evidence/${file.id}`).set('Cookie', p.cookie).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
    expect(download.status).toBe(200);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.headers['content-disposition']).toBe(`attachment; filename="Security policy.pdf"; filename*=UTF-8''Security%20policy.pdf`);
    expect(Buffer.compare(download.body as Buffer, PDF)).toBe(0);

    const refused = await ctx.http.post('/portal/evidence').set('Cookie', p.cookie).field('_csrf', p.csrf).field('question', 'details.policy').attach('file', Buffer.from('MZ\x90\x00binary', 'latin1'), 'tool.exe');
    expect(refused.status).toBe(415);
    expect(questionBlock(refused.text, 'details.policy')).toContain('<p class="field-error" id="ue-details.policy">This kind of file is not accepted. Attach a PDF, PNG, JPEG, DOCX, XLSX, CSV or TXT file.</p>');

    const noEvidence = await ctx.http.post('/portal/evidence').set('Cookie', p.cookie).field('_csrf', p.csrf).field('question', 'basics.hosting').attach('file', PDF, 'hosting.pdf');
    expect(noEvidence.status).toBe(400);

    const noCsrf = await ctx.http.post('/portal/evidence').set('Cookie', p.cookie).field('question', 'details.policy').attach('file', PDF, 'again.pdf');
    expect(noCsrf.status).toBe(403);
    expect(noCsrf.text).toContain('The form could not be accepted');
    expect((await answers(p))['details.policy'].files).toHaveLength(1);

    const removed = await postForm(p, `/portal/evidence/${file.id}/remove`, [['question', 'details.policy']]);
    expect(removed.status).toBe(303);
    expect(removed.headers.location).toBe('/portal?notice=file_removed#q-details.policy');
    expect((await answers(p))['details.policy'].files).toEqual([]);
    expect((await ctx.http.get(`/portal/evidence/${file.id}`).set('Cookie', p.cookie)).status).toBe(404);
  });

  it('refuses to submit with required answers missing (409), then submits and confirms', async () => {
    const p = await openPortal();
    const review = await page(p, '/portal/review');
    expect(review.status).toBe(200);
    expect(review.text).toContain('Required questions still unanswered: 4');
    expect(review.text).toContain('<li><a href="/portal#q-basics.mfa">Do all accounts require MFA?</a></li>');
    expect(review.text).toContain('action="/portal/submit"');

    const early = await postForm(p, '/portal/submit', []);
    expect(early.status).toBe(409);
    expect(early.text).toContain('The answers cannot be submitted yet: required questions still unanswered: 4.');
    expect(early.text).toContain('<li><a href="/portal#q-details.staff">How many people work on security?</a></li>');

    expect(
      (
        await postForm(p, '/portal/answers', [
          ['value.basics.mfa', 'yes'],
          ['version.basics.mfa', '0'],
          ['value.basics.backup', 'no'],
          ['version.basics.backup', '0'],
          ['value.basics.hosting', 'elsewhere'],
          ['version.basics.hosting', '0'],
        ])
      ).status,
    ).toBe(303);
    const almost = await postForm(p, '/portal/submit', []);
    expect(almost.status).toBe(409);
    expect(almost.text).toContain('required questions still unanswered: 1.');
    expect(almost.text).not.toContain('href="/portal#q-basics.mfa"');

    expect((await postForm(p, '/portal/answers', [['value.details.staff', '3'], ['version.details.staff', '0']])).status).toBe(303);
    const ready = await page(p, '/portal/review');
    expect(ready.text).toContain('Every required question is answered.');

    const submitted = await postForm(p, '/portal/submit', []);
    expect(submitted.status).toBe(303);
    expect(submitted.headers.location).toBe('/portal/submitted');
    const confirmation = await page(p, '/portal/submitted');
    expect(confirmation.status).toBe(200);
    expect(confirmation.text).toContain('Thank you: your answers are submitted');
    expect(confirmation.text).toContain('<time datetime="2026-03-02T09:00:00.000Z">2026-03-02 09:00 UTC</time>');
    expect(confirmation.text).toContain('<dd id="submitted-answered">4 of 7</dd>');
    expect(confirmation.text).toContain('<dd id="submitted-files">0</dd>');
    expect(confirmation.text).toContain('A receipt was emailed to mei@vendor.example.');

    const readOnly = await page(p);
    expect(readOnly.status).toBe(200);
    expect(readOnly.text).toContain('<span class="pill done" id="portal-status">Submitted</span>');
    expect(readOnly.text).toContain('Your answers were submitted and can no longer be changed.');
    expect(readOnly.text).not.toContain('action="/portal/answers"');
    expect(readOnly.text).not.toContain('action="/portal/evidence"');
    expect(questionBlock(readOnly.text, 'basics.hosting')).toContain('<span class="prewrap">Elsewhere</span>');
    expect((await page(p, '/portal/review')).headers.location).toBe('/portal');
    // A second submit (another tab) just shows the confirmation again.
    expect((await postForm(p, '/portal/submit', [])).headers.location).toBe('/portal/submitted');
    // Saving after submit is refused, and the page says why.
    const late = await postForm(p, '/portal/answers', [['value.details.staff', '9'], ['version.details.staff', '1']]);
    expect(late.status).toBe(409);
    expect(late.text).toContain('This change is no longer possible');
  });

  it('shows the reviewers’ questions and opens only the reopened answers for change', async () => {
    const p = await openPortal();
    const required: Array<[string, string]> = [
      ['value.basics.mfa', 'yes'],
      ['version.basics.mfa', '0'],
      ['value.basics.backup', 'na'],
      ['version.basics.backup', '0'],
      ['value.basics.hosting', 'eu'],
      ['version.basics.hosting', '0'],
      ['value.details.staff', '2'],
      ['version.details.staff', '0'],
    ];
    expect((await postForm(p, '/portal/answers', required)).status).toBe(303);
    expect((await postForm(p, '/portal/submit', [])).status).toBe(303);
    const asked = await ctx.http
      .post(`/api/assessments/${p.assessmentId}/clarification`)
      .set(bearer(admin.token))
      .send({ questionKeys: ['details.staff'], message: 'Two people for 400 staff? Please explain.' });
    expect(asked.status).toBe(200);

    // The session opened before still works; the page shows the question and opens only that answer.
    const reopened = await page(p);
    expect(reopened.status).toBe(200);
    expect(reopened.text).toContain('<h2>Our reviewers have questions</h2>');
    expect(reopened.text).toContain('<blockquote>Two people for 400 staff? Please explain.</blockquote>');
    const staff = questionBlock(reopened.text, 'details.staff');
    expect(staff).toContain('Reopened by our reviewers: please check this answer.');
    expect(inputTag(reopened.text, 'v-details.staff')).toContain('value="2"');
    const hosting = questionBlock(reopened.text, 'basics.hosting');
    expect(reopened.text).toContain('<div class="question readonly" id="q-basics.hosting"');
    expect(reopened.text).toContain('<div class="question" id="q-details.staff"');
    expect(hosting).toContain('<span class="prewrap">In the EU</span>');
    expect(hosting).not.toContain('name="value.basics.hosting"');
    expect(reopened.text).not.toContain('id="form-s-portal-pages-test--basics"');

    const changed = await postForm(p, '/portal/answers', [['value.details.staff', '2'], ['comment.details.staff', 'Plus an outsourced security operations centre.'], ['version.details.staff', '1']]);
    expect(changed.status).toBe(303);
    expect((await answers(p))['details.staff']).toMatchObject({ value: 2, comment: 'Plus an outsourced security operations centre.', version: 2 });
    // A question that was not reopened cannot be changed by posting it anyway.
    const sneaky = await postForm(p, '/portal/answers', [['value.basics.hosting', 'elsewhere'], ['version.basics.hosting', '1']]);
    expect(sneaky.status).toBe(409);
    expect((await answers(p))['basics.hosting'].value).toBe('eu');

    expect((await postForm(p, '/portal/submit', [])).headers.location).toBe('/portal/submitted');
    expect((await page(p, '/portal/submitted')).text).toContain('<dd>Submitted</dd>');
  });

  it('answers 401 without a portal session, and 403 without the form token', async () => {
    const p = await openPortal();
    const none = await ctx.http.get('/portal');
    expect(none.status).toBe(401);
    expect(none.headers.location).toBeUndefined();
    expect(none.headers['content-type']).toMatch(/^text\/html/);
    expect(none.text).toContain('Open the questionnaire from its link');

    const staff = await ctx.http.get('/portal').set(bearer(admin.token));
    expect(staff.status).toBe(401);
    expect(staff.text).toContain('Open the questionnaire from its link');
    const staffCookie = await ctx.http.get('/portal/review').set('Cookie', `vdp_session=${admin.token}`);
    expect(staffCookie.status).toBe(401);
    expectProblem(await ctx.http.get('/api/portal/assessment').set(bearer(admin.token)), 401, 'portal.session_required');

    const forged = await postForm(p, '/portal/answers', [['value.details.staff', '5'], ['version.details.staff', '0']], false);
    expect(forged.status).toBe(403);
    expect((await answers(p))['details.staff'].version).toBe(0);
    expect((await postForm(p, '/portal/submit', [], false)).status).toBe(403);

    const bad = track(await ctx.http.get(`/portal/t/${'x'.repeat(43)}`));
    expect(bad.status).toBe(404);
    expect(bad.text).toContain('This questionnaire link does not work');
    expect(bad.text).not.toContain('?lang=');
  });

  // Runs last: every redirect the tests above received.
  it('never carries a link token in a Location header after the exchange', () => {
    expect(tokens.length).toBeGreaterThanOrEqual(8);
    expect(locations.length).toBeGreaterThan(20);
    expect(locations.filter((l) => tokens.some((t) => l.includes(t)))).toEqual([]);
    expect(new Set(locations.filter((l) => !l.startsWith('/portal?notice=')))).toEqual(new Set(['/portal', '/portal/submitted']));
  });
});
