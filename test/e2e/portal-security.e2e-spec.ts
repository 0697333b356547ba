import type { Response } from 'supertest';
import { csrfTokenFor } from '../../src/auth/session-token';
import {
  createAssessment,
  openPortal,
  PDF,
  portalView,
  snapshot,
  submittedAssessment,
  uploadEvidence,
} from '../support/assessment-factory';
import { bearer, expectProblem, StaffUser, TestContext } from '../support/test-app';

/**
 * Vendor A answers baseline-lite, vendor B cloud-hosting: no question key is shared, so a key
 * of B's questionnaire names nothing in A's.
 */
const B_ONLY_KEY = 'cloud.tenant_isolation';

describe('portal security: one session, one assessment', () => {
  let ctx: TestContext;
  let admin: StaffUser;
  let procurement: StaffUser;
  let reviewer: StaffUser;
  let viewer: StaffUser;
  let a: { id: string; token: string; session: string; fileId: string };
  let b: { id: string; token: string; session: string; fileId: string };

  beforeAll(async () => {
    ctx = await TestContext.create();
    admin = await ctx.admin();
    procurement = await ctx.newUser('procurement');
    reviewer = await ctx.newUser('reviewer');
    viewer = await ctx.newUser('viewer');
    const vendorA = await ctx.newVendor(procurement.id, { name: 'Vendor A' });
    const vendorB = await ctx.newVendor(procurement.id, { name: 'Vendor B' });

    const sentA = await createAssessment(ctx, procurement.token, vendorA, { modules: ['baseline-lite'] });
    const sentB = await createAssessment(ctx, procurement.token, vendorB, { modules: ['cloud-hosting'] });
    const sessionA = await openPortal(ctx, sentA.token);
    const sessionB = await openPortal(ctx, sentB.token);
    const fileA = await uploadEvidence(ctx, sessionA, 'policy.written', 'policy-a.pdf');
    const fileB = await uploadEvidence(ctx, sessionB, B_ONLY_KEY, 'isolation-b.pdf');
    if (fileA.status !== 201 || fileB.status !== 201) throw new Error(`uploads failed: ${fileA.status} ${fileB.status}`);
    await ctx.http.put(`/api/portal/answers/${B_ONLY_KEY}`).set(bearer(sessionB)).send({ value: 'yes', baseVersion: 0 }).expect(200);
    a = { ...sentA, session: sessionA, fileId: fileA.body.id };
    b = { ...sentB, session: sessionB, fileId: fileB.body.id };
  });
  afterAll(async () => ctx.close());

  it('the two questionnaires share no question key', async () => {
    const [viewA, viewB] = [await portalView(ctx, a.session), await portalView(ctx, b.session)];
    const keysA = [...viewA.questions.keys()];
    expect(keysA).not.toContain(B_ONLY_KEY);
    expect([...viewB.questions.keys()].filter((k) => keysA.includes(k))).toEqual([]);
    expect(viewA.body.assessment.id).toBe(a.id);
  });

  describe("A's session with B's ids and question keys", () => {
    const cases: Array<[label: string, call: () => Promise<Response>, status: number, code: string]> = [
      ["reads B's evidence", () => ctx.http.get(`/api/portal/evidence/${b.fileId}`).set(bearer(a.session)), 404, 'assessment.evidence_not_found'],
      ["removes B's evidence", () => ctx.http.delete(`/api/portal/evidence/${b.fileId}`).set(bearer(a.session)), 404, 'assessment.evidence_not_found'],
      ["answers B's question", () => ctx.http.put(`/api/portal/answers/${B_ONLY_KEY}`).set(bearer(a.session)).send({ value: 'no', baseVersion: 1 }), 404, 'assessment.unknown_question'],
      [
        "uploads to B's question",
        () => ctx.http.post(`/api/portal/answers/${B_ONLY_KEY}/evidence`).set(bearer(a.session)).attach('file', PDF, 'sneaky.pdf'),
        404,
        'assessment.unknown_question',
      ],
      ["reads B's evidence through the staff route", () => ctx.http.get(`/api/assessments/${b.id}/evidence/${b.fileId}`).set(bearer(a.session)), 401, 'auth.unauthenticated'],
      ["reads B's assessment through the staff route", () => ctx.http.get(`/api/assessments/${b.id}`).set(bearer(a.session)), 401, 'auth.unauthenticated'],
    ];

    it.each(cases)('%s: refused, nothing changed', async (_label, call, status, code) => {
      const before = await snapshot(ctx);
      const res = await call();
      expectProblem(res, status, code);
      expect(res.text).not.toContain('isolation-b.pdf');
      expect(await snapshot(ctx)).toEqual(before);
    });

    it('the pages refuse B’s evidence too', async () => {
      const cookie = `vdp_portal=${a.session}`;
      const csrf = csrfTokenFor(a.session);
      const before = await snapshot(ctx);
      expect((await ctx.http.get(`/portal/evidence/${b.fileId}`).set('Cookie', cookie)).status).toBe(404);
      expect((await ctx.http.post(`/portal/evidence/${b.fileId}/remove`).set('Cookie', cookie).type('form').send({ _csrf: csrf, question: B_ONLY_KEY })).status).toBe(404);
      const upload = await ctx.http.post('/portal/evidence').set('Cookie', cookie).field('_csrf', csrf).field('question', B_ONLY_KEY).attach('file', PDF, 'sneaky.pdf');
      expect(upload.status).toBe(404);
      expect(await snapshot(ctx)).toEqual(before);
    });

    it("leaves B's answer and evidence as they were", async () => {
      const view = await portalView(ctx, b.session);
      expect(view.questions.get(B_ONLY_KEY)).toMatchObject({ value: 'yes', version: 1, files: [{ id: b.fileId, name: 'isolation-b.pdf' }] });
      const file = await ctx.http.get(`/api/portal/evidence/${b.fileId}`).set(bearer(b.session)).buffer(true).expect(200);
      expect((file.body as Buffer).equals(PDF)).toBe(true);
    });
  });

  describe('staff and portal sessions do not mix', () => {
    it('a portal session token is no staff bearer', async () => {
      const before = await snapshot(ctx);
      for (const path of [`/api/assessments/${a.id}`, '/api/assessments', '/api/vendors', `/api/assessments/${a.id}/review`, '/api/me']) {
        expectProblem(await ctx.http.get(path).set(bearer(a.session)), 401, 'auth.unauthenticated');
      }
      expectProblem(await ctx.http.post(`/api/assessments/${a.id}/revoke-link`).set(bearer(a.session)), 401, 'auth.unauthenticated');
      // Nor a staff session cookie.
      expect((await ctx.http.get(`/api/assessments/${a.id}`).set('Cookie', `vdp_session=${a.session}`)).status).toBe(401);
      expect(await snapshot(ctx)).toEqual(before);
    });

    it('a staff token is no portal session, as bearer or cookie', async () => {
      const before = await snapshot(ctx);
      for (const token of [admin.token, procurement.token]) {
        expectProblem(await ctx.http.get('/api/portal/assessment').set(bearer(token)), 401, 'portal.session_required');
        expectProblem(await ctx.http.put('/api/portal/answers/policy.owner').set(bearer(token)).send({ value: 'yes', baseVersion: 0 }), 401, 'portal.session_required');
        expectProblem(await ctx.http.get(`/api/portal/evidence/${a.fileId}`).set(bearer(token)), 401, 'portal.session_required');
        expectProblem(await ctx.http.post('/api/portal/submit').set(bearer(token)), 401, 'portal.session_required');
        expectProblem(await ctx.http.get('/api/portal/assessment').set('Cookie', `vdp_session=${token}`), 401, 'portal.session_required');
      }
      // The link token itself is no session either: it must be exchanged.
      expectProblem(await ctx.http.get('/api/portal/assessment').set(bearer(a.token)), 401, 'portal.session_required');
      expect(await snapshot(ctx)).toEqual(before);
    });
  });

  describe('cookie-authenticated portal writes need the CSRF token', () => {
    const cookie = () => `vdp_portal=${a.session}`;
    const wrong = () => csrfTokenFor(b.session);
    const writes: Array<[label: string, call: (csrf?: string) => Promise<Response>]> = [
      ['PUT an answer', (csrf) => withCsrf(ctx.http.put('/api/portal/answers/policy.owner').set('Cookie', cookie()), csrf).send({ value: 'yes', baseVersion: 0 })],
      ['upload evidence', (csrf) => withCsrf(ctx.http.post('/api/portal/answers/policy.written/evidence').set('Cookie', cookie()), csrf).attach('file', PDF, 'p.pdf')],
      ['remove evidence', (csrf) => withCsrf(ctx.http.delete(`/api/portal/evidence/${a.fileId}`).set('Cookie', cookie()), csrf)],
      ['submit', (csrf) => withCsrf(ctx.http.post('/api/portal/submit').set('Cookie', cookie()), csrf)],
    ];

    it.each(writes)('%s without the token, or with another session’s, is 403 portal.csrf_failed and changes nothing', async (_label, call) => {
      const before = await snapshot(ctx);
      expectProblem(await call(), 403, 'portal.csrf_failed');
      expectProblem(await call(wrong()), 403, 'portal.csrf_failed');
      expect(await snapshot(ctx)).toEqual(before);
    });

    it('with the token in the header or as the _csrf form field, the writes go through', async () => {
      const csrf = csrfTokenFor(a.session);
      expect((await writes[0][1](csrf)).status).toBe(200);
      const upload = await ctx.http.post('/api/portal/answers/access.mfa/evidence').set('Cookie', cookie()).field('_csrf', csrf).attach('file', PDF, 'mfa.pdf');
      expect(upload.status).toBe(201);
      // Reading needs none.
      expect((await ctx.http.get('/api/portal/assessment').set('Cookie', cookie())).status).toBe(200);
    });
  });

  describe('staff roles without the right are refused, and nothing changes', () => {
    let submitted: { id: string; fileId: string };
    let findingId: string;

    beforeAll(async () => {
      const vendor = await ctx.newVendor(procurement.id, { name: 'Vendor R' });
      const s = await submittedAssessment(ctx, procurement.token, vendor, { modules: ['baseline-lite'], evidence: true });
      const review = await ctx.http.get(`/api/assessments/${s.id}/review`).set(bearer(reviewer.token)).expect(200);
      const file = review.body.sections.flatMap((x: { questions: Array<{ files: Array<{ id: string }> }> }) => x.questions).flatMap((q: { files: Array<{ id: string }> }) => q.files)[0];
      submitted = { id: s.id, fileId: file.id };
      const finding = await ctx.http
        .post('/api/findings')
        .set(bearer(reviewer.token))
        .send({ vendorId: vendor, title: 'Weak backups', severity: 'high', recommendation: 'Test a restore every quarter.' })
        .expect(201);
      findingId = finding.body.id;
    });

    const refusals: Array<[label: string, who: () => StaffUser, call: (token: string) => Promise<Response>]> = [
      ['viewer cannot send a questionnaire', () => viewer, (t) => ctx.http.post('/api/assessments').set(bearer(t)).send({ vendorId: '3f0e4b1c-5a2d-4e8f-9b7a-1c2d3e4f5a6b', dueDate: '2026-04-01' })],
      ['viewer cannot resend a link', () => viewer, (t) => ctx.http.post(`/api/assessments/${a.id}/resend`).set(bearer(t)).send({})],
      ['viewer cannot revoke a link', () => viewer, (t) => ctx.http.post(`/api/assessments/${a.id}/revoke-link`).set(bearer(t))],
      ['viewer cannot download evidence', () => viewer, (t) => ctx.http.get(`/api/assessments/${submitted.id}/evidence/${submitted.fileId}`).set(bearer(t))],
      ['procurement cannot start a review', () => procurement, (t) => ctx.http.post(`/api/assessments/${submitted.id}/review/start`).set(bearer(t))],
      ['procurement cannot review an answer', () => procurement, (t) => ctx.http.put(`/api/assessments/${submitted.id}/answers/policy.written/review`).set(bearer(t)).send({ decision: 'accepted' })],
      ['procurement cannot ask for clarification', () => procurement, (t) => ctx.http.post(`/api/assessments/${submitted.id}/clarification`).set(bearer(t)).send({ questionKeys: ['policy.owner'], message: 'Please explain.' })],
      ['procurement cannot complete a review', () => procurement, (t) => ctx.http.post(`/api/assessments/${submitted.id}/complete`).set(bearer(t)).send({})],
      ['procurement cannot accept a risk', () => procurement, (t) => ctx.http.post(`/api/findings/${findingId}/accept-risk`).set(bearer(t)).send({ version: 1, reason: 'Compensating controls are in place.', until: '2026-09-01' })],
      ['viewer cannot change a finding', () => viewer, (t) => ctx.http.patch(`/api/findings/${findingId}`).set(bearer(t)).send({ version: 1, status: 'in_remediation' })],
    ];

    it.each(refusals)('%s: 403 auth.forbidden', async (_label, who, call) => {
      const before = await snapshot(ctx);
      expectProblem(await call(who().token), 403, 'auth.forbidden');
      expect(await snapshot(ctx)).toEqual(before);
    });

    it("a reviewer cannot reach one assessment's evidence through another assessment's id", async () => {
      expectProblem(await ctx.http.get(`/api/assessments/${b.id}/evidence/${a.fileId}`).set(bearer(reviewer.token)), 404, 'assessment.evidence_not_found');
      expect((await ctx.http.get(`/api/assessments/${a.id}/evidence/${a.fileId}`).set(bearer(reviewer.token))).status).toBe(200);
    });
  });

  it('a portal session ends when its assessment is cancelled', async () => {
    const vendor = await ctx.newVendor(procurement.id, { name: 'Vendor C' });
    const sent = await createAssessment(ctx, procurement.token, vendor, { modules: ['baseline-lite'] });
    const session = await openPortal(ctx, sent.token);
    await ctx.http.get('/api/portal/assessment').set(bearer(session)).expect(200);
    await ctx.http.post(`/api/assessments/${sent.id}/cancel`).set(bearer(procurement.token)).send({ reason: 'Vendor dropped' }).expect(200);
    const before = await snapshot(ctx);
    expectProblem(await ctx.http.get('/api/portal/assessment').set(bearer(session)), 401, 'portal.session_required');
    expectProblem(await ctx.http.put('/api/portal/answers/policy.owner').set(bearer(session)).send({ value: 'yes', baseVersion: 0 }), 401, 'portal.session_required');
    expectProblem(await ctx.http.post('/api/portal/answers/policy.written/evidence').set(bearer(session)).attach('file', PDF, 'late.pdf'), 401, 'portal.session_required');
    expectProblem(await ctx.http.post('/api/portal/submit').set(bearer(session)), 401, 'portal.session_required');
    expect(await snapshot(ctx)).toEqual(before);
  });
});

function withCsrf<T extends { set(name: string, value: string): T }>(req: T, csrf?: string): T {
  return csrf === undefined ? req : req.set('x-csrf-token', csrf);
}
