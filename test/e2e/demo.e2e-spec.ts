import { ContractsService } from '../../src/contracts/contracts.service';
import { AuditEventEntity } from '../../src/audit/audit-event.entity';
import { AssessmentEntity } from '../../src/assessments/assessment.entity';
import { DEMO_USERS, DEMO_VENDORS, loadDemoData } from '../../src/cli/demo';
import { FindingEntity } from '../../src/reviews/finding.entity';
import { UserEntity } from '../../src/users/user.entity';
import { VendorEntity } from '../../src/vendors/vendor.entity';
import { TestContext } from '../support/test-app';

const PASSWORD = 'demo password for the tests';

describe('demo data (npm run demo)', () => {
  let ctx: TestContext;

  beforeAll(async () => {
    ctx = await TestContext.create();
  });
  afterAll(async () => ctx.close());

  const rows = async () => ({
    vendors: await ctx.dataSource.getRepository(VendorEntity).find({ order: { name: 'ASC' } }),
    users: await ctx.dataSource.getRepository(UserEntity).find({ order: { email: 'ASC' } }),
    audit: await ctx.dataSource.getRepository(AuditEventEntity).count(),
  });

  it('creates one staff user per role and a dozen vendors of several tiers, through the services', async () => {
    const summary = await loadDemoData(ctx.app, { password: PASSWORD });
    expect(summary.users.created).toEqual(DEMO_USERS.map((u) => u.email));
    expect(summary.vendors.created.map((v) => v.name)).toEqual(DEMO_VENDORS.map((v) => v.input.name));

    const { vendors, users } = await rows();
    expect(vendors.length).toBeGreaterThanOrEqual(12);
    expect(vendors.map((v) => v.name).sort()).toEqual(DEMO_VENDORS.map((v) => v.input.name).sort());
    expect(new Set(users.filter((u) => DEMO_USERS.some((d) => d.email === u.email)).map((u) => u.role))).toEqual(
      new Set(['admin', 'procurement', 'reviewer', 'viewer']),
    );
    expect(users.some((u) => /[\u4e00-\u9fff]/.test(u.name))).toBe(true);

    // Tiers come from the real tiering: the worked examples of domain.md §2 land where they should.
    const byName = new Map(vendors.map((v) => [v.name, v]));
    expect(byName.get('Paycrest Payments')).toMatchObject({ tier: 'critical', computedTier: 'critical' });
    expect(byName.get('Stratus Harbour Cloud')).toMatchObject({ tier: 'critical' });
    expect(byName.get('Mailwren')).toMatchObject({ tier: 'high' });
    expect(byName.get('BrightNest Office Cleaning')).toMatchObject({ tier: 'low', tierScore: 0 });
    expect(new Set(vendors.map((v) => v.tier)).size).toBeGreaterThanOrEqual(3);
    expect(new Set(vendors.map((v) => v.status)).size).toBeGreaterThanOrEqual(3);

    const overridden = vendors.filter((v) => v.tierOverride !== null);
    expect(overridden).toHaveLength(1);
    expect(overridden[0]).toMatchObject({ name: 'Swiftline Couriers', computedTier: 'medium', tier: 'high' });
    expect(overridden[0].tierOverrideReason!.length).toBeGreaterThanOrEqual(10);
    expect(vendors.filter((v) => v.archivedAt !== null).map((v) => v.name)).toEqual(['Quillstone Print & Mail']);

    // Three assessments through the real portal and review services: one still with its vendor
    // (its link shown once, in the summary), one submitted, one completed with findings.
    expect(summary.assessments.created.map((a) => [a.vendor, a.stage])).toEqual([
      ['Paycrest Payments', 'completed'],
      ['Mailwren', 'submitted'],
      ['云途物流 Yuntu Logistics', 'sent'],
    ]);
    expect(summary.assessments.created[2].link).toMatch(/^http:\/\/portal\.test\/portal\/t\/[A-Za-z0-9_-]{43}$/);
    const paycrest = byName.get('Paycrest Payments')!;
    const completed = await ctx.dataSource.getRepository(AssessmentEntity).findOneByOrFail({ vendorId: paycrest.id });
    expect(completed).toMatchObject({ status: 'completed', inherentTier: 'critical' });
    expect(completed.residualRisk).not.toBeNull();
    const vendorAfter = await ctx.dataSource.getRepository(VendorEntity).findOneByOrFail({ id: paycrest.id });
    expect(vendorAfter).toMatchObject({ residualRisk: completed.residualRisk, lastAssessmentId: completed.id, lastReviewDate: '2026-03-02' });
    expect(await ctx.dataSource.getRepository(FindingEntity).countBy({ vendorId: paycrest.id })).toBeGreaterThan(0);

    // Two contracts: Paycrest's DPA with a half-done checklist (a breach window over 72 hours is a gap), Yuntu's MSA with none.
    expect(summary.contracts.created).toEqual(['DEMO-DPA-001', 'DEMO-MSA-002']);
    const gaps = await ctx.app.get(ContractsService).vendorReport(paycrest.id);
    expect(gaps.gaps.counts.present).toBeGreaterThanOrEqual(4);
    expect(gaps.gaps.gaps).toEqual(expect.arrayContaining([expect.objectContaining({ clauseKey: 'gdpr.breach.processor', kind: 'param_gap', value: 96 })]));

    for (const j of ['CN', 'EU', 'US-CA'] as const) expect(vendors.some((v) => v.jurisdictions.includes(j))).toBe(true);
    expect(vendors.some((v) => v.crossBorder && v.transferCountries.length > 0)).toBe(true);
    expect(vendors.some((v) => v.contactLanguage === 'zh-CN')).toBe(true);

    // Audited like any other change, under the demo label.
    const events = await ctx.dataSource.getRepository(AuditEventEntity).find({ where: { actorLabel: 'demo' } });
    expect(events.filter((e) => e.action === 'vendor.create')).toHaveLength(DEMO_VENDORS.length);
    expect(events.filter((e) => e.action === 'user.create')).toHaveLength(DEMO_USERS.length);
    expect(events.some((e) => e.action === 'vendor.tier_override')).toBe(true);
    expect(events.some((e) => e.action === 'vendor.archive')).toBe(true);
  });

  it('lets the demo users sign in with the demo password and read the register', async () => {
    const token = await ctx.login(DEMO_USERS.find((u) => u.role === 'viewer')!.email, PASSWORD);
    const res = await ctx.http.get('/api/vendors?pageSize=100').set('Authorization', `Bearer ${token}`).expect(200);
    expect(res.body.total).toBe(DEMO_VENDORS.length - 1); // the archived one is listed apart
  });

  it('creates nothing the second time, and leaves passwords alone', async () => {
    const before = await rows();
    const summary = await loadDemoData(ctx.app, { password: 'a different demo password' });
    expect(summary.users.created).toEqual([]);
    expect(summary.vendors.created).toEqual([]);
    expect(summary.users.skipped).toHaveLength(DEMO_USERS.length);
    expect(summary.vendors.skipped).toHaveLength(DEMO_VENDORS.length);
    expect(summary.contracts).toEqual({ created: [], skipped: ['DEMO-DPA-001', 'DEMO-MSA-002'] });

    const after = await rows();
    expect(after.vendors.map((v) => [v.id, v.version])).toEqual(before.vendors.map((v) => [v.id, v.version]));
    expect(after.users.map((u) => u.id)).toEqual(before.users.map((u) => u.id));
    expect(after.audit).toBe(before.audit);
    await ctx.login(DEMO_USERS[0].email, PASSWORD);
  });

  it('refuses a demo password shorter than the portal allows', async () => {
    await expect(loadDemoData(ctx.app, { password: 'short' })).rejects.toThrow(/DEMO_PASSWORD must have 12/);
  });
});
