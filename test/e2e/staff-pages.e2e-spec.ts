import { pageGet, pagePost } from '../support/page-client';
import { FindingEntity } from '../../src/reviews/finding.entity';
import { createAssessment, linkToken, openPortal, PDF, submittedAssessment, uploadEvidence } from '../support/assessment-factory';
import { bearer, PROFILES, StaffUser, TestContext } from '../support/test-app';

/** The answers a low-tier vendor gives to baseline-lite: MFA is missing (a critical failure), backups too. */
const LITE_ANSWERS: Record<string, unknown> = {
  'scope.categories': 'Names and delivery addresses of parcels.',
  'scope.inventory': 'yes',
  'scope.sensitive': 'no',
  'policy.written': 'yes',
  'policy.owner': 'yes',
  'access.mfa': 'no',
  'access.own_accounts': 'yes',
  'access.need_to_know': 'yes',
  'access.leavers': 'same_day',
  'encryption.in_transit': 'yes',
  'encryption.at_rest': 'yes',
  'patching.speed': 'within_14_days',
  'patching.supported': 'yes',
  'backup.exists': 'no',
  'suppliers.contracts': 'na',
  'suppliers.advance_notice': 'na',
  'incident.notify_us': 'yes',
  'incident.window': 'within_24h',
  'incident.plan': 'yes',
  'incident.contact': 'Security desk, sec@cleaner.example, +49 30 555',
};

/** Server-rendered staff pages of questionnaires, assessments, review and findings, through the real app. */
describe('staff pages: questionnaires, assessments, review and findings', () => {
  let ctx: TestContext;
  let admin: StaffUser;
  let procurement: StaffUser;
  let reviewer: StaffUser;
  let viewer: StaffUser;
  let courierId: string;

  const get = (u: StaffUser, path: string) => pageGet(ctx, u, path);
  const post = (u: StaffUser, path: string, fields: Record<string, string | string[]> = {}) => pagePost(ctx, u, path, fields);
  /** The rendered card of one question on the review page. */
  const article = (html: string, key: string) => {
    const start = html.indexOf(`id="q-${key}"`);
    expect(start).toBeGreaterThan(-1);
    return html.slice(start, html.indexOf('</article>', start));
  };
  const checkbox = (html: string, id: string) => new RegExp(`<input type="checkbox" id="${id.replace(/\./g, '\\.')}"[^>]*>`).exec(html)?.[0] ?? '';

  /** A low-tier vendor's baseline-lite, answered through the portal's JSON API and submitted. */
  const submittedLite = async (name: string) => {
    const vendorId = await ctx.newVendor(admin.id, { name, category: 'professional_services', profile: PROFILES.officeCleaner });
    const sent = await createAssessment(ctx, procurement.token, vendorId, { modules: ['baseline-lite'] });
    const session = await openPortal(ctx, sent.token);
    for (const [key, value] of Object.entries(LITE_ANSWERS)) {
      const res = await ctx.http.put(`/api/portal/answers/${key}`).set(bearer(session)).send({ value, baseVersion: 0 });
      expect({ key, status: res.status }).toEqual({ key, status: 200 });
    }
    expect((await uploadEvidence(ctx, session, 'policy.written', 'security-rules.pdf', PDF)).status).toBe(201);
    expect((await ctx.http.post('/api/portal/submit').set(bearer(session))).status).toBe(200);
    return { vendorId, id: sent.id };
  };

  beforeAll(async () => {
    ctx = await TestContext.create();
    admin = await ctx.admin();
    procurement = await ctx.newUser('procurement');
    reviewer = await ctx.newUser('reviewer', { name: 'Rita Reviewer' });
    viewer = await ctx.newUser('viewer');
    courierId = await ctx.newVendor(procurement.id, { name: 'Harbour Couriers', contact: { name: 'Pim Jansen', email: 'pim@harbour.example', language: 'zh-CN' } });
  });
  afterAll(async () => ctx.close());

  describe('sending a questionnaire', () => {
    it('pre-checks the modules proposed for the vendor and fills in its contact and a due date 30 days out', async () => {
      const res = await get(procurement, `/vendors/${courierId}/assessments/new`);
      expect(res.status).toBe(200);
      // A medium-tier courier: baseline and the processor duties, not the cloud or payment modules.
      expect(checkbox(res.text, 'module-baseline')).toContain(' checked');
      expect(checkbox(res.text, 'module-privacy-processor')).toContain(' checked');
      expect(checkbox(res.text, 'module-baseline-lite')).not.toContain(' checked');
      expect(checkbox(res.text, 'module-cloud-hosting')).not.toContain(' checked');
      expect(res.text).toContain('version 1.0.0, 65 questions');
      expect(res.text).toContain('id="dueDate" name="dueDate" type="date" required value="2026-04-01"');
      expect(res.text).toContain('value="pim@harbour.example"');
      expect(res.text).toMatch(/<option value="zh-CN" selected>/);
    });

    it('shows the portal link once, in the answer to the post, and never again', async () => {
      const res = await post(procurement, `/vendors/${courierId}/assessments`, {
        modules: ['baseline-lite'],
        dueDate: '2026-04-15',
        'recipient.name': 'Pim Jansen',
        'recipient.email': 'pim@harbour.example',
        'recipient.language': 'en',
        message: 'Please answer before the contract renewal.',
        action: 'send',
      });
      expect(res.status).toBe(201);
      const url = /id="portal-link"[^>]*value="([^"]+)"/.exec(res.text)?.[1] ?? '';
      expect(url).toMatch(/^http:\/\/portal\.test\/portal\/t\/[A-Za-z0-9_-]+$/);
      expect(res.text).toContain('this link is shown only this once');
      expect(res.text).toContain('readonly');
      const id = /action="\/assessments\/([0-9a-f-]{36})\/revoke-link"/.exec(res.text)![1];

      // The link works (it is the vendor's), and the assessment's own page does not carry it.
      expect((await ctx.http.post('/api/portal/session').send({ token: linkToken(url) })).status).toBe(200);
      const page = await get(procurement, `/assessments/${id}`);
      expect(page.status).toBe(200);
      expect(page.text).not.toContain(linkToken(url));
      expect(page.text).not.toContain('/portal/t/');
      expect(page.text).toContain('In progress');
      expect(page.text).toContain('Please answer before the contract renewal.');

      const list = await get(viewer, `/assessments?vendorId=${courierId}`);
      expect(list.status).toBe(200);
      expect(list.text).toContain(`href="/assessments/${id}"`);
      expect(list.text).not.toContain('/portal/t/');
    });

    it('keeps what was typed and explains each error', async () => {
      const res = await post(procurement, `/vendors/${courierId}/assessments`, {
        dueDate: '2026-03-01',
        'recipient.name': 'Pim Jansen',
        'recipient.email': 'not-an-email',
        'recipient.language': 'en',
        message: 'Kept message',
        action: 'send',
      });
      expect(res.status).toBe(400);
      expect(res.text).toContain('Choose at least one module');
      expect(res.text).toContain('Enter an email address, like name@example.com.');
      expect(res.text).toContain('value="not-an-email"');
      expect(res.text).toContain('Kept message');
      // A due date in the past is refused by the service once the rest is valid.
      const past = await post(procurement, `/vendors/${courierId}/assessments`, {
        modules: 'baseline',
        dueDate: '2026-03-01',
        'recipient.name': 'Pim Jansen',
        'recipient.email': 'pim@harbour.example',
        'recipient.language': 'en',
        action: 'send',
      });
      expect(past.status).toBe(400);
      expect(past.text).toContain('Enter a date that is today or later.');
      expect(checkbox(past.text, 'module-baseline')).toContain(' checked');
    });

    it('saves a draft, sends it, and shows a refused move as a notice', async () => {
      const draft = await post(procurement, `/vendors/${courierId}/assessments`, {
        modules: ['baseline-lite'],
        dueDate: '2026-04-15',
        'recipient.name': 'Pim Jansen',
        'recipient.email': 'pim@harbour.example',
        'recipient.language': 'en',
        action: 'draft',
      });
      expect(draft.status).toBe(303);
      const location = String(draft.headers.location);
      expect(location).toMatch(/^\/assessments\/[0-9a-f-]{36}\?notice=draft_saved$/);
      const id = location.slice('/assessments/'.length, location.indexOf('?'));
      const page = await get(procurement, location);
      expect(page.text).toContain('The assessment is saved as a draft.');
      expect(page.text).toContain(`action="/assessments/${id}/send"`);
      expect(page.text).not.toContain('id="portal-link"');

      const sent = await post(procurement, `/assessments/${id}/send`);
      expect(sent.status).toBe(200);
      expect(sent.text).toMatch(/id="portal-link"[^>]*value="http:\/\/portal\.test\/portal\/t\//);

      const again = await post(procurement, `/assessments/${id}/send`);
      expect(again.status).toBe(409);
      expect(again.text).toContain('The assessment cannot make this move in its current state.');
      expect(again.text).toContain('An assessment that is sent cannot become sent');
      expect(again.text).toContain('Possible now: In progress, Submitted, Expired, Cancelled.');

      const noReason = await post(procurement, `/assessments/${id}/cancel`, { reason: '' });
      expect(noReason.status).toBe(400);
      expect(noReason.text).toContain('Give a reason of 3 to 1,000 characters.');
      const cancelled = await post(procurement, `/assessments/${id}/cancel`, { reason: 'Sent by mistake' });
      expect(cancelled.status).toBe(303);
      const after = await get(procurement, String(cancelled.headers.location));
      expect(after.text).toContain('The assessment is cancelled.');
      expect(after.text).not.toContain(`action="/assessments/${id}/cancel"`);
    });

    it('offers a viewer no send button and refuses it the send form', async () => {
      const vendor = await get(viewer, `/vendors/${courierId}`);
      expect(vendor.status).toBe(200);
      expect(vendor.text).not.toContain('/assessments/new');
      expect(vendor.text).toContain(`href="/assessments?vendorId=${courierId}"`);
      expect((await get(viewer, `/vendors/${courierId}/assessments/new`)).status).toBe(403);
      const refused = await post(viewer, `/vendors/${courierId}/assessments`, { modules: 'baseline-lite', dueDate: '2026-04-15', action: 'send' });
      expect(refused.status).toBe(403);
      const asBuyer = await get(procurement, `/vendors/${courierId}`);
      expect(asBuyer.text).toContain(`href="/vendors/${courierId}/assessments/new"`);
    });
  });

  describe('reviewing', () => {
    let lite: { vendorId: string; id: string };

    beforeAll(async () => {
      lite = await submittedLite('Sparkle Office Cleaning');
    });

    it('shows each answer with its rule and score, the sums and the residual risk explained', async () => {
      const res = await get(reviewer, `/assessments/${lite.id}/review`);
      expect(res.status).toBe(200);
      const written = article(res.text, 'policy.written');
      expect(written).toContain('<dd class="answer">Yes</dd>');
      expect(written).toContain('favourable, evidence not yet accepted: counts half');
      expect(written).toContain('<strong>0.5</strong>');
      expect(written).toContain('security-rules.pdf');
      expect(written).toContain(`href="/assessments/${lite.id}/evidence/`);
      const mfa = article(res.text, 'access.mfa');
      expect(mfa).toContain('<dd class="answer">No</dd>');
      expect(mfa).toContain('Differs from the expected answer: 0');
      expect(mfa).toContain('Critical failure');
      expect(article(res.text, 'backup.practices')).toContain('Hidden by its condition: not applicable');
      // Σ w·s = 15.5 over Σ w = 19 (MFA weighs 2 and fails; the written policy counts half).
      expect(res.text).toContain('100 × Σ W·w·s / Σ W·w = 100 × 15.5 / 19 = 81.58');
      expect(res.text).toContain('100 × Σ w·s / Σ w = 100 × 3 / 5 = 60');
      expect(res.text).toContain('Inherent tier Low × control band Adequate → Low by the residual-risk matrix.');
      expect(res.text).toContain('Raised to high by a critical failure.');
      expect(res.text).toContain('provisional');
      // Forms for the reviewer.
      expect(res.text).toContain(`action="/assessments/${lite.id}/answers/policy.written/review"`);
      expect(res.text).toContain(`action="/assessments/${lite.id}/complete"`);

      const file = /href="(\/assessments\/[0-9a-f-]{36}\/evidence\/[0-9a-f-]{36})"/.exec(written)![1];
      const download = await get(reviewer, file);
      expect(download.status).toBe(200);
      expect(download.headers['content-disposition']).toContain('security-rules.pdf');
      expect((await get(viewer, file)).status).toBe(403);
    });

    it('counts accepted evidence in full once the reviewer accepts it on the page', async () => {
      const res = await post(reviewer, `/assessments/${lite.id}/answers/policy.written/review`, { decision: 'accepted', note: 'Two-page policy, signed in 2025.' });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`/assessments/${lite.id}/review?notice=answer_reviewed#q-policy.written`);
      const page = await get(reviewer, `/assessments/${lite.id}/review`);
      const written = article(page.text, 'policy.written');
      expect(written).toContain('evidence accepted: counts in full');
      expect(written).toContain('<strong>1</strong>');
      expect(written).toContain('Two-page policy, signed in 2025.');
      expect(written).toContain('Rita Reviewer');
      expect(page.text).toContain('100 × Σ W·w·s / Σ W·w = 100 × 16 / 19 = 84.21');
      expect(page.text).toContain('In review');
    });

    it('keeps the input and explains the error when an override has no reason', async () => {
      const res = await post(reviewer, `/assessments/${lite.id}/answers/backup.exists/review`, { decision: 'none', note: 'Backups exist per the call', overrideScore: '80', overrideReason: '' });
      expect(res.status).toBe(400);
      const card = article(res.text, 'backup.exists');
      expect(card).toContain('<details class="review-box" open>');
      expect(card).toContain('value="80"');
      expect(card).toContain('Backups exist per the call');
      expect(card).toContain('Explain the override in 10 to 2,000 characters.');
      expect(card).toContain('aria-invalid="true"');
      expect(res.text).toContain('Your review was not saved for:');
      // Nothing changed: the answer still scores 0.
      const page = await get(reviewer, `/assessments/${lite.id}/review`);
      expect(article(page.text, 'backup.exists')).toContain('<strong>0</strong>');
    });

    it('shows the sheet to procurement without any review form, and refuses its posts', async () => {
      const res = await get(procurement, `/assessments/${lite.id}/review`);
      expect(res.status).toBe(200);
      expect(article(res.text, 'access.mfa')).toContain('Differs from the expected answer: 0');
      expect(res.text).not.toContain('/answers/');
      expect(res.text).not.toContain('id="clarify-form"');
      expect(res.text).not.toContain(`/assessments/${lite.id}/complete`);
      expect(res.text).toContain('You can read this review; reviewers decide on the answers.');
      expect((await post(procurement, `/assessments/${lite.id}/answers/access.mfa/review`, { decision: 'accepted' })).status).toBe(403);
      expect((await post(procurement, `/assessments/${lite.id}/complete`)).status).toBe(403);
    });

    it('completes the review: findings appear on /findings and the vendor shows its residual risk', async () => {
      const incomplete = await post(reviewer, `/assessments/${lite.id}/complete`, { 'findings.1.title': 'No', 'findings.1.severity': 'high', 'findings.1.recommendation': '' });
      expect(incomplete.status).toBe(400);
      expect(incomplete.text).toContain('id="findings-1-title"');
      expect(incomplete.text).toContain('Give a title of 3 to 300 characters.');
      expect(incomplete.text).toContain('Give a recommendation of 3 to 4,000 characters.');

      const res = await post(reviewer, `/assessments/${lite.id}/complete`, {
        'findings.0.title': 'Shared cleaning-rota spreadsheet is public',
        'findings.0.severity': 'low',
        'findings.0.recommendation': 'Restrict the sheet to named staff accounts.',
        'findings.1.title': '',
        'findings.1.severity': 'medium',
        'findings.1.recommendation': '',
      });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`/findings?assessmentId=${lite.id}&notice=review_completed`);
      const raised = await get(viewer, String(res.headers.location));
      expect(raised.status).toBe(200);
      expect(raised.text).toContain('The review is complete.');
      expect(raised.text).toContain('Shared cleaning-rota spreadsheet is public');
      // MFA failed (critical, weight 2) and backups are missing: findings from the questions.
      const rows = await ctx.dataSource.getRepository(FindingEntity).find({ where: { assessmentId: lite.id } });
      expect(rows.map((f) => `${f.questionKey ?? 'manual'}:${f.severity}`).sort()).toEqual(['access.mfa:critical', 'backup.exists:high', 'manual:low']);
      const mfa = rows.find((f) => f.questionKey === 'access.mfa')!;
      expect(raised.text).toContain(`href="/findings/${mfa.id}"`);
      // Sorted by severity: critical first.
      expect(raised.text.indexOf(`/findings/${mfa.id}"`)).toBeLessThan(raised.text.indexOf('Shared cleaning-rota'));

      const all = await get(viewer, '/findings?severity=critical');
      expect(all.text).toContain(`href="/findings/${mfa.id}"`);
      expect(all.text).not.toContain('Shared cleaning-rota');

      const vendor = await get(viewer, `/vendors/${lite.vendorId}`);
      const line = /<dd id="vendor-residual-risk">([\s\S]*?)<\/dd>/.exec(vendor.text)?.[1] ?? '';
      expect(line).toContain('<span class="badge tier-high">High</span>');
      expect(line).toContain(`href="/assessments/${lite.id}"`);
      // The vendor page lists the vendor's assessments and its open findings, most severe first.
      const block = /<section class="card" aria-labelledby="assessments-title"[\s\S]*?<\/section>/.exec(vendor.text)?.[0] ?? '';
      expect(block).toContain(`<a href="/assessments/${lite.id}">`);
      expect(block).toContain('status-completed');
      const open = /<section class="card" aria-labelledby="open-findings-title"[\s\S]*?<\/section>/.exec(vendor.text)?.[0] ?? '';
      expect(open).toContain(`<a href="/findings/${mfa.id}">`);
      expect(open.indexOf(`/findings/${mfa.id}"`)).toBeLessThan(open.indexOf('Shared cleaning-rota'));

      const sheet = await get(viewer, `/assessments/${lite.id}/review`);
      expect(sheet.text).toContain('Final: recorded on the vendor when the review was completed.');
      expect(sheet.text).not.toContain('id="clarify-form"');
    });

    it('tracks a finding: procurement moves it, a stale form is refused, only reviewers accept its risk', async () => {
      const mfa = (await ctx.dataSource.getRepository(FindingEntity).findOneByOrFail({ assessmentId: lite.id, questionKey: 'access.mfa' }))!;
      const page = await get(procurement, `/findings/${mfa.id}`);
      expect(page.status).toBe(200);
      expect(page.text).toContain(`action="/findings/${mfa.id}"`);
      expect(page.text).not.toContain(`action="/findings/${mfa.id}/accept-risk"`);

      const moved = await post(procurement, `/findings/${mfa.id}`, { version: String(mfa.version), status: 'in_remediation', ownerId: procurement.id, dueDate: '2026-03-20', note: 'Vendor rolls out MFA this month.' });
      expect(moved.status).toBe(303);
      const after = await get(procurement, String(moved.headers.location));
      expect(after.text).toContain('The finding is updated.');
      expect(after.text).toContain('In remediation');
      expect(after.text).toContain('Vendor rolls out MFA this month.');

      const stale = await post(procurement, `/findings/${mfa.id}`, { version: String(mfa.version), status: 'resolved', ownerId: procurement.id, dueDate: '2026-03-20', note: 'stale' });
      expect(stale.status).toBe(409);
      expect(stale.text).toContain('Someone changed this finding since you opened it.');
      expect(stale.text).toContain(`name="version" value="${mfa.version + 1}"`);

      const refused = await post(procurement, `/findings/${mfa.id}/accept-risk`, { version: String(mfa.version + 1), reason: 'Cleaner has no system access at all.', until: '2026-09-30' });
      expect(refused.status).toBe(403);

      const tooShort = await post(reviewer, `/findings/${mfa.id}/accept-risk`, { version: String(mfa.version + 1), reason: 'ok', until: '2026-09-30' });
      expect(tooShort.status).toBe(400);
      expect(tooShort.text).toContain('Explain the acceptance in 10 to 2,000 characters.');
      const accepted = await post(reviewer, `/findings/${mfa.id}/accept-risk`, { version: String(mfa.version + 1), reason: 'Cleaner has no system access at all.', until: '2026-09-30' });
      expect(accepted.status).toBe(303);
      const shown = await get(viewer, String(accepted.headers.location));
      expect(shown.text).toContain('Accepted by Rita Reviewer until 2026-09-30');
      expect(shown.text).not.toContain(`action="/findings/${mfa.id}"`);
    });
  });

  it('starts a review and asks the vendor to clarify chosen questions', async () => {
    const vendorId = await ctx.newVendor(admin.id, { name: 'Quiet Gardens', category: 'other', profile: PROFILES.officeCleaner });
    const sent = await submittedAssessment(ctx, procurement.token, vendorId, { modules: ['baseline-lite'] });
    const detail = await get(reviewer, `/assessments/${sent.id}`);
    expect(detail.text).toContain(`action="/assessments/${sent.id}/review/start"`);
    const started = await post(reviewer, `/assessments/${sent.id}/review/start`);
    expect(started.status).toBe(303);
    expect((await get(reviewer, String(started.headers.location))).text).toContain('The review has started; you are its reviewer.');

    const none = await post(reviewer, `/assessments/${sent.id}/clarification`, { message: 'Which MFA product do you use?' });
    expect(none.status).toBe(400);
    expect(none.text).toContain('Tick at least one question to reopen.');
    expect(none.text).toContain('Which MFA product do you use?');

    const res = await post(reviewer, `/assessments/${sent.id}/clarification`, { questionKeys: ['access.mfa', 'incident.plan'], message: 'Which MFA product do you use?' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/assessments/${sent.id}?notice=clarification_requested`);
    const page = await get(procurement, String(res.headers.location));
    expect(page.text).toContain('Clarification requested');
    expect(page.text).toContain('<blockquote>Which MFA product do you use?</blockquote>');
    const sheet = await get(reviewer, `/assessments/${sent.id}/review`);
    expect(article(sheet.text, 'access.mfa')).toContain('Clarification asked');
    expect(article(sheet.text, 'scope.inventory')).not.toContain('Clarification asked');
    expect(sheet.text).not.toContain('id="clarify-form"');
  });

  describe('questionnaire library', () => {
    it('lists the modules and writes out one version, in the page language', async () => {
      const list = await get(viewer, '/questionnaires');
      expect(list.status).toBe(200);
      for (const key of ['baseline', 'baseline-lite', 'cloud-hosting', 'payment-processor', 'privacy-processor']) expect(list.text).toContain(`href="/questionnaires/${key}"`);
      expect(list.text).toMatch(/<td data-label="Questions" class="num">65<\/td>/);

      const lite = await get(viewer, '/questionnaires/baseline-lite?version=1.0.0');
      expect(lite.status).toBe(200);
      const leavers = article(lite.text, 'access.leavers');
      expect(leavers).toContain('Single choice');
      expect(leavers).toContain('score 0.5');
      const mfa = article(lite.text, 'access.mfa');
      expect(mfa).toContain('Critical');
      expect(mfa).toContain('<span class="badge tier-critical">Critical</span>');
      expect(article(lite.text, 'backup.practices')).toContain('backup.exists == &#39;yes&#39;');
      expect(article(lite.text, 'policy.written')).toContain('Required: a favourable answer counts half');

      const zh = await get(viewer, '/questionnaires/baseline-lite?lang=zh-CN');
      expect(zh.text).toContain('基础安全检查（简版）');
      expect(zh.text).toContain('单选');
      expect((await get(viewer, '/questionnaires/baseline-lite?version=9.9.9')).status).toBe(404);
      expect((await get(viewer, '/questionnaires/baseline-lite?version=not-a-version')).status).toBe(404);
      expect((await get(viewer, '/questionnaires/No%20Such')).status).toBe(404);
    });
  });

  it('renders the review of a submitted 147-question assessment, forms and all, in one go', async () => {
    const big = await ctx.newVendor(admin.id, { name: 'Everything Cloud Pay', category: 'cloud_hosting', profile: PROFILES.paymentProcessor });
    const sent = await submittedAssessment(ctx, procurement.token, big, { modules: ['baseline', 'privacy-processor', 'cloud-hosting', 'payment-processor'] });
    const started = Date.now();
    const res = await get(reviewer, `/assessments/${sent.id}/review`);
    const ms = Date.now() - started;
    expect(res.status).toBe(200);
    const questions = res.text.match(/<article class="review-q/g)?.length;
    const hidden = res.text.match(/<article class="review-q[^"]*is-hidden/g)?.length ?? 0;
    expect(questions).toBe(147);
    expect(res.text.match(new RegExp(`action="/assessments/${sent.id}/answers/`, 'g'))?.length).toBe(147 - hidden);
    expect(ms).toBeLessThan(2000);
  });
});
