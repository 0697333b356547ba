import { ReviewCyclesService } from '../../src/review-cycles/review-cycles.service';
import { createAssessment, submittedAssessment } from '../support/assessment-factory';
import { newContract } from '../support/contract-factory';
import { pageGet } from '../support/page-client';
import { bearer, expectProblem, PROFILES, StaffUser, TestContext } from '../support/test-app';

describe('dashboard: what needs attention today', () => {
  let ctx: TestContext;
  let admin: StaffUser;
  let pat: StaffUser;
  let viewer: StaffUser;

  beforeAll(async () => {
    ctx = await TestContext.create();
    admin = await ctx.admin();
    pat = await ctx.newUser('procurement');
    viewer = await ctx.newUser('viewer');
    const payer = await ctx.newVendor(pat.id, { name: 'Dash Payments', category: 'payment', profile: PROFILES.paymentProcessor });
    const courier = await ctx.newVendor(admin.id, { name: 'Dash Courier' });
    const archived = await ctx.newVendor(pat.id, { name: 'Dash Archived' });
    await createAssessment(ctx, admin.token, payer, { modules: ['baseline-lite'], dueDate: '2026-04-01' });
    await createAssessment(ctx, admin.token, courier, { modules: ['baseline-lite'], dueDate: '2026-03-03' });
    await createAssessment(ctx, admin.token, archived, { modules: ['baseline-lite'], dueDate: '2026-03-20' });
    await submittedAssessment(ctx, admin.token, courier, { modules: ['baseline-lite'] });
    await newContract(ctx, admin.token, payer, { title: 'Notice soon', expiryDate: '2026-06-30', noticeDays: 90 });
    await newContract(ctx, admin.token, courier, { title: 'Notice later', expiryDate: '2027-06-30', noticeDays: 90 });
    await newContract(ctx, admin.token, payer, { title: 'Notice passed', effectiveDate: '2025-01-01', expiryDate: '2026-03-31', noticeDays: 60 });
    for (const severity of ['high', 'high', 'low']) {
      await ctx.http.post('/api/findings').set(bearer(admin.token)).send({ vendorId: payer, title: `A ${severity} one`, severity, recommendation: 'Fix it.' }).expect(201);
    }
    await ctx.http.post(`/api/vendors/${archived}/archive`).set(bearer(admin.token)).send({ reason: 'Gone' }).expect(200);
    // The questionnaire of the archived vendor no longer counts; one of the courier is overdue (tomorrow passes).
    ctx.clock.set('2026-03-04T09:00:00Z');
    await ctx.app.get(ReviewCyclesService).schedule('2026-03-04');
    for (const user of [admin, pat, viewer]) await ctx.relogin(user);
  });
  afterAll(async () => ctx.close());

  it('counts each queue for every current vendor, with the list behind each count', async () => {
    const { body } = await ctx.http.get('/api/dashboard').set(bearer(viewer.token)).expect(200);
    expect(body).toMatchObject({
      today: '2026-03-04',
      questionnaires: { waiting: 2, overdue: 1 },
      submitted: { waitingForReview: 1 },
      reviews: { dueWithin30Days: 1, overdue: 1 },
      contracts: { noticeWithin60Days: 1 },
      findings: { open: { critical: 0, high: 2, medium: 0, low: 1 } },
      vendors: { total: 2 },
    });
    expect(body.vendors.matrix.critical.none + body.vendors.matrix.high.none).toBe(1);
    expect(body.vendors.matrix.medium.none).toBe(1);
    expect(body.links).toMatchObject({
      questionnairesOverdue: '/assessments?queue=overdue',
      waitingForReview: '/assessments?status=submitted',
      reviewsDue: '/reviews?status=due',
      notices: '/contracts?noticeWithinDays=60',
      findings: { high: '/findings?status=open&severity=high' },
    });
    expect(body.links.vendors.medium.none).toBe('/vendors?tier=medium&residualRisk=none');
  });

  it('agrees with the lists it links to', async () => {
    const count = async (path: string, query: Record<string, string>) => (await ctx.http.get(path).set(bearer(admin.token)).query(query).expect(200)).body.total;
    expect(await count('/api/assessments', { queue: 'waiting' })).toBe(2);
    expect(await count('/api/assessments', { queue: 'overdue' })).toBe(1);
    expect(await count('/api/review-cycles', { status: 'due' })).toBe(1);
    expect(await count('/api/review-cycles', { status: 'overdue' })).toBe(1);
    expect(await count('/api/contracts', { noticeWithinDays: '60' })).toBe(1);
    expect(await count('/api/findings', { status: 'open', severity: 'high' })).toBe(2);
    expect(await count('/api/vendors', { tier: 'medium', residualRisk: 'none' })).toBe(1);
  });

  it('lands on list pages that keep the filter of the count', async () => {
    const vendorsPage = await pageGet(ctx, admin, '/vendors?tier=medium&residualRisk=none').expect(200);
    expect(vendorsPage.text).toContain('<input type="hidden" name="residualRisk" value="none">');
    expect(vendorsPage.text).toContain('Dash Courier');
    expect(vendorsPage.text).not.toContain('Dash Payments');
    const overduePage = await pageGet(ctx, admin, '/assessments?queue=overdue').expect(200);
    expect(overduePage.text).toContain('<input type="hidden" name="queue" value="overdue">');
    expect(overduePage.text.match(/<tr\b/g)?.length).toBe(2); // the header and the one overdue questionnaire
  });

  it('narrows to the vendors of the caller with mine=true', async () => {
    const { body } = await ctx.http.get('/api/dashboard').set(bearer(pat.token)).query({ mine: 'true' }).expect(200);
    expect(body).toMatchObject({ questionnaires: { waiting: 1, overdue: 0 }, submitted: { waitingForReview: 0 }, contracts: { noticeWithin60Days: 1 }, vendors: { total: 1 } });
    expectProblem(await ctx.http.get('/api/dashboard').set(bearer(pat.token)).query({ mine: 'yes please' }), 400, 'common.validation');
    expectProblem(await ctx.http.get('/api/dashboard'), 401);
  });
});
