import { ReviewCyclesService } from '../../src/review-cycles/review-cycles.service';
import { answerFavourably, openPortal, submitAssessment } from '../support/assessment-factory';
import { newContract } from '../support/contract-factory';
import { bearer, expectProblem, PROFILES, StaffUser, TestContext } from '../support/test-app';

describe('review cycles', () => {
  let ctx: TestContext;
  let admin: StaffUser;
  let procurement: StaffUser;
  let reviewer: StaffUser;
  let payer: string;
  let courier: string;
  const schedule = () => ctx.app.get(ReviewCyclesService).schedule(ctx.clock.now().toISOString().slice(0, 10));
  const list = async (query: Record<string, string>) => (await ctx.http.get('/api/review-cycles').set(bearer(procurement.token)).query(query).expect(200)).body;

  beforeAll(async () => {
    ctx = await TestContext.create();
    admin = await ctx.admin();
    procurement = await ctx.newUser('procurement');
    reviewer = await ctx.newUser('reviewer');
    payer = await ctx.newVendor(procurement.id, { name: 'Yearly Payments', category: 'payment', profile: PROFILES.paymentProcessor });
    courier = await ctx.newVendor(procurement.id, { name: 'Two-yearly Courier' });
  });
  afterAll(async () => ctx.close());

  it('opens one re-assessment per vendor on its next review date (by tier), once however often it runs', async () => {
    const first = await schedule();
    expect(first.created).toBeGreaterThanOrEqual(2);
    expect(await schedule()).toEqual({ created: 0, moved: 0, cancelled: 0, contractsRolled: 0 });
    const { items } = await list({ kind: 'reassessment', ownerId: procurement.id });
    expect(items.map((r: { vendorName: string; dueDate: string; status: string }) => [r.vendorName, r.dueDate, r.status])).toEqual([
      ['Yearly Payments', '2027-03-02', 'scheduled'],
      ['Two-yearly Courier', '2028-03-02', 'scheduled'],
    ]);
  });

  it('follows the vendor when its review date moves (a tier override)', async () => {
    await ctx.http.put(`/api/vendors/${courier}/tier-override`).set(bearer(admin.token)).send({ tier: 'critical', reason: 'Handles our payroll files too' }).expect(200);
    expect((await schedule()).moved).toBe(1);
    const { items } = await list({ vendorId: courier });
    expect(items.map((r: { dueDate: string }) => r.dueDate)).toEqual(['2027-03-02']);
  });

  it('opens a renewal review on a contract notice deadline; it is due within 30 days and overdue after', async () => {
    const soon = await newContract(ctx, admin.token, payer, { title: 'Payments MSA', expiryDate: '2026-06-30', noticeDays: 90 });
    const passed = await newContract(ctx, admin.token, payer, { title: 'Payments DPA', effectiveDate: '2025-01-01', expiryDate: '2026-03-31', noticeDays: 60 });
    await schedule();
    const renewals = (await list({ kind: 'contract_renewal', vendorId: payer })).items;
    expect(renewals.map((r: { subjectId: string; dueDate: string; status: string }) => [r.subjectId, r.dueDate, r.status])).toEqual([
      [passed.id, '2026-01-30', 'overdue'],
      [soon.id, '2026-04-01', 'due'],
    ]);
    expect((await list({ status: 'overdue' })).items.map((r: { subjectId: string }) => r.subjectId)).toEqual([passed.id]);
    expect((await list({ status: 'due' })).items.map((r: { subjectId: string }) => r.subjectId)).toEqual([soon.id]);
    const cycle = renewals[0];

    const before = await ctx.counts();
    expectProblem(await ctx.http.post(`/api/review-cycles/${cycle.id}/complete`).set(bearer(reviewer.token)).send({ version: cycle.version + 1, note: 'Renewed' }), 409, 'review_cycle.version_conflict');
    expectProblem(await ctx.http.post(`/api/review-cycles/${cycle.id}/complete`).set(bearer(reviewer.token)).send({ version: cycle.version, note: 'ok' }), 400, 'common.validation');
    expect(await ctx.counts()).toEqual(before);
    const done = await ctx.http.post(`/api/review-cycles/${cycle.id}/complete`).set(bearer(reviewer.token)).send({ version: cycle.version, note: 'Renewed for one more year at the same terms' }).expect(200);
    expect(done.body).toMatchObject({ state: 'done', status: 'done', completedBy: reviewer.id, note: 'Renewed for one more year at the same terms' });
    expectProblem(await ctx.http.post(`/api/review-cycles/${cycle.id}/complete`).set(bearer(reviewer.token)).send({ version: done.body.version, note: 'Again, please' }), 409, 'review_cycle.invalid_move');
    // Done for this deadline: the sweep does not open it again.
    await schedule();
    expect((await list({ kind: 'contract_renewal', vendorId: payer })).items.map((r: { subjectId: string }) => r.subjectId)).toEqual([soon.id]);
  });

  it('starts a re-assessment by sending the questionnaire, and closes it when that questionnaire is reviewed', async () => {
    const [cycle] = (await list({ kind: 'reassessment', vendorId: payer })).items;
    expectProblem(await ctx.http.post(`/api/review-cycles/${cycle.id}/complete`).set(bearer(reviewer.token)).send({ version: cycle.version, note: 'Done offline' }), 409, 'review_cycle.invalid_move');
    // A stale version is refused before any questionnaire goes out.
    const before = await ctx.http.get('/api/assessments').set(bearer(procurement.token)).query({ vendorId: payer }).expect(200);
    expectProblem(await ctx.http.post(`/api/review-cycles/${cycle.id}/start`).set(bearer(procurement.token)).send({ version: cycle.version + 1, dueDate: '2026-04-01' }), 409, 'review_cycle.version_conflict');
    expect((await ctx.http.get('/api/assessments').set(bearer(procurement.token)).query({ vendorId: payer }).expect(200)).body.total).toBe(before.body.total);
    const started = await ctx.http.post(`/api/review-cycles/${cycle.id}/start`).set(bearer(procurement.token)).send({ version: cycle.version, dueDate: '2026-04-01', modules: ['baseline-lite'] }).expect(200);
    expect(started.body.review).toMatchObject({ state: 'in_progress', status: 'in_progress', assessmentId: started.body.assessmentId });
    expect(started.body.link.url).toMatch(/\/portal\/t\//);
    expectProblem(await ctx.http.post(`/api/review-cycles/${cycle.id}/start`).set(bearer(procurement.token)).send({ version: started.body.review.version, dueDate: '2026-04-01' }), 409, 'review_cycle.invalid_move');

    const session = await openPortal(ctx, new URL(started.body.link.url).pathname.split('/').pop()!);
    await answerFavourably(ctx, session, admin.token);
    await submitAssessment(ctx, session);
    await ctx.http.post(`/api/assessments/${started.body.assessmentId}/complete`).set(bearer(reviewer.token)).send({}).expect(200);
    const after = (await ctx.http.get(`/api/review-cycles/${cycle.id}`).set(bearer(procurement.token)).expect(200)).body;
    expect(after).toMatchObject({ state: 'done', completedBy: reviewer.id });
    // The next cycle opens on the next sweep, a year from today.
    await schedule();
    expect((await list({ kind: 'reassessment', vendorId: payer })).items.map((r: { dueDate: string }) => r.dueDate)).toEqual(['2027-03-02']);
  });

  it('cancels the open reviews of an archived vendor', async () => {
    await ctx.http.post(`/api/vendors/${courier}/archive`).set(bearer(admin.token)).send({ reason: 'Contract ended' }).expect(200);
    expect((await schedule()).cancelled).toBe(1);
    expect((await list({ vendorId: courier })).items).toEqual([]);
    expect((await list({ vendorId: courier, status: 'cancelled' })).items).toHaveLength(1);
  });

  it.each([
    [{ status: 'late' }, 'status'],
    [{ kind: 'yearly' }, 'kind'],
    [{ from: '2026-02-30' }, 'from'],
    [{ vendorId: 'nope' }, 'vendorId'],
  ])('refuses the query %j', async (query, path) => {
    const res = await ctx.http.get('/api/review-cycles').set(bearer(procurement.token)).query(query);
    expect(expectProblem(res, 400, 'common.validation').errors.map((e: { path: string }) => e.path)).toEqual([path]);
  });
});
