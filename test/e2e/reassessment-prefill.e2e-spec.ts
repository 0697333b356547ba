import { ReviewCyclesService } from '../../src/review-cycles/review-cycles.service';
import { answerFavourably, linkToken, openPortal, portalView, submitAssessment } from '../support/assessment-factory';
import { bearer, expectProblem, PROFILES, StaffUser, TestContext } from '../support/test-app';

/** A yearly re-assessment: last year's answers carried over; the vendor confirms or changes each; the review shows what changed. */
describe('re-assessment with the answers of last time', () => {
  let ctx: TestContext;
  let admin: StaffUser;
  let reviewer: StaffUser;
  let vendor: string;
  let firstId: string;
  let secondId: string;
  let session: string;

  const portal = (path: string) => ctx.http.post(`/api/portal${path}`).set(bearer(session));

  beforeAll(async () => {
    ctx = await TestContext.create();
    admin = await ctx.admin();
    reviewer = await ctx.newUser('reviewer');
    vendor = await ctx.newVendor(admin.id, { name: 'Again Payments', category: 'payment', profile: PROFILES.paymentProcessor });
    // Last year: answered, submitted, reviewed and completed.
    const first = await ctx.http.post('/api/assessments').set(bearer(admin.token)).send({ vendorId: vendor, modules: ['baseline-lite'], dueDate: '2026-04-01' }).expect(201);
    firstId = first.body.assessment.id;
    const firstSession = await openPortal(ctx, linkToken(first.body.link.url));
    await answerFavourably(ctx, firstSession, admin.token);
    await ctx.http.put('/api/portal/answers/policy.owner').set(bearer(firstSession)).send({ value: 'yes', comment: 'The CISO owns it', baseVersion: (await portalView(ctx, firstSession)).questions.get('policy.owner')!.version }).expect(200);
    await submitAssessment(ctx, firstSession);
    await ctx.http.post(`/api/assessments/${firstId}/complete`).set(bearer(reviewer.token)).send({}).expect(200);

    // This year: the review cycle starts the re-assessment.
    await ctx.app.get(ReviewCyclesService).schedule('2026-03-02');
    const [cycle] = (await ctx.http.get('/api/review-cycles').set(bearer(admin.token)).query({ vendorId: vendor, kind: 'reassessment' }).expect(200)).body.items;
    const started = await ctx.http.post(`/api/review-cycles/${cycle.id}/start`).set(bearer(admin.token)).send({ version: cycle.version, dueDate: '2026-04-15', modules: ['baseline-lite'] }).expect(200);
    secondId = started.body.assessmentId;
    session = await openPortal(ctx, linkToken(started.body.link.url));
  });
  afterAll(async () => ctx.close());

  it("carries over last time's answers and comments, each waiting to be confirmed", async () => {
    const { body, questions } = await portalView(ctx, session);
    const owner = questions.get('policy.owner')!;
    expect(owner).toMatchObject({ value: 'yes', comment: 'The CISO owns it', version: 1, carriedOver: true });
    const carried = [...questions.values()].filter((q) => q.carriedOver);
    expect(carried.length).toBeGreaterThan(10);
    expect(body.progress.unconfirmed.map((u: { key: string }) => u.key)).toEqual(carried.filter((q) => q.visible).map((q) => q.key));
    expect(body.progress.missingRequired).toEqual([]);
  });

  it('refuses to submit until every carried-over answer is confirmed or changed', async () => {
    const res = await portal('/submit');
    const problem = expectProblem(res, 409, 'assessment.unconfirmed_answers');
    expect(problem.unconfirmed).toContain('policy.owner');
  });

  it('shows carried-over answers on the page with a form that confirms one', async () => {
    const { questions } = await portalView(ctx, session);
    const key = [...questions.values()].find((q) => q.carriedOver && q.visible && q.key !== 'policy.owner')!.key;
    const page = await ctx.http.get('/portal').set(bearer(session)).expect(200);
    expect(page.text).toContain('Carried over from your last assessment.');
    expect(page.text).toContain(`action="/portal/answers/${key}/confirm"`);
    const review = await ctx.http.get('/portal/review').set(bearer(session)).expect(200);
    expect(review.text).toContain('Answers to confirm:');
    const res = await ctx.http.post(`/portal/answers/${key}/confirm`).set(bearer(session)).type('form').send(`version=${questions.get(key)!.version}`);
    expect({ status: res.status, location: res.headers.location }).toEqual({ status: 303, location: `/portal?notice=confirmed#q-${key}` });
    expect((await portalView(ctx, session)).questions.get(key)!.carriedOver).toBe(false);
  });

  it('confirms an answer as it is, or takes a change as its confirmation', async () => {
    const before = (await portalView(ctx, session)).questions;
    const confirmed = await portal('/answers/policy.owner/confirm').send({ baseVersion: 1 }).expect(200);
    expect(confirmed.body).toMatchObject({ key: 'policy.owner', value: 'yes', version: 2 });
    expectProblem(await portal('/answers/policy.owner/confirm').send({ baseVersion: 1 }), 409, 'assessment.answer_conflict');

    const changedKey = [...before.values()].find((q) => q.carriedOver && q.type === 'yes_no' && q.key !== 'policy.owner' && q.visible)!.key;
    await ctx.http.put(`/api/portal/answers/${changedKey}`).set(bearer(session)).send({ value: 'no', baseVersion: 1 }).expect(200);
    const after = (await portalView(ctx, session)).questions;
    expect(after.get('policy.owner')!.carriedOver).toBe(false);
    expect(after.get(changedKey)!.carriedOver).toBe(false);

    // Everything else confirmed as it is; then it submits.
    for (const q of after.values()) if (q.carriedOver && q.visible) await portal(`/answers/${q.key}/confirm`).send({ baseVersion: q.version }).expect(200);
    await portal('/submit').expect(200);

    // The reviewer sees, per question, last time's answer and whether it changed.
    const sheet = (await ctx.http.get(`/api/assessments/${secondId}/review`).set(bearer(reviewer.token)).expect(200)).body;
    const all = sheet.sections.flatMap((s: { questions: unknown[] }) => s.questions) as Array<{ key: string; carriedOver: { previousLabel: string | null; state: string } | null }>;
    expect(all.find((q) => q.key === changedKey)!.carriedOver).toEqual({ previous: 'yes', previousLabel: 'Yes', state: 'changed' });
    expect(all.find((q) => q.key === 'policy.owner')!.carriedOver).toMatchObject({ state: 'unchanged' });
  });

  it('carries nothing over into a questionnaire sent by hand, and refuses to confirm what was not carried over', async () => {
    const second = await ctx.http.post('/api/assessments').set(bearer(admin.token)).send({ vendorId: vendor, modules: ['baseline-lite'], dueDate: '2026-04-20' }).expect(201);
    const plain = await openPortal(ctx, linkToken(second.body.link.url));
    const { questions } = await portalView(ctx, plain);
    expect([...questions.values()].some((q) => q.carriedOver)).toBe(false);
    expectProblem(await ctx.http.post('/api/portal/answers/policy.owner/confirm').set(bearer(plain)).send({ baseVersion: 1 }), 409, 'assessment.not_carried_over');
  });
});
