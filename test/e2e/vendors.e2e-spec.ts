import { AuditEventEntity } from '../../src/audit/audit-event.entity';
import { SYSTEM_ACTOR } from '../../src/audit/audit-context';
import { UsersService } from '../../src/users/users.service';
import { VendorsService } from '../../src/vendors/vendors.service';
import { bearer, errorPaths, expectProblem, PROFILES, StaffUser, TestContext, vendorInput } from '../support/test-app';

const START = '2026-03-02T09:00:00.000Z';
const DAY = 24 * 3600_000;

type Line = [factor: string, value: string, points: number];
/** The answers the tier preview takes: a profile without jurisdictions and destinations. */
const tierInput = ({ dataCategories, volumeBand, accessLevel, criticality, crossBorder }: Record<string, unknown>) => ({
  dataCategories,
  volumeBand,
  accessLevel,
  criticality,
  crossBorder,
});
const lines = (rows: Line[]) => rows.map(([factor, value, points]) => ({ factor, value, points }));

/** domain.md §2, worked examples: expected points, tier and review cadence, written out by hand. */
const WORKED_EXAMPLES = [
  {
    label: 'cloud host of our CRM',
    profile: PROFILES.cloudHost,
    category: 'cloud_hosting',
    score: 10,
    tier: 'critical',
    months: 12,
    nextReviewDate: '2027-03-02',
    breakdown: lines([['personalData', 'transactional', 3], ['volume', '1k_100k', 1], ['access', 'network_admin', 3], ['criticality', 'high', 3], ['crossBorder', 'false', 0]]),
  },
  {
    label: 'email marketing service',
    profile: PROFILES.emailMarketing,
    category: 'marketing',
    score: 7,
    tier: 'high',
    months: 12,
    nextReviewDate: '2027-03-02',
    breakdown: lines([['personalData', 'basic', 2], ['volume', '100k_1m', 2], ['access', 'api', 2], ['criticality', 'moderate', 1], ['crossBorder', 'false', 0]]),
  },
  {
    label: 'payment processor',
    profile: PROFILES.paymentProcessor,
    category: 'payment',
    score: 12,
    tier: 'critical',
    months: 12,
    nextReviewDate: '2027-03-02',
    breakdown: lines([['personalData', 'sensitive', 5], ['volume', '100k_1m', 2], ['access', 'api', 2], ['criticality', 'high', 3], ['crossBorder', 'false', 0]]),
  },
  {
    label: 'courier',
    profile: PROFILES.courier,
    category: 'logistics',
    score: 5,
    tier: 'medium',
    months: 24,
    nextReviewDate: '2028-03-02',
    breakdown: lines([['personalData', 'basic', 2], ['volume', '1k_100k', 1], ['access', 'file_exchange', 1], ['criticality', 'moderate', 1], ['crossBorder', 'false', 0]]),
  },
  {
    label: 'office cleaner',
    profile: PROFILES.officeCleaner,
    category: 'other',
    score: 0,
    tier: 'low',
    months: 36,
    nextReviewDate: '2029-03-02',
    breakdown: lines([['personalData', 'none', 0], ['volume', 'under_1k', 0], ['access', 'none', 0], ['criticality', 'low', 0], ['crossBorder', 'false', 0]]),
  },
];

describe('vendor register', () => {
  let ctx: TestContext;
  let admin: StaffUser;
  let buyer: StaffUser;
  let reviewer: StaffUser;
  let n = 0;

  beforeAll(async () => {
    ctx = await TestContext.create({}, START);
    admin = await ctx.admin();
    buyer = await ctx.newUser('procurement', { name: 'Bea Buyer' });
    reviewer = await ctx.newUser('reviewer');
  });
  afterAll(async () => ctx.close());

  const body = (overrides: Record<string, unknown> = {}) => ({ ...vendorInput(buyer.id, ++n), ...overrides });
  const create = (overrides: Record<string, unknown> = {}, as = buyer) => ctx.http.post('/api/vendors').set(bearer(as.token)).send(body(overrides));
  const get = (id: string, as = buyer) => ctx.http.get(`/api/vendors/${id}`).set(bearer(as.token));
  const auditOf = (targetId: string, action: string) =>
    ctx.dataSource.getRepository(AuditEventEntity).find({ where: { targetId, action }, order: { id: 'ASC' } });

  describe('onboarding', () => {
    it.each(WORKED_EXAMPLES)('tiers the $label at $score points: $tier, reviewed every $months months', async (example) => {
      ctx.clock.set(START);
      const res = await create({ name: `Example ${example.label}`, category: example.category, profile: example.profile });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        tier: example.tier,
        tierOverridden: false,
        tierDetail: { effective: example.tier, computed: example.tier, score: example.score, floors: [], override: null },
        reviewIntervalMonths: example.months,
        nextReviewDate: example.nextReviewDate,
        createdAt: START,
        status: 'onboarding',
        archived: false,
        version: 1,
        owner: { id: buyer.id, name: 'Bea Buyer' },
      });
      expect(res.body.tierDetail.breakdown).toEqual(example.breakdown);

      // What was stored reads back the same.
      const detail = await get(res.body.id);
      expect(detail.status).toBe(200);
      expect(detail.body).toEqual(res.body);

      // The preview gives the same answer without saving anything.
      const before = await ctx.counts();
      const preview = await ctx.http.post('/api/vendors/tier-preview').set(bearer(buyer.token)).send(tierInput(example.profile));
      expect(preview.status).toBe(200);
      expect(preview.body).toEqual({
        tier: example.tier,
        pointsTier: example.tier,
        score: example.score,
        breakdown: example.breakdown,
        floors: [],
        reviewIntervalMonths: example.months,
      });
      expect(await ctx.counts()).toEqual(before);
    });

    it('adds a point when personal information leaves the country, and keeps the destinations', async () => {
      ctx.clock.set(START);
      const res = await create({ profile: { ...PROFILES.courier, crossBorder: true, transferCountries: ['us', ' sg '] } });
      expect(res.status).toBe(201);
      expect(res.body.tierDetail.score).toBe(6);
      expect(res.body.tierDetail.breakdown).toContainEqual({ factor: 'crossBorder', value: 'true', points: 1 });
      expect(res.body.profile).toMatchObject({ crossBorder: true, transferCountries: ['US', 'SG'] });
    });

    it('raises a payment-card vendor to at least high and reviews it at least every 12 months, even overridden to low', async () => {
      ctx.clock.set(START);
      // Cards (5 points) and nothing else: medium by points.
      const profile = { dataCategories: ['payment_card'], volumeBand: 'under_1k', accessLevel: 'none', criticality: 'low', crossBorder: false, jurisdictions: ['EU'] };
      const res = await create({ profile });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        tier: 'high',
        tierDetail: { computed: 'high', score: 5, floors: ['payment_card_min_high'] },
        reviewIntervalMonths: 12,
        nextReviewDate: '2027-03-02',
      });

      const preview = await ctx.http.post('/api/vendors/tier-preview').set(bearer(buyer.token)).send(tierInput(profile));
      expect(preview.body).toMatchObject({ tier: 'high', pointsTier: 'medium', score: 5, floors: ['payment_card_min_high'] });

      const low = await ctx.http
        .put(`/api/vendors/${res.body.id}/tier-override`)
        .set(bearer(reviewer.token))
        .send({ tier: 'low', reason: 'Tokenised cards only, no PAN stored' });
      expect(low.status).toBe(200);
      expect(low.body).toMatchObject({ tier: 'low', reviewIntervalMonths: 12, nextReviewDate: '2027-03-02' });
    });

    it('reviews a vendor without card data on the cadence of its tier in force', async () => {
      ctx.clock.set(START);
      const res = await create({ profile: PROFILES.courier });
      expect(res.body).toMatchObject({ tier: 'medium', nextReviewDate: '2028-03-02' });
      const low = await ctx.http
        .put(`/api/vendors/${res.body.id}/tier-override`)
        .set(bearer(buyer.token))
        .send({ tier: 'low', reason: 'Delivers only to our own warehouse' });
      expect(low.body).toMatchObject({ tier: 'low', reviewIntervalMonths: 36, nextReviewDate: '2029-03-02' });
    });

    it('counts the next review from the creation date on the clock, clamping to the end of the month', async () => {
      const saved = ctx.clock.now();
      ctx.clock.set('2028-02-29T23:30:00.000Z');
      try {
        const token = (await ctx.relogin({ ...buyer })).token;
        const cases: Array<[keyof typeof PROFILES, string]> = [
          ['cloudHost', '2029-02-28'],
          ['courier', '2030-02-28'],
          ['officeCleaner', '2031-02-28'],
        ];
        for (const [profile, expected] of cases) {
          const res = await ctx.http.post('/api/vendors').set(bearer(token)).send(body({ profile: PROFILES[profile] }));
          expect(res.status).toBe(201);
          expect(res.body).toMatchObject({ createdAt: '2028-02-29T23:30:00.000Z', nextReviewDate: expected });
        }
      } finally {
        ctx.clock.set(saved);
      }
    });

    it('refuses an owner that is unknown or disabled, with a field error on ownerId, and saves nothing', async () => {
      const leaver = await ctx.newUser('procurement');
      await ctx.app.get(UsersService).update(leaver.id, { disabled: true }, SYSTEM_ACTOR);
      const before = await ctx.counts();
      for (const ownerId of ['6f1c2f9e-2b7a-4c1e-9d55-0a3c5b8e7d21', leaver.id]) {
        const res = await create({ ownerId });
        expectProblem(res, 400, 'vendor.owner_not_found');
        expect(errorPaths(res)).toEqual(['ownerId']);
      }
      expect(await ctx.counts()).toEqual(before);

      const id = await ctx.newVendor(buyer.id);
      const moved = await ctx.http.patch(`/api/vendors/${id}`).set(bearer(buyer.token)).send({ ownerId: leaver.id });
      expectProblem(moved, 400, 'vendor.owner_not_found');
      expect(errorPaths(moved)).toEqual(['ownerId']);
      expect((await get(id)).body).toMatchObject({ owner: { id: buyer.id }, version: 1 });
    });

    it('stores and returns SQL-looking and markup strings verbatim', async () => {
      const nasty = {
        name: "Robert'); DROP TABLE vendors;--",
        legalEntity: `' OR '1'='1' -- "quoted" \\ back\\slash`,
        services: 'x"; DELETE FROM users WHERE 1=1; -- 100% _wild_ <script>alert(1)</script> ${env}',
        contact: { name: `O'Brien "Bobby" <b>`, email: 'ops@vendor.example', phone: '+1 (555) 010-0199', language: 'en' },
      };
      const res = await create(nasty);
      expect(res.status).toBe(201);
      const detail = await get(res.body.id);
      expect(detail.body).toMatchObject(nasty);

      const found = await ctx.http.get('/api/vendors').query({ q: "Robert'); DROP" }).set(bearer(buyer.token));
      expect(found.status).toBe(200);
      expect(found.body.items.map((v: { id: string }) => v.id)).toEqual([res.body.id]);
      const byLegal = await ctx.http.get('/api/vendors').query({ q: "' OR '1'='1" }).set(bearer(buyer.token));
      expect(byLegal.body.items.map((v: { id: string }) => v.id)).toEqual([res.body.id]);
      // The table is still there and still holds everything.
      expect((await ctx.counts()).vendors).toBeGreaterThan(1);
    });

    it('round-trips Chinese names and text, up to the full 200 characters', async () => {
      const name = '上海云数据服务有限公司';
      const res = await create({
        name,
        legalEntity: '上海云数据服务有限公司（中国）',
        services: '客户关系管理系统托管与每日备份 🚚',
        contact: { name: '王小明', email: 'wang@vendor.example', language: 'zh-CN' },
      });
      expect(res.status).toBe(201);
      const detail = await get(res.body.id);
      expect(detail.body).toMatchObject({
        name,
        legalEntity: '上海云数据服务有限公司（中国）',
        services: '客户关系管理系统托管与每日备份 🚚',
        contact: { name: '王小明', language: 'zh-CN' },
      });
      const found = await ctx.http.get('/api/vendors').query({ q: '云数据' }).set(bearer(buyer.token));
      expect(found.body.items.map((v: { name: string }) => v.name)).toEqual([name]);

      const long = '数'.repeat(200);
      const full = await create({ name: long });
      expect(full.status).toBe(201);
      expect((await get(full.body.id)).body.name).toBe(long);
    });

    it('reads review dates back unchanged on a server west of UTC', async () => {
      ctx.clock.set(START);
      const id = await ctx.newVendor(buyer.id, { name: 'Westward Courier', profile: PROFILES.courier });
      // Jest hands each test file a copy of process.env, so TZ cannot be changed from here;
      // make Date's local-time getters answer as a server at UTC-8 would instead.
      const proto = Date.prototype;
      const saved = { getFullYear: proto.getFullYear, getMonth: proto.getMonth, getDate: proto.getDate, getHours: proto.getHours };
      const west = (d: Date) => new Date(d.getTime() - 8 * 3600_000);
      proto.getFullYear = function (this: Date) { return west(this).getUTCFullYear(); };
      proto.getMonth = function (this: Date) { return west(this).getUTCMonth(); };
      proto.getDate = function (this: Date) { return west(this).getUTCDate(); };
      proto.getHours = function (this: Date) { return west(this).getUTCHours(); };
      try {
        const res = await get(id);
        expect(res.body).toMatchObject({ nextReviewDate: '2028-03-02', createdAt: START });
        const list = await ctx.http.get('/api/vendors').query({ q: 'Westward Courier' }).set(bearer(buyer.token));
        expect(list.body.items).toEqual([expect.objectContaining({ id, nextReviewDate: '2028-03-02' })]);
      } finally {
        Object.assign(proto, saved);
      }
    });
  });

  describe('detail and changes', () => {
    it('shows a vendor in full', async () => {
      ctx.clock.set(START);
      const id = await ctx.newVendor(buyer.id, { name: 'Detail Courier' });
      const res = await get(id);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        id,
        name: 'Detail Courier',
        legalEntity: expect.stringMatching(/ Ltd\.$/),
        country: 'DE',
        website: 'https://vendor.example',
        services: 'Parcel delivery',
        category: 'logistics',
        status: 'onboarding',
        owner: { id: buyer.id, name: 'Bea Buyer' },
        contact: { name: 'Jo Contact', email: expect.stringMatching(/@vendor\.example$/), phone: '+49 30 1234567', language: 'en' },
        profile: { ...PROFILES.courier, transferCountries: [] },
        tier: 'medium',
        tierOverridden: false,
        tierDetail: { effective: 'medium', computed: 'medium', score: 5, breakdown: WORKED_EXAMPLES[3].breakdown, floors: [], override: null },
        reviewIntervalMonths: 24,
        nextReviewDate: '2028-03-02',
        lastReviewDate: null,
        residualRisk: null,
        residualRiskAt: null,
        lastAssessmentId: null,
        archived: false,
        archivedAt: null,
        archiveReason: null,
        createdAt: START,
        updatedAt: START,
        version: 1,
      });
    });

    it('answers 404 for a vendor that does not exist', async () => {
      expectProblem(await get('0b5e9c1e-7d0a-4f3e-8a51-6a2f0c9d4b11'), 404, 'vendor.not_found');
      expectProblem(await get('not-a-uuid'), 404);
    });

    it('updates fields, bumps the version and audits the diff', async () => {
      ctx.clock.set(START);
      const id = await ctx.newVendor(buyer.id, { name: 'Before Name' });
      ctx.clock.advance(DAY);
      await ctx.relogin(buyer);
      const res = await ctx.http
        .patch(`/api/vendors/${id}`)
        .set(bearer(buyer.token))
        .send({ name: '  After Name  ', status: 'active', contact: { name: 'New Contact', email: 'new@vendor.example', language: 'zh-CN' }, version: 1 });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        name: 'After Name',
        status: 'active',
        contact: { name: 'New Contact', email: 'new@vendor.example', phone: null, language: 'zh-CN' },
        tier: 'medium',
        nextReviewDate: '2028-03-02',
        version: 2,
        updatedAt: '2026-03-03T09:00:00.000Z',
      });
      expect((await get(id)).body).toMatchObject({ name: 'After Name', version: 2 });
      const [event] = await auditOf(id, 'vendor.update');
      expect(event).toMatchObject({
        actorId: buyer.id,
        changes: {
          name: { before: 'Before Name', after: 'After Name' },
          status: { before: 'onboarding', after: 'active' },
          contactName: { before: 'Jo Contact', after: 'New Contact' },
        },
      });
      expect(event.changes).not.toHaveProperty('tier');
      // Nothing changed, nothing written.
      const same = await ctx.http.patch(`/api/vendors/${id}`).set(bearer(buyer.token)).send({ name: 'After Name' });
      expect(same.body.version).toBe(2);
      expect(await auditOf(id, 'vendor.update')).toHaveLength(1);
    });

    it('recomputes tier, breakdown and review date when the data profile changes', async () => {
      ctx.clock.set(START);
      const id = await ctx.newVendor(buyer.id, { profile: PROFILES.courier });
      const res = await ctx.http.patch(`/api/vendors/${id}`).set(bearer(buyer.token)).send({ profile: PROFILES.paymentProcessor });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        tier: 'critical',
        tierDetail: { computed: 'critical', score: 12, breakdown: WORKED_EXAMPLES[2].breakdown },
        reviewIntervalMonths: 12,
        nextReviewDate: '2027-03-02',
        profile: { dataCategories: ['payment_card'] },
      });
      expect((await get(id)).body).toMatchObject({ tier: 'critical', nextReviewDate: '2027-03-02' });
      const list = await ctx.http.get('/api/vendors').query({ tier: 'critical', q: res.body.name }).set(bearer(buyer.token));
      expect(list.body.items.map((v: { id: string }) => v.id)).toEqual([id]);
      const [event] = await auditOf(id, 'vendor.update');
      expect(event.changes).toMatchObject({
        tier: { before: 'medium', after: 'critical' },
        tierScore: { before: 5, after: 12 },
        nextReviewDate: { before: '2028-03-02', after: '2027-03-02' },
        dataCategories: { before: ['contact'], after: ['payment_card'] },
      });
    });

    it('refuses a stale version with 409 and changes nothing', async () => {
      const id = await ctx.newVendor(buyer.id, { name: 'Versioned' });
      await ctx.http.patch(`/api/vendors/${id}`).set(bearer(buyer.token)).send({ name: 'Versioned A', version: 1 }).expect(200);
      const before = await ctx.counts();
      const stale = await ctx.http
        .patch(`/api/vendors/${id}`)
        .set(bearer(admin.token))
        .send({ name: 'Versioned B', profile: PROFILES.cloudHost, version: 1 });
      expectProblem(stale, 409, 'vendor.version_conflict');
      expect(await ctx.counts()).toEqual(before);
      expect((await get(id)).body).toMatchObject({ name: 'Versioned A', tier: 'medium', version: 2 });
    });
  });

  describe('tier override', () => {
    it('requires a reason of at least 10 characters', async () => {
      const id = await ctx.newVendor(buyer.id);
      const before = await ctx.counts();
      for (const reason of [undefined, '', 'too short', '   short   ']) {
        const res = await ctx.http.put(`/api/vendors/${id}/tier-override`).set(bearer(reviewer.token)).send({ tier: 'high', reason });
        expectProblem(res, 400, 'common.validation');
        expect(errorPaths(res)).toEqual(['reason']);
      }
      expect(await ctx.counts()).toEqual(before);
      expect((await get(id)).body).toMatchObject({ tier: 'medium', tierOverridden: false, version: 1 });
    });

    it('overrides the tier with an audited reason, and can be cleared', async () => {
      ctx.clock.set(START);
      const id = await ctx.newVendor(buyer.id);
      const reason = 'Holds our full customer list for the loyalty scheme';
      const res = await ctx.http.put(`/api/vendors/${id}/tier-override`).set(bearer(reviewer.token)).send({ tier: 'critical', reason });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        tier: 'critical',
        tierOverridden: true,
        tierDetail: { effective: 'critical', computed: 'medium', score: 5, override: { tier: 'critical', reason, by: reviewer.id, at: START } },
        reviewIntervalMonths: 12,
        nextReviewDate: '2027-03-02',
      });
      const listed = await ctx.http.get('/api/vendors').query({ tier: 'critical', q: res.body.name }).set(bearer(buyer.token));
      expect(listed.body.items).toEqual([expect.objectContaining({ id, tier: 'critical', tierOverridden: true })]);

      const [event] = await auditOf(id, 'vendor.tier_override');
      expect(event).toMatchObject({
        actorId: reviewer.id,
        actorLabel: reviewer.email,
        targetType: 'vendor',
        changes: {
          tierOverride: { before: null, after: 'critical' },
          tierOverrideReason: { before: null, after: reason },
          tier: { before: 'medium', after: 'critical' },
        },
      });

      const cleared = await ctx.http
        .delete(`/api/vendors/${id}/tier-override`)
        .query({ reason: 'Loyalty scheme was cancelled' })
        .set(bearer(buyer.token));
      expect(cleared.status).toBe(200);
      expect(cleared.body).toMatchObject({ tier: 'medium', tierOverridden: false, tierDetail: { override: null }, nextReviewDate: '2028-03-02' });
      const [clear] = await auditOf(id, 'vendor.tier_override_clear');
      expect(clear).toMatchObject({
        actorId: buyer.id,
        details: { reason: 'Loyalty scheme was cancelled' },
        changes: { tierOverride: { before: 'critical', after: null }, tier: { before: 'critical', after: 'medium' } },
      });
      expectProblem(await ctx.http.delete(`/api/vendors/${id}/tier-override`).set(bearer(buyer.token)), 409, 'vendor.no_override');
    });

    it('keeps an override when the profile changes, and recomputes the computed tier underneath', async () => {
      const id = await ctx.newVendor(buyer.id);
      await ctx.http
        .put(`/api/vendors/${id}/tier-override`)
        .set(bearer(buyer.token))
        .send({ tier: 'low', reason: 'Only ever sees parcel labels' })
        .expect(200);
      const res = await ctx.http.patch(`/api/vendors/${id}`).set(bearer(buyer.token)).send({ profile: PROFILES.cloudHost });
      expect(res.body).toMatchObject({ tier: 'low', tierDetail: { computed: 'critical', effective: 'low', score: 10 } });
    });
  });

  describe('archive and restore', () => {
    it('archives with a reason, lists archived vendors apart, refuses changes, and restores', async () => {
      ctx.clock.set(START);
      const id = await ctx.newVendor(buyer.id, { name: 'Archivable Courier' });
      const inList = async (archived?: boolean) => {
        const res = await ctx.http
          .get('/api/vendors')
          .query({ q: 'Archivable Courier', ...(archived === undefined ? {} : { archived }) })
          .set(bearer(buyer.token));
        return res.body.items.map((v: { id: string }) => v.id);
      };
      expect(await inList()).toEqual([id]);
      expect(await inList(true)).toEqual([]);

      const res = await ctx.http.post(`/api/vendors/${id}/archive`).set(bearer(buyer.token)).send({ reason: 'Contract ended' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ archived: true, archivedAt: START, archiveReason: 'Contract ended', version: 2 });
      expect(await inList()).toEqual([]);
      expect(await inList(false)).toEqual([]);
      expect(await inList(true)).toEqual([id]);
      const [event] = await auditOf(id, 'vendor.archive');
      expect(event).toMatchObject({
        actorId: buyer.id,
        changes: { archivedAt: { before: null, after: START }, archiveReason: { before: null, after: 'Contract ended' } },
      });

      expectProblem(await ctx.http.post(`/api/vendors/${id}/archive`).set(bearer(buyer.token)), 409, 'vendor.archived');
      expectProblem(await ctx.http.patch(`/api/vendors/${id}`).set(bearer(buyer.token)).send({ name: 'Changed' }), 409, 'vendor.archived');
      expectProblem(
        await ctx.http.put(`/api/vendors/${id}/tier-override`).set(bearer(buyer.token)).send({ tier: 'high', reason: 'Should not be possible' }),
        409,
        'vendor.archived',
      );
      expect((await get(id)).body).toMatchObject({ name: 'Archivable Courier', archived: true, version: 2 });

      const restored = await ctx.http.post(`/api/vendors/${id}/restore`).set(bearer(admin.token));
      expect(restored.status).toBe(200);
      expect(restored.body).toMatchObject({ archived: false, archivedAt: null, archiveReason: null, version: 3 });
      expect(await inList()).toEqual([id]);
      expect(await auditOf(id, 'vendor.restore')).toHaveLength(1);
      expectProblem(await ctx.http.post(`/api/vendors/${id}/restore`).set(bearer(admin.token)), 409, 'vendor.not_archived');
    });

    it('archives without a reason', async () => {
      const id = await ctx.newVendor(buyer.id);
      const res = await ctx.http.post(`/api/vendors/${id}/archive`).set(bearer(buyer.token));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ archived: true, archiveReason: null });
    });

    it('has no hard delete', async () => {
      const id = await ctx.newVendor(buyer.id);
      const before = await ctx.counts();
      expectProblem(await ctx.http.delete(`/api/vendors/${id}`).set(bearer(admin.token)), 404, 'common.not_found');
      expect(await ctx.counts()).toEqual(before);
      expect((await get(id)).status).toBe(200);
      expect(await ctx.app.get(VendorsService).get(id)).toBeDefined();
    });
  });
});

describe('vendor review cadence from the configuration', () => {
  let ctx: TestContext;
  let buyer: StaffUser;

  beforeAll(async () => {
    ctx = await TestContext.create({ REVIEW_MONTHS_HIGH: '18', REVIEW_MONTHS_CRITICAL: '15', REVIEW_MONTHS_LOW: '48' }, START);
    buyer = await ctx.newUser('procurement');
  });
  afterAll(async () => ctx.close());

  it('uses the configured months per tier, but never more than 12 for card data', async () => {
    const cases: Array<[Record<string, unknown>, string, number, string]> = [
      [PROFILES.emailMarketing, 'high', 18, '2027-09-02'],
      [PROFILES.cloudHost, 'critical', 15, '2027-06-02'],
      [PROFILES.officeCleaner, 'low', 48, '2030-03-02'],
      [PROFILES.paymentProcessor, 'critical', 12, '2027-03-02'],
      [{ ...PROFILES.officeCleaner, dataCategories: ['payment_card'] }, 'high', 12, '2027-03-02'],
    ];
    for (const [profile, tier, months, next] of cases) {
      const res = await ctx.http.post('/api/vendors').set(bearer(buyer.token)).send({ ...vendorInput(buyer.id), profile });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ tier, reviewIntervalMonths: months, nextReviewDate: next });
      const preview = await ctx.http.post('/api/vendors/tier-preview').set(bearer(buyer.token)).send(tierInput(profile));
      expect(preview.body).toMatchObject({ tier, reviewIntervalMonths: months });
    }
  });
});

describe('vendor register list: search, filters, sort and pages', () => {
  let ctx: TestContext;
  let reader: StaffUser;
  let ownerA: StaffUser;
  let ownerB: StaffUser;

  // Created one day apart in this order; the next review is creation + cadence of the tier.
  const SEED: Array<{ name: string; legalEntity?: string; profile: keyof typeof PROFILES; category: string; status: string; owner: 'A' | 'B' }> = [
    { name: 'Alpha Cloud', legalEntity: 'Alpha Hosting GmbH', profile: 'cloudHost', category: 'cloud_hosting', status: 'active', owner: 'A' }, // critical, 2027-03-02
    { name: 'Beta Mail', legalEntity: 'Beta Marketing Ltd', profile: 'emailMarketing', category: 'marketing', status: 'active', owner: 'B' }, // high, 2027-03-03
    { name: 'Gamma Pay', legalEntity: 'Gamma Payments SA', profile: 'paymentProcessor', category: 'payment', status: 'onboarding', owner: 'A' }, // critical, 2027-03-04
    { name: 'Delta Courier', legalEntity: 'Delta Logistics', profile: 'courier', category: 'logistics', status: 'onboarding', owner: 'B' }, // medium, 2028-03-05
    { name: 'Epsilon Clean', profile: 'officeCleaner', category: 'other', status: 'prospect', owner: 'A' }, // low, 2029-03-06
    { name: '100% Organic', legalEntity: 'Hundred Percent Ltd', profile: 'officeCleaner', category: 'other', status: 'prospect', owner: 'B' }, // low, 2029-03-07
    { name: '1000 Organic', legalEntity: 'Thousand Ltd', profile: 'officeCleaner', category: 'other', status: 'active', owner: 'A' }, // low, 2029-03-08
    { name: 'Kappa_Sys', legalEntity: 'Kappa Ltd', profile: 'courier', category: 'it_services', status: 'active', owner: 'B' }, // medium, 2028-03-09
    { name: 'KappaxSys', legalEntity: 'Kappax Ltd', profile: 'courier', category: 'it_services', status: 'terminated', owner: 'A' }, // medium, 2028-03-10
    { name: 'Zeta Archived', legalEntity: 'Zeta Ltd', profile: 'officeCleaner', category: 'other', status: 'active', owner: 'A' }, // archived
  ];
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    ctx = await TestContext.create({}, START);
    ownerA = await ctx.newUser('procurement', { name: 'Owner A' });
    ownerB = await ctx.newUser('reviewer', { name: 'Owner B' });
    for (const v of SEED) {
      const owner = v.owner === 'A' ? ownerA : ownerB;
      ids[v.name] = await ctx.newVendor(owner.id, {
        name: v.name,
        legalEntity: v.legalEntity,
        profile: PROFILES[v.profile],
        category: v.category,
        status: v.status,
      });
      ctx.clock.advance(DAY);
    }
    await ctx.app.get(VendorsService).archive(ids['Zeta Archived'], 'No longer used', SYSTEM_ACTOR);
    reader = await ctx.newUser('viewer');
  });
  afterAll(async () => ctx.close());

  const list = async (query: Record<string, string | number | boolean>) => {
    const res = await ctx.http.get('/api/vendors').query(query).set(bearer(reader.token));
    expect(res.status).toBe(200);
    return res;
  };
  const names = async (query: Record<string, string | number | boolean>) => (await list(query)).body.items.map((v: { name: string }) => v.name);

  const BY_NAME = ['100% Organic', '1000 Organic', 'Alpha Cloud', 'Beta Mail', 'Delta Courier', 'Epsilon Clean', 'Gamma Pay', 'Kappa_Sys', 'KappaxSys'];

  it('lists current vendors by name with summaries and page information', async () => {
    const res = await list({});
    expect(res.body).toMatchObject({ total: 9, page: 1, pageSize: 25 });
    expect(res.body.items.map((v: { name: string }) => v.name)).toEqual(BY_NAME);
    expect(res.body.items.find((v: { name: string }) => v.name === 'Gamma Pay')).toEqual({
      id: ids['Gamma Pay'],
      name: 'Gamma Pay',
      category: 'payment',
      status: 'onboarding',
      country: 'DE',
      tier: 'critical',
      tierOverridden: false,
      owner: { id: ownerA.id, name: 'Owner A' },
      nextReviewDate: '2027-03-04',
      residualRisk: null,
      archived: false,
    });
  });

  it('searches name and legal entity, ignoring case', async () => {
    expect(await names({ q: 'beta mail' })).toEqual(['Beta Mail']);
    expect(await names({ q: 'HOSTING gmbh' })).toEqual(['Alpha Cloud']);
    expect(await names({ q: 'Organic' })).toEqual(['100% Organic', '1000 Organic']);
    expect(await names({ q: 'Ltd' })).toEqual(['100% Organic', '1000 Organic', 'Beta Mail', 'Kappa_Sys', 'KappaxSys']);
    const none = await list({ q: 'nothing like this' });
    expect(none.body).toEqual({ items: [], total: 0, page: 1, pageSize: 25 });
  });

  it('takes % and _ in the search literally', async () => {
    expect(await names({ q: '100%' })).toEqual(['100% Organic']);
    expect(await names({ q: '%' })).toEqual(['100% Organic']);
    expect(await names({ q: 'a_S' })).toEqual(['Kappa_Sys']);
    expect(await names({ q: '_' })).toEqual(['Kappa_Sys']);
    expect(await names({ q: '!' })).toEqual([]);
    expect(await names({ q: '%_%' })).toEqual([]);
  });

  it('filters by tier, status, category and owner, alone and together', async () => {
    expect(await names({ tier: 'critical' })).toEqual(['Alpha Cloud', 'Gamma Pay']);
    expect(await names({ tier: 'low' })).toEqual(['100% Organic', '1000 Organic', 'Epsilon Clean']);
    expect(await names({ status: 'onboarding' })).toEqual(['Delta Courier', 'Gamma Pay']);
    expect(await names({ status: 'terminated' })).toEqual(['KappaxSys']);
    expect(await names({ category: 'it_services' })).toEqual(['Kappa_Sys', 'KappaxSys']);
    expect(await names({ ownerId: ownerB.id })).toEqual(['100% Organic', 'Beta Mail', 'Delta Courier', 'Kappa_Sys']);
    expect(await names({ ownerId: ownerA.id, tier: 'low' })).toEqual(['1000 Organic', 'Epsilon Clean']);
    expect(await names({ ownerId: ownerA.id, status: 'active', q: 'organic' })).toEqual(['1000 Organic']);
    const res = await list({ tier: 'high', category: 'payment' });
    expect(res.body).toMatchObject({ items: [], total: 0 });
  });

  it.each([
    ['name', BY_NAME],
    ['-name', [...BY_NAME].reverse()],
    ['tier', ['100% Organic', '1000 Organic', 'Epsilon Clean', 'Delta Courier', 'Kappa_Sys', 'KappaxSys', 'Beta Mail', 'Alpha Cloud', 'Gamma Pay']],
    ['-tier', ['Alpha Cloud', 'Gamma Pay', 'Beta Mail', 'Delta Courier', 'Kappa_Sys', 'KappaxSys', '100% Organic', '1000 Organic', 'Epsilon Clean']],
    ['createdAt', ['Alpha Cloud', 'Beta Mail', 'Gamma Pay', 'Delta Courier', 'Epsilon Clean', '100% Organic', '1000 Organic', 'Kappa_Sys', 'KappaxSys']],
    ['-createdAt', ['KappaxSys', 'Kappa_Sys', '1000 Organic', '100% Organic', 'Epsilon Clean', 'Delta Courier', 'Gamma Pay', 'Beta Mail', 'Alpha Cloud']],
    ['nextReviewDate', ['Alpha Cloud', 'Beta Mail', 'Gamma Pay', 'Delta Courier', 'Kappa_Sys', 'KappaxSys', 'Epsilon Clean', '100% Organic', '1000 Organic']],
    ['-nextReviewDate', ['1000 Organic', '100% Organic', 'Epsilon Clean', 'KappaxSys', 'Kappa_Sys', 'Delta Courier', 'Gamma Pay', 'Beta Mail', 'Alpha Cloud']],
  ])('sorts by %s', async (sort, expected) => {
    expect(await names({ sort })).toEqual(expected);
  });

  it('pages through the results with a stable total', async () => {
    const first = await list({ pageSize: 4 });
    expect(first.body).toMatchObject({ total: 9, page: 1, pageSize: 4 });
    expect(first.body.items.map((v: { name: string }) => v.name)).toEqual(BY_NAME.slice(0, 4));
    const second = await list({ pageSize: 4, page: 2 });
    expect(second.body).toMatchObject({ total: 9, page: 2, pageSize: 4 });
    expect(second.body.items.map((v: { name: string }) => v.name)).toEqual(BY_NAME.slice(4, 8));
    const last = await list({ pageSize: 4, page: 3, sort: 'name' });
    expect(last.body.items.map((v: { name: string }) => v.name)).toEqual(['KappaxSys']);
    const beyond = await list({ pageSize: 4, page: 4 });
    expect(beyond.body).toEqual({ items: [], total: 9, page: 4, pageSize: 4 });
    const filtered = await list({ tier: 'low', pageSize: 2, page: 2, sort: '-name' });
    expect(filtered.body).toMatchObject({ total: 3, items: [expect.objectContaining({ name: '100% Organic' })] });
  });

  it('lists archived vendors only when asked, with the same filters', async () => {
    const archived = await list({ archived: true });
    expect(archived.body).toMatchObject({ total: 1, items: [{ id: ids['Zeta Archived'], name: 'Zeta Archived', archived: true }] });
    expect(await names({ archived: false })).toEqual(BY_NAME);
    expect(await names({ archived: true, q: 'zeta' })).toEqual(['Zeta Archived']);
    expect(await names({ archived: true, tier: 'critical' })).toEqual([]);
    expect(await names({ q: 'zeta' })).toEqual([]);
  });
});
