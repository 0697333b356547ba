import { createHash } from 'node:crypto';
import { AssessmentsService } from '../../src/assessments/assessments.service';
import { csrfTokenFor } from '../../src/auth/session-token';
import {
  auditActions,
  createAssessment,
  DUE_DATE,
  linkToken,
  openPortal,
  PDF,
  portalView,
  snapshot,
  submittedAssessment,
  uploadEvidence,
} from '../support/assessment-factory';
import { outbox, portalLinks, SmtpCapture } from '../support/mail-capture';
import { bearer, expectProblem, StaffUser, TestContext, vendorInput } from '../support/test-app';

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/**
 * The answers of the journey (module privacy-processor, vendor of inherent tier medium), with
 * the score each gets. Written out by hand from questionnaires/privacy-processor.yaml and
 * domain.md §3; the arithmetic is in the test below.
 */
const ANSWERS: Array<[key: string, value: unknown]> = [
  ['scope.eu_subjects', 'yes'], //            w0: counts for nothing, but shows the EU questions
  ['scope.cn_subjects', 'no'], //             w0; hides the PIPL questions
  ['scope.description', 'We host the CRM and its backups in Frankfurt.'], // text: scored only by a reviewer
  ['agreement.written', 'yes'], //            critical, w2, evidence required (attached below)
  ['agreement.instructions', 'yes'], //       critical, w2 → 1
  ['security.staff_confidentiality', 'yes'], // w1 → 1
  ['security.measures_documented', 'yes'], // w1, evidence required (attached below)
  ['security.controls', ['encrypted_at_rest', 'encrypted_in_transit', 'mfa', 'role_based_access']], // 0.2 × 4 = 0.8
  ['sub.prior_authorisation', 'yes'], //      critical, w2 → 1
  ['sub.flowdown', 'no'], //                  w1 → 0 (finding: high)
  ['assist.requests', 'no'], //               w1 → 0 (finding: medium)
  ['assist.gdpr_obligations', 'yes'], //      visible because of scope.eu_subjects → 1
  ['breach.notify', 'yes'], //                critical, w2 → 1
  ['breach.window', 'within_48h'], //         w1 → 0.7 (finding: high)
  ['breach.plan', 'yes'], //                  w1, evidence required and never attached → 0.5, unverified
  ['transfer.eu_outside', 'yes'], //          w0; makes the two below visible
  ['transfer.eu_mechanism', ['sccs']], //     required, w1, evidence required and never attached → 0.5, unverified
  ['transfer.eu_impact', 'yes'], //           w1 → 1
  ['exit.audit', 'yes'], //                   w1 → 1
  ['exit.return_delete', 'no'], //            w1 → 0 (finding: high)
];

describe('assessment journey: send, answer, submit, review, complete', () => {
  let smtp: SmtpCapture;
  let ctx: TestContext;
  let procurement: StaffUser;
  let reviewer: StaffUser;
  let vendorId: string;
  let assessmentId: string;
  let url: string;
  let token: string;
  let session: string;
  const evidence: Record<string, string> = {};

  beforeAll(async () => {
    smtp = await SmtpCapture.start();
    ctx = await TestContext.create({ SMTP_URL: smtp.url, MAIL_FROM: 'due-diligence@portal.test' });
    procurement = await ctx.newUser('procurement', { name: 'Pat Procurement' });
    reviewer = await ctx.newUser('reviewer', { name: 'Rae Reviewer' });
    // A courier-like profile: inherent tier medium (5 points), reviewed every 24 months.
    vendorId = await ctx.newVendor(procurement.id, {
      name: 'Cloudbridge Data',
      contact: { name: '王芳', email: 'wang.fang@cloudbridge.example', phone: '+86 21 5555 0101', language: 'zh-CN' },
    });
  });
  afterAll(async () => {
    await ctx.close();
    await smtp.close();
  });

  const staff = (user: StaffUser) => bearer(user.token);
  const save = (key: string, value: unknown, baseVersion = 0) =>
    ctx.http.put(`/api/portal/answers/${key}`).set(bearer(session)).send({ value, baseVersion });

  it('checks the vendor is of inherent tier medium, as the arithmetic below assumes', async () => {
    const res = await ctx.http.get(`/api/vendors/${vendorId}`).set(staff(procurement)).expect(200);
    expect(res.body).toMatchObject({ tier: 'medium', residualRisk: null, nextReviewDate: '2028-03-02' });
  });

  it('sends the questionnaire: the contact gets the link by email, in Chinese', async () => {
    const mark = smtp.received.length;
    const res = await ctx.http
      .post('/api/assessments')
      .set(staff(procurement))
      .send({ vendorId, modules: ['privacy-processor'], dueDate: DUE_DATE, message: '请在四月初之前完成。' })
      .expect(201);

    expect(res.body.assessment).toMatchObject({
      vendorId,
      status: 'sent',
      dueDate: DUE_DATE,
      recipientName: '王芳',
      recipientEmail: 'wang.fang@cloudbridge.example',
      language: 'zh-CN',
      sentAt: '2026-03-02T09:00:00.000Z',
      submittedAt: null,
    });
    // The link works until 30 days after the due date, to the end of that day.
    expect(res.body.link).toEqual({ url: expect.stringMatching(/^http:\/\/portal\.test\/portal\/t\/[A-Za-z0-9_-]{43}$/), expiresAt: '2026-05-01T23:59:59.999Z', mailed: true });
    assessmentId = res.body.assessment.id;
    url = res.body.link.url;
    token = linkToken(url);

    const mails = smtp.since(mark);
    expect(mails).toHaveLength(1);
    const [invite] = mails;
    expect(invite.to).toEqual(['wang.fang@cloudbridge.example']);
    expect(invite.from).toBe('due-diligence@portal.test');
    expect(invite.subject).toBe('Cloudbridge Data 的安全问卷');
    expect(invite.language).toBe('zh-CN');
    expect(invite.text).toContain('王芳，您好：');
    expect(invite.text).toContain('请于 2026年4月1日 前提交答复。');
    expect(invite.text).toContain('该链接有效期至 2026年5月1日。');
    expect(invite.text).toContain('请在四月初之前完成。');
    expect(portalLinks(invite.text)).toEqual([url]);
  });

  it('opens the link: 303 to /portal with an httpOnly session cookie, and the token is gone from the address', async () => {
    const res = await ctx.http.get(`/portal/t/${token}`).expect(303);
    expect(res.headers.location).toBe('/portal');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
    const portalCookie = cookies.find((c) => c.startsWith('vdp_portal='));
    expect(portalCookie).toBeDefined();
    expect(portalCookie).toMatch(/; HttpOnly/i);
    expect(portalCookie).toMatch(/; SameSite=Lax/i);
    expect(portalCookie).toMatch(/; Path=\//i);
    const cookieToken = /^vdp_portal=([^;]+)/.exec(portalCookie!)![1];
    expect(cookieToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(cookieToken).not.toBe(token);
    expect(JSON.stringify(res.headers)).not.toContain(token);

    // The cookie is a portal session: it reads the questionnaire, and writes with the CSRF token.
    const view = await ctx.http.get('/api/portal/assessment').set('Cookie', `vdp_portal=${cookieToken}`).expect(200);
    expect(view.body.assessment).toMatchObject({ id: assessmentId, status: 'sent', vendorName: 'Cloudbridge Data', language: 'zh-CN', message: '请在四月初之前完成。' });
    const saved = await ctx.http
      .put('/api/portal/answers/scope.eu_subjects')
      .set('Cookie', `vdp_portal=${cookieToken}`)
      .set('x-csrf-token', csrfTokenFor(cookieToken))
      .send({ value: 'yes', baseVersion: 0 })
      .expect(200);
    expect(saved.body).toMatchObject({ key: 'scope.eu_subjects', value: 'yes', version: 1 });
  });

  it('exchanges the same link for a bearer session through the API', async () => {
    const res = await ctx.http.post('/api/portal/session').send({ token }).expect(200);
    // 24 hours, well before the link itself expires.
    expect(res.body).toEqual({ token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), expiresAt: '2026-03-03T09:00:00.000Z' });
    session = res.body.token;
    const view = await portalView(ctx, session);
    // The vendor's view of the questions of the first save (the cookie session's) is there.
    expect(view.questions.get('scope.eu_subjects')).toMatchObject({ value: 'yes', version: 1 });
    // Started: the first save moved it to in_progress.
    expect(view.body.assessment.status).toBe('in_progress');
  });

  it('saves the answers; a conditional question appears once the answer it depends on is given', async () => {
    let view = await portalView(ctx, session);
    expect(view.questions.get('transfer.eu_outside')!.visible).toBe(true);
    expect(view.questions.get('transfer.eu_mechanism')!.visible).toBe(false);
    expect(view.questions.get('sub.pipl_consent')!.visible).toBe(false);
    expectProblem(await save('transfer.eu_mechanism', ['sccs']), 409, 'assessment.question_hidden');

    const visibleAfter: Record<string, string[]> = {};
    for (const [key, value] of ANSWERS) {
      if (key === 'scope.eu_subjects') continue;
      const res = await save(key, value);
      expect({ key, status: res.status, body: res.body }).toMatchObject({ status: 200, body: { key, value, version: 1 } });
      visibleAfter[key] = res.body.visible;
    }
    // Each save answers with the questions visible after it.
    expect(visibleAfter['scope.cn_subjects']).not.toContain('sub.pipl_consent');
    expect(visibleAfter['breach.plan']).not.toContain('transfer.eu_mechanism');
    expect(visibleAfter['transfer.eu_outside']).toEqual(expect.arrayContaining(['transfer.eu_mechanism', 'transfer.eu_impact']));
    view = await portalView(ctx, session);
    expect(view.questions.get('transfer.eu_mechanism')).toMatchObject({ visible: true, value: ['sccs'], version: 1 });
    // Nothing required is missing; the evidence of four favourable answers is (allowed, but scored half).
    expect(view.body.progress.missingRequired).toEqual([]);
    expect(view.body.progress.missingEvidence.map((m: { key: string }) => m.key)).toEqual(['agreement.written', 'security.measures_documented', 'breach.plan', 'transfer.eu_mechanism']);
  });

  it('uploads evidence and keeps its sha256', async () => {
    for (const key of ['agreement.written', 'security.measures_documented']) {
      const data = Buffer.concat([PDF, Buffer.from(`% ${key}\n`)]);
      const res = await uploadEvidence(ctx, session, key, `${key}.pdf`, data);
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        questionKey: key,
        name: `${key}.pdf`,
        size: data.length,
        mime: 'application/pdf',
        sha256: sha256(data),
        uploadedAt: '2026-03-02T09:00:00.000Z',
      });
      evidence[key] = res.body.id;
    }
    const view = await portalView(ctx, session);
    expect(view.body.progress.missingEvidence.map((m: { key: string }) => m.key)).toEqual(['breach.plan', 'transfer.eu_mechanism']);
  });

  it('submits: a receipt to the contact in Chinese, a notice to the vendor owner, and the score as computed by hand', async () => {
    const mark = smtp.received.length;
    const res = await ctx.http.post('/api/portal/submit').set(bearer(session)).expect(200);
    expect(res.body).toEqual({ status: 'submitted', submittedAt: '2026-03-02T09:00:00.000Z' });

    const mails = smtp.since(mark);
    expect(mails.map((m) => m.to[0]).sort()).toEqual([procurement.email, 'wang.fang@cloudbridge.example'].sort());
    const receipt = mails.find((m) => m.to[0] === 'wang.fang@cloudbridge.example')!;
    expect(receipt.subject).toBe('我们已收到 Cloudbridge Data 的问卷');
    expect(receipt.language).toBe('zh-CN');
    expect(receipt.text).toContain('已回答问题：');
    const notice = mails.find((m) => m.to[0] === procurement.email)!;
    expect(notice.subject).toBe('Cloudbridge Data submitted its questionnaire');
    expect(notice.text).toContain('Pat Procurement');
    expect(notice.text).toContain(`http://portal.test/assessments/${assessmentId}`);
    // Neither mail carries a portal link: the vendor is done.
    expect(portalLinks(receipt.text + notice.text)).toEqual([]);

    // Before review (domain.md §3), section by section, Σ W·w·s / Σ W·w:
    //   scope         W1: eu/cn weigh 0, description unscored        →    0   /  0
    //   agreement     W2: written 0.5 (evidence not yet accepted)·2 + instructions 1·2 = 3 / 4  →  6   /  8
    //   security      W1: 1 + 0.5 (evidence pending) + 0.8            →  2.3 /  3
    //   subprocessors W2: prior 1·2 + flowdown 0 = 2 / 3                →  4   /  6
    //   assistance    W1: requests 0 + gdpr 1                         →  1   /  2
    //   breach        W2: notify 1·2 + window 0.7 + plan 0.5 = 3.2 / 4  →  6.4 /  8
    //   transfers     W1: outside (w0) + mechanism 0.5 + impact 1     →  1.5 /  2
    //   exit          W1: audit 1 + return/delete 0                   →  1   /  2
    //   overall = 100 × 22.2 / 31 = 71.612… → 71.61: adequate. No critical failure (the
    //   evidence of agreement.written waits for review: unverified, not failed).
    //   Residual = matrix(medium, adequate) = low.
    const a = await ctx.http.get(`/api/assessments/${assessmentId}`).set(staff(reviewer)).expect(200);
    expect(a.body).toMatchObject({ status: 'submitted', score: 71.61, band: 'adequate', criticalFailures: 0, residualRisk: 'low', answeredCount: 20 });

    // Answers are frozen now.
    expectProblem(await save('exit.return_delete', 'yes', 1), 409, 'assessment.not_editable');
  });

  it('reviews: starts, accepts one piece of evidence, rejects another, overrides one score with a reason', async () => {
    const started = await ctx.http.post(`/api/assessments/${assessmentId}/review/start`).set(staff(reviewer)).expect(200);
    expect(started.body.status).toBe('in_review');

    const review = (key: string, body: object) => ctx.http.put(`/api/assessments/${assessmentId}/answers/${key}/review`).set(staff(reviewer)).send(body);
    expect((await review('security.measures_documented', { decision: 'accepted', note: 'The annex lists the measures.' })).status).toBe(200);
    expect((await review('agreement.written', { decision: 'rejected', note: 'The agreement is not signed.' })).status).toBe(200);
    const override = await review('security.controls', { overrideScore: 20, overrideReason: 'Only encryption in transit is in place, as the call of 2 March showed.' });
    expect(override.status).toBe(200);

    // Reviewing one evidence file: the reviewer downloads it, byte for byte.
    const file = await ctx.http.get(`/api/assessments/${assessmentId}/evidence/${evidence['agreement.written']}`).set(staff(reviewer)).buffer(true).expect(200);
    expect(sha256(file.body as Buffer)).toBe(sha256(Buffer.concat([PDF, Buffer.from('% agreement.written\n')])));

    const overrideAudit = await ctx.http.get('/api/audit').query({ action: 'answer.override', targetId: assessmentId }).set(staff(await ctx.admin())).expect(200);
    expect(overrideAudit.body.items).toHaveLength(1);
    expect(overrideAudit.body.items[0]).toMatchObject({
      actorId: reviewer.id,
      details: { question: 'security.controls' },
      changes: { overrideReason: { before: null, after: 'Only encryption in transit is in place, as the call of 2 March showed.' } },
    });
  });

  it('explains the reviewed score and the residual risk on the review sheet', async () => {
    // After review:
    //   agreement     W2: written rejected → 0 (critical failure) + instructions 1·2 = 2 / 4 → 4 / 8
    //   security      W1: 1 + 1 (evidence accepted) + 0.2 (reviewer's 20 replaces 0.8) → 2.2 / 3
    //   other sections as before: 0/0, 4/6, 1/2, 6.4/8, 1.5/2, 1/2
    //   overall = 100 × (4 + 2.2 + 4 + 1 + 6.4 + 1.5 + 1) / 31 = 100 × 20.1 / 31 = 64.838… → 64.84: weak.
    //   Residual = matrix(medium, weak) = medium, raised to high by the critical failure.
    const res = await ctx.http.get(`/api/assessments/${assessmentId}/review`).query({ lang: 'en' }).set(staff(reviewer)).expect(200);
    expect(res.body.overall).toEqual({ score: 64.84, band: 'weak', weightedSum: 20.1, weightSum: 31, criticalFailures: ['agreement.written'], unverified: ['breach.plan', 'transfer.eu_mechanism'] });
    expect(res.body.residual).toEqual({ risk: 'high', fromMatrix: 'medium', raisedByCriticalFailure: true, inherentTier: 'medium' });
    const q = (key: string) => res.body.sections.flatMap((s: { questions: any[] }) => s.questions).find((x: { key: string }) => x.key === key);
    expect(q('security.controls').score).toMatchObject({ autoScore: 0.8, reviewedScore: 0.2, score: 0.2 });
    expect(q('security.controls').review).toMatchObject({ overrideReason: 'Only encryption in transit is in place, as the call of 2 March showed.', reviewedBy: reviewer.id });
    expect(q('agreement.written').score).toMatchObject({ evidenceRule: 'evidence_rejected', score: 0, criticalFailure: true });
    expect(q('security.measures_documented').score).toMatchObject({ evidenceRule: 'evidence_accepted', score: 1 });
    expect(q('breach.plan').score).toMatchObject({ evidenceRule: 'missing_evidence_half', score: 0.5, unverified: true });
    const agreement = res.body.sections.find((s: { id: string }) => s.id === 'privacy-processor/agreement');
    expect(agreement).toMatchObject({ weight: 2, score: 50, weightedSum: 2, weightSum: 4 });
  });

  it('completes two weeks later: findings by severity with their due dates, the vendor’s residual risk and next review', async () => {
    ctx.clock.set('2026-03-16T10:00:00.000Z');
    await ctx.relogin(reviewer);
    const res = await ctx.http
      .post(`/api/assessments/${assessmentId}/complete`)
      .set(staff(reviewer))
      .send({ findings: [{ title: 'No cyber insurance', severity: 'low', recommendation: 'Take out cyber insurance covering data breaches.' }] })
      .expect(200);

    expect(res.body.assessment).toMatchObject({ status: 'completed', completedAt: '2026-03-16T10:00:00.000Z', score: 64.84, band: 'weak', criticalFailures: 1, residualRisk: 'high' });
    // One finding per failed question that has one (not breach.plan nor transfer.eu_mechanism: they only wait for evidence;
    // not scope.cn_subjects: it weighs nothing), plus the reviewer's own. Due: critical 30 days,
    // high 60, medium 90, low 180, from 2026-03-16. Owner: the vendor's owner.
    const got = (res.body.findings as Array<Record<string, unknown>>).map((f) => [f.questionKey, f.severity, f.dueDate, f.status, f.ownerId, f.assessmentId, f.vendorId]);
    const row = (key: string | null, severity: string, due: string) => [key, severity, due, 'open', procurement.id, assessmentId, vendorId];
    expect(got).toEqual(
      expect.arrayContaining([
        row('agreement.written', 'critical', '2026-04-15'),
        row('security.controls', 'high', '2026-05-15'),
        row('sub.flowdown', 'high', '2026-05-15'),
        row('breach.window', 'high', '2026-05-15'),
        row('exit.return_delete', 'high', '2026-05-15'),
        row('assist.requests', 'medium', '2026-06-14'),
        row(null, 'low', '2026-09-12'),
      ]),
    );
    expect(got).toHaveLength(7);
    const listed = await ctx.http.get('/api/findings').query({ assessmentId }).set(staff(reviewer)).expect(200);
    expect(listed.body.total).toBe(7);
    expect(listed.body.items.map((f: { severity: string }) => f.severity)).toEqual(['critical', 'high', 'high', 'high', 'high', 'medium', 'low']);

    const vendor = await ctx.http.get(`/api/vendors/${vendorId}`).set(staff(reviewer)).expect(200);
    // Tier medium: reviewed every 24 months from the completed review.
    expect(vendor.body).toMatchObject({ tier: 'medium', residualRisk: 'high', lastReviewDate: '2026-03-16', nextReviewDate: '2028-03-16', lastAssessmentId: assessmentId });
    expect(vendor.body.residualRiskAt).toBe('2026-03-16T10:00:00.000Z');

    // The vendor's links end with the review.
    expectProblem(await ctx.http.get('/api/portal/assessment').set(bearer(session)), 401, 'portal.session_required');
  });

  it('audited every step, in order', async () => {
    expect(await auditActions(ctx, assessmentId)).toEqual([
      'assessment.create',
      'assessment.send',
      'assessment.start',
      'evidence.upload',
      'evidence.upload',
      'assessment.submit',
      'assessment.review_start',
      'answer.review',
      'answer.review',
      'answer.override',
      'assessment.complete',
    ]);
    const vendorAudit = await auditActions(ctx, vendorId);
    expect(vendorAudit[vendorAudit.length - 1]).toBe('vendor.assessed');
  });
});

describe('assessment lifecycle (mail to the outbox)', () => {
  let ctx: TestContext;
  let procurement: StaffUser;
  let reviewer: StaffUser;
  let viewer: StaffUser;
  let vendorId: string;

  beforeAll(async () => {
    ctx = await TestContext.create();
    procurement = await ctx.newUser('procurement');
    reviewer = await ctx.newUser('reviewer');
    viewer = await ctx.newUser('viewer');
    vendorId = await ctx.newVendor(procurement.id, { ...vendorInput(procurement.id, 7), name: 'Outbox Couriers' });
  });
  afterAll(async () => ctx.close());

  const post = (path: string, body: object = {}, who: StaffUser = procurement) => ctx.http.post(path).set(bearer(who.token)).send(body);

  /** Asserts a refused move: 409 with the allowed moves, and nothing written. */
  async function expectRefusedMove(call: () => Promise<import('supertest').Response>, status: string, requested: string, allowed: string[]) {
    const before = await snapshot(ctx);
    const res = await call();
    const problem = expectProblem(res, 409, 'assessment.invalid_transition');
    expect(problem).toMatchObject({ status: 409, allowed });
    expect(problem.detail).toContain(`is ${status} cannot become ${requested}`);
    expect(await snapshot(ctx)).toEqual(before);
  }

  it('without SMTP_URL writes the invitation as an .eml to DATA_DIR/outbox, with the link', async () => {
    const before = outbox(ctx.config.dataDir).length;
    const sent = await createAssessment(ctx, procurement.token, vendorId, { modules: ['baseline-lite'] });
    const mails = outbox(ctx.config.dataDir);
    expect(mails).toHaveLength(before + 1);
    const invite = mails.find((m) => portalLinks(m.text).includes(sent.url))!;
    expect(invite).toBeDefined();
    expect(invite.to).toEqual(['contact7@vendor.example']);
    expect(invite.subject).toBe('Security questionnaire for Outbox Couriers');
    expect(invite.language).toBe('en');
    expect(invite.text).toContain('Please submit your answers by April 1, 2026.');
  });

  it('keeps a draft unsent (no link, no mail) until it is sent', async () => {
    const mailsBefore = outbox(ctx.config.dataDir).length;
    const res = await post('/api/assessments', { vendorId, modules: ['baseline-lite'], dueDate: DUE_DATE, send: false }).expect(201);
    expect(res.body.assessment).toMatchObject({ status: 'draft', sentAt: null });
    expect(res.body.link).toBeNull();
    expect(outbox(ctx.config.dataDir)).toHaveLength(mailsBefore);
    const id = res.body.assessment.id as string;

    // A draft cannot be resent or completed.
    await expectRefusedMove(() => post(`/api/assessments/${id}/complete`, {}, reviewer), 'draft', 'completed', ['sent', 'cancelled']);

    const sent = await post(`/api/assessments/${id}/send`).expect(200);
    expect(sent.body.assessment).toMatchObject({ status: 'sent', sentAt: '2026-03-02T09:00:00.000Z' });
    expect(sent.body.link).toMatchObject({ url: expect.stringMatching(/^http:\/\/portal\.test\/portal\/t\//), mailed: true });
    expect(outbox(ctx.config.dataDir)).toHaveLength(mailsBefore + 1);
    await openPortal(ctx, linkToken(sent.body.link.url));

    // Sending twice is a move from sent to sent: refused.
    await expectRefusedMove(() => post(`/api/assessments/${id}/send`), 'sent', 'sent', ['in_progress', 'submitted', 'expired', 'cancelled']);
    expect(await auditActions(ctx, id)).toEqual(['assessment.create', 'assessment.send']);
  });

  it('refuses illegal moves with 409 naming the allowed ones, and changes nothing', async () => {
    const sent = await createAssessment(ctx, procurement.token, vendorId, { modules: ['baseline-lite'] });
    await expectRefusedMove(() => post(`/api/assessments/${sent.id}/complete`, {}, reviewer), 'sent', 'completed', ['in_progress', 'submitted', 'expired', 'cancelled']);
    await expectRefusedMove(() => post(`/api/assessments/${sent.id}/review/start`, {}, reviewer), 'sent', 'in_review', ['in_progress', 'submitted', 'expired', 'cancelled']);

    const submitted = await submittedAssessment(ctx, procurement.token, vendorId, { modules: ['baseline-lite'] });
    await expectRefusedMove(() => post(`/api/assessments/${submitted.id}/resend`, {}), 'submitted', 'sent', ['in_review', 'clarification_requested', 'cancelled']);

    await post(`/api/assessments/${submitted.id}/complete`, {}, reviewer).expect(200);
    await expectRefusedMove(() => post(`/api/assessments/${submitted.id}/cancel`, { reason: 'Changed our mind' }), 'completed', 'cancelled', []);
    await expectRefusedMove(() => post(`/api/assessments/${submitted.id}/complete`, {}, reviewer), 'completed', 'completed', []);
  });

  it('cancels with a reason: the link and open sessions stop working', async () => {
    const sent = await createAssessment(ctx, procurement.token, vendorId, { modules: ['baseline-lite'] });
    const session = await openPortal(ctx, sent.token);
    expectProblem(await post(`/api/assessments/${sent.id}/cancel`, {}), 400, 'common.validation');
    expectProblem(await post(`/api/assessments/${sent.id}/cancel`, { reason: 'Contract not signed after all' }, viewer), 403, 'auth.forbidden');

    const res = await post(`/api/assessments/${sent.id}/cancel`, { reason: 'Contract not signed after all' }).expect(200);
    expect(res.body).toMatchObject({ status: 'cancelled', cancelledAt: '2026-03-02T09:00:00.000Z' });
    expectProblem(await ctx.http.get('/api/portal/assessment').set(bearer(session)), 401, 'portal.session_required');
    expectProblem(await ctx.http.post('/api/portal/session').send({ token: sent.token }), 404, 'portal.link_invalid');
    expect((await ctx.http.get(`/portal/t/${sent.token}`)).status).toBe(404);
    const audit = await ctx.http.get('/api/audit').query({ action: 'assessment.cancel', targetId: sent.id }).set(bearer((await ctx.admin()).token)).expect(200);
    expect(audit.body.items[0]).toMatchObject({ actorId: procurement.id, changes: { status: { before: 'sent', after: 'cancelled' } }, details: { reason: 'Contract not signed after all' } });
  });

  it('expires 30 days after the due date, and a resend with a new due date reopens it with a new link', async () => {
    const sent = await createAssessment(ctx, procurement.token, vendorId, { modules: ['baseline-lite'], dueDate: '2026-03-10' });
    const service = ctx.app.get(AssessmentsService);

    // Due 10 March: still open on 9 April (30 days of grace), lapsed on 10 April.
    ctx.clock.set('2026-04-09T12:00:00.000Z');
    expect(await service.expireLapsed()).toBe(0);
    ctx.clock.set('2026-04-11T09:00:00.000Z');
    expect(await service.expireLapsed()).toBeGreaterThanOrEqual(1);
    await ctx.relogin(procurement);
    const expired = await ctx.http.get(`/api/assessments/${sent.id}`).set(bearer(procurement.token)).expect(200);
    expect(expired.body.status).toBe('expired');
    expectProblem(await ctx.http.post('/api/portal/session').send({ token: sent.token }), 404, 'portal.link_invalid');

    // An expired questionnaire needs a new due date; nothing changes without one.
    const before = await snapshot(ctx);
    const noDate = expectProblem(await post(`/api/assessments/${sent.id}/resend`, {}), 400, 'assessment.due_date_passed');
    expect(noDate.errors[0]).toMatchObject({ path: 'dueDate' });
    expect(await snapshot(ctx)).toEqual(before);

    const res = await post(`/api/assessments/${sent.id}/resend`, { dueDate: '2026-05-15' }).expect(200);
    expect(res.body.assessment).toMatchObject({ status: 'sent', dueDate: '2026-05-15' });
    expect(res.body.link).toMatchObject({ expiresAt: '2026-06-14T23:59:59.999Z', mailed: true });
    const newToken = linkToken(res.body.link.url);
    expect(newToken).not.toBe(sent.token);
    const session = await openPortal(ctx, newToken);
    expect((await portalView(ctx, session)).body.assessment).toMatchObject({ status: 'sent', dueDate: '2026-05-15' });
    expectProblem(await ctx.http.post('/api/portal/session').send({ token: sent.token }), 404, 'portal.link_invalid');
    expect(await auditActions(ctx, sent.id)).toEqual(['assessment.create', 'assessment.send', 'assessment.expire', 'assessment.resend']);
    ctx.clock.set('2026-03-02T09:00:00.000Z');
    await ctx.relogin(procurement);
  });
});
