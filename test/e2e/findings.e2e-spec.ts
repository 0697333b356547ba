import { auditActions, snapshot, submittedAssessment } from '../support/assessment-factory';
import { bearer, errorPaths, expectProblem, StaffUser, TestContext } from '../support/test-app';

/** The test clock's day: due dates and risk acceptance are counted from it. */
const TODAY = '2026-03-02';

describe('findings', () => {
  let ctx: TestContext;
  let admin: StaffUser;
  let procurement: StaffUser;
  let reviewer: StaffUser;
  let viewer: StaffUser;
  let vendorP: string;
  let vendorA: string;

  beforeAll(async () => {
    ctx = await TestContext.create();
    admin = await ctx.admin();
    procurement = await ctx.newUser('procurement');
    reviewer = await ctx.newUser('reviewer');
    viewer = await ctx.newUser('viewer');
    vendorP = await ctx.newVendor(procurement.id, { name: 'Owned By Procurement' });
    vendorA = await ctx.newVendor(admin.id, { name: 'Owned By Admin' });
  });
  afterAll(async () => ctx.close());

  const create = (body: object, who: StaffUser = reviewer) => ctx.http.post('/api/findings').set(bearer(who.token)).send(body);
  const patch = (id: string, body: object, who: StaffUser = procurement) => ctx.http.patch(`/api/findings/${id}`).set(bearer(who.token)).send(body);
  const acceptRisk = (id: string, body: object, who: StaffUser = reviewer) => ctx.http.post(`/api/findings/${id}/accept-risk`).set(bearer(who.token)).send(body);
  const finding = (body: Record<string, unknown> = {}) => ({ vendorId: vendorP, title: 'Backups are not tested', severity: 'high', recommendation: 'Restore a backup every quarter.', ...body });

  describe('raising a finding by hand', () => {
    it.each([
      ['critical', '2026-04-01'],
      ['high', '2026-05-01'],
      ['medium', '2026-05-31'],
      ['low', '2026-08-29'],
    ])('a %s finding is due by default 30/60/90/180 days on (%s), owned by the vendor owner', async (severity, due) => {
      const res = await create(finding({ severity, title: `A ${severity} finding` })).expect(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        vendorId: vendorP,
        assessmentId: null,
        questionKey: null,
        title: `A ${severity} finding`,
        severity,
        recommendation: 'Restore a backup every quarter.',
        status: 'open',
        ownerId: procurement.id,
        dueDate: due,
        note: null,
        riskAcceptedReason: null,
        riskAcceptedUntil: null,
        riskAcceptedBy: null,
        resolvedAt: null,
        createdAt: '2026-03-02T09:00:00.000Z',
        version: 1,
      });
      expect(await auditActions(ctx, res.body.id)).toEqual(['finding.create']);
    });

    it('takes the owner and due date given, and defaults the owner per vendor', async () => {
      const given = await create(finding({ ownerId: reviewer.id, dueDate: '2026-07-15' }), procurement).expect(201);
      expect(given.body).toMatchObject({ ownerId: reviewer.id, dueDate: '2026-07-15' });
      const other = await create(finding({ vendorId: vendorA }), admin).expect(201);
      expect(other.body.ownerId).toBe(admin.id);
    });

    it('ties a finding to an assessment of the same vendor only', async () => {
      const s = await submittedAssessment(ctx, procurement.token, vendorP, { modules: ['baseline-lite'] });
      const tied = await create(finding({ assessmentId: s.id })).expect(201);
      expect(tied.body.assessmentId).toBe(s.id);
      const before = await snapshot(ctx);
      const wrong = expectProblem(await create(finding({ vendorId: vendorA, assessmentId: s.id })), 404, 'review.finding_not_found');
      expect(errorPaths({ body: wrong } as never)).toEqual(['assessmentId']);
      expect(await snapshot(ctx)).toEqual(before);
    });

    it.each([
      ['an unknown vendor', { vendorId: '3f0e4b1c-5a2d-4e8f-9b7a-1c2d3e4f5a6b' }, 404, 'review.finding_not_found', 'vendorId'],
      ['an owner who is no user', { ownerId: '3f0e4b1c-5a2d-4e8f-9b7a-1c2d3e4f5a6b' }, 400, 'review.owner_not_found', 'ownerId'],
      ['an unknown severity', { severity: 'severe' }, 400, 'common.validation', 'severity'],
      ['a title of two characters', { title: 'No' }, 400, 'common.validation', 'title'],
      ['a due date that is no date', { dueDate: '2026-02-30' }, 400, 'common.validation', 'dueDate'],
      ['an unknown field', { status: 'resolved' }, 400, 'common.validation', 'status'],
    ])('refuses %s, writing nothing', async (_label, change, status, code, path) => {
      const before = await snapshot(ctx);
      const res = await create(finding(change));
      expectProblem(res, status, code);
      expect(errorPaths(res)).toContain(path);
      expect(await snapshot(ctx)).toEqual(before);
    });

    it('is for reviewers, procurement and admins: a viewer is refused', async () => {
      const before = await snapshot(ctx);
      expectProblem(await create(finding(), viewer), 403, 'auth.forbidden');
      expect(await snapshot(ctx)).toEqual(before);
      expect((await ctx.http.get('/api/findings').set(bearer(viewer.token))).status).toBe(200);
    });
  });

  describe('remediation', () => {
    let id: string;

    beforeAll(async () => {
      id = (await create(finding({ title: 'MFA missing for admins', severity: 'critical' })).expect(201)).body.id;
    });

    it('moves open → in_remediation → resolved → open, each move audited', async () => {
      const started = await patch(id, { version: 1, status: 'in_remediation', note: 'Rollout planned for April.' }).expect(200);
      expect(started.body).toMatchObject({ status: 'in_remediation', note: 'Rollout planned for April.', resolvedAt: null, version: 2 });

      // Half an hour later (staff sessions stay alive).
      ctx.clock.advance(30 * 60_000);
      const resolved = await patch(id, { version: 2, status: 'resolved' }).expect(200);
      expect(resolved.body).toMatchObject({ status: 'resolved', resolvedAt: '2026-03-02T09:30:00.000Z', version: 3 });

      const reopened = await patch(id, { version: 3, status: 'open', note: 'Found an admin account without MFA.' }).expect(200);
      expect(reopened.body).toMatchObject({ status: 'open', resolvedAt: null, version: 4 });

      const audit = await ctx.http.get('/api/audit').query({ targetId: id, action: 'finding.update' }).set(bearer(admin.token)).expect(200);
      expect(audit.body.items.map((e: { changes: { status: unknown } }) => e.changes.status)).toEqual([
        { before: 'resolved', after: 'open' },
        { before: 'in_remediation', after: 'resolved' },
        { before: 'open', after: 'in_remediation' },
      ]);
    });

    it('refuses an illegal move with 409 naming the allowed moves, and changes nothing', async () => {
      await patch(id, { version: 4, status: 'resolved' }).expect(200);
      const before = await snapshot(ctx);
      const problem = expectProblem(await patch(id, { version: 5, status: 'in_remediation' }), 409, 'review.invalid_finding_move');
      expect(problem).toMatchObject({ status: 409, allowed: ['open'] });
      expect(problem.detail).toContain('resolved cannot become in_remediation');
      // Risk acceptance has a route of its own.
      expectProblem(await patch(id, { version: 5, status: 'risk_accepted' }), 400, 'common.validation');
      expect(await snapshot(ctx)).toEqual(before);
      const now = await ctx.http.get(`/api/findings/${id}`).set(bearer(viewer.token)).expect(200);
      expect(now.body).toMatchObject({ status: 'resolved', version: 5 });
    });

    it('refuses a change made from an older version with 409, and changes nothing', async () => {
      const before = await snapshot(ctx);
      const problem = expectProblem(await patch(id, { version: 3, status: 'open' }), 409, 'review.finding_version_conflict');
      expect(problem.detail).toContain('version 3');
      expectProblem(await acceptRisk(id, { version: 4, reason: 'Compensating controls in place.', until: '2026-09-01' }), 409, 'review.finding_version_conflict');
      expect(await snapshot(ctx)).toEqual(before);
    });

    it('changes owner and due date, and refuses an owner who is no active user', async () => {
      const moved = await patch(id, { version: 5, ownerId: reviewer.id, dueDate: '2026-06-30' }).expect(200);
      expect(moved.body).toMatchObject({ ownerId: reviewer.id, dueDate: '2026-06-30', status: 'resolved', version: 6 });
      const before = await snapshot(ctx);
      expectProblem(await patch(id, { version: 6, ownerId: '3f0e4b1c-5a2d-4e8f-9b7a-1c2d3e4f5a6b' }), 400, 'review.owner_not_found');
      expect(await snapshot(ctx)).toEqual(before);
    });
  });

  describe('risk acceptance', () => {
    let id: string;
    const reason = 'Compensating controls: the data is tokenised before it leaves us.';

    let vendorU: string;

    beforeAll(async () => {
      id = (await create(finding({ title: 'No encryption at rest', severity: 'high' })).expect(201)).body.id;
      vendorU = await ctx.newVendor(procurement.id, { name: 'Until Dates Vendor' });
    });

    it.each([
      ['a reason under 10 characters', { reason: 'Accepted.', until: '2026-09-01' }, 'reason'],
      ['no reason', { until: '2026-09-01' }, 'reason'],
      ['no until date', { reason }, 'until'],
      ['an until date that is no date', { reason, until: '2026-13-01' }, 'until'],
    ])('refuses %s with 400 common.validation', async (_label, body, path) => {
      const before = await snapshot(ctx);
      const res = await acceptRisk(id, { version: 1, ...body });
      expectProblem(res, 400, 'common.validation');
      expect(errorPaths(res)).toContain(path);
      expect(await snapshot(ctx)).toEqual(before);
    });

    it.each([
      ['today', TODAY],
      ['yesterday', '2026-03-01'],
      ['a day more than three years ahead', '2029-03-03'],
      ['ten years ahead', '2036-03-02'],
    ])('refuses an until date of %s (it must be after today, at most three years ahead)', async (_label, until) => {
      // A finding of its own, so one wrongly accepted cannot spoil the next case.
      const fresh = (await create(finding({ title: `Until ${until}`, vendorId: vendorU })).expect(201)).body.id;
      const before = await snapshot(ctx);
      const problem = expectProblem(await acceptRisk(fresh, { version: 1, reason, until }), 400);
      expect(errorPaths({ body: problem } as never)).toEqual(['until']);
      expect(await snapshot(ctx)).toEqual(before);
    });

    it('is for reviewers and admins: procurement and viewers are refused', async () => {
      const before = await snapshot(ctx);
      expectProblem(await acceptRisk(id, { version: 1, reason, until: '2026-09-01' }, procurement), 403, 'auth.forbidden');
      expectProblem(await acceptRisk(id, { version: 1, reason, until: '2026-09-01' }, viewer), 403, 'auth.forbidden');
      expect(await snapshot(ctx)).toEqual(before);
    });

    it('accepts the risk until a date up to three years ahead, with the reason and who accepted it', async () => {
      const res = await acceptRisk(id, { version: 1, reason, until: '2029-03-02' }).expect(200);
      expect(res.body).toMatchObject({ status: 'risk_accepted', riskAcceptedReason: reason, riskAcceptedUntil: '2029-03-02', riskAcceptedBy: reviewer.id, version: 2 });
      const audit = await ctx.http.get('/api/audit').query({ targetId: id, action: 'finding.accept_risk' }).set(bearer(admin.token)).expect(200);
      expect(audit.body.items[0]).toMatchObject({
        actorId: reviewer.id,
        changes: { status: { before: 'open', after: 'risk_accepted' }, riskAcceptedReason: { before: null, after: reason }, riskAcceptedUntil: { before: null, after: '2029-03-02' } },
      });
      // An admin may accept too (on another finding), the day after today at the earliest.
      const other = (await create(finding({ title: 'Shared admin account', severity: 'medium' })).expect(201)).body.id;
      expect((await acceptRisk(other, { version: 1, reason, until: '2026-03-03' }, admin)).body).toMatchObject({ status: 'risk_accepted', riskAcceptedBy: admin.id });
    });

    it('reopening an accepted risk clears the acceptance', async () => {
      const res = await patch(id, { version: 2, status: 'open' }).expect(200);
      expect(res.body).toMatchObject({ status: 'open', riskAcceptedReason: null, riskAcceptedUntil: null, riskAcceptedBy: null, version: 3 });
    });
  });

  describe('listing', () => {
    let assessmentId: string;

    beforeAll(async () => {
      // A completed review of its own: every finding it raises carries its assessment id.
      const vendor = await ctx.newVendor(reviewer.id, { name: 'Listed Vendor' });
      const s = await submittedAssessment(ctx, procurement.token, vendor, { modules: ['baseline-lite'] });
      await ctx.http.put(`/api/assessments/${s.id}/answers/access.leavers/review`).set(bearer(reviewer.token)).send({ overrideScore: 0, overrideReason: 'Accounts stay open for weeks, per HR.' }).expect(200);
      await ctx.http.post(`/api/assessments/${s.id}/complete`).set(bearer(reviewer.token)).send({}).expect(200);
      assessmentId = s.id;
    });

    const list = (query: Record<string, string | number>) => ctx.http.get('/api/findings').query(query).set(bearer(viewer.token));

    it('filters by assessment', async () => {
      const res = await list({ assessmentId }).expect(200);
      // Everything was answered favourably but access.leavers, which the reviewer scored 0.
      expect(res.body.items.map((f: { questionKey: string; severity: string; ownerId: string }) => [f.questionKey, f.severity, f.ownerId])).toEqual([['access.leavers', 'medium', reviewer.id]]);
      expect(res.body).toMatchObject({ total: 1, page: 1, pageSize: 25 });
    });

    it('filters by vendor, status and severity, most severe first, then by due date', async () => {
      const all = await list({ vendorId: vendorP, pageSize: 100 }).expect(200);
      expect(all.body.total).toBeGreaterThanOrEqual(8);
      const items = all.body.items as Array<{ vendorId: string; severity: string; dueDate: string; status: string }>;
      expect(items.every((f) => f.vendorId === vendorP)).toBe(true);
      const rank: Record<string, number> = { critical: 3, high: 2, medium: 1, low: 0 };
      for (let i = 1; i < items.length; i++) {
        const [p, q] = [items[i - 1], items[i]];
        expect(rank[p.severity] > rank[q.severity] || (rank[p.severity] === rank[q.severity] && p.dueDate <= q.dueDate)).toBe(true);
      }

      const high = await list({ vendorId: vendorP, severity: 'high', pageSize: 100 }).expect(200);
      expect(high.body.total).toBe(items.filter((f) => f.severity === 'high').length);
      expect(high.body.items.every((f: { severity: string }) => f.severity === 'high')).toBe(true);

      const resolved = await list({ status: 'resolved' }).expect(200);
      expect(resolved.body.items.map((f: { title: string }) => f.title)).toEqual(['MFA missing for admins']);
      const accepted = await list({ vendorId: vendorP, status: 'risk_accepted' }).expect(200);
      expect(accepted.body.items.map((f: { title: string }) => f.title)).toEqual(['Shared admin account']);

      expect((await list({ vendorId: vendorA }).expect(200)).body.total).toBe(1);
      const page2 = await list({ vendorId: vendorP, pageSize: 2, page: 2 }).expect(200);
      expect(page2.body.items).toEqual(items.slice(2, 4));
    });

    it.each([
      ['an unknown status', { status: 'closed' }],
      ['an unknown severity', { severity: 'severe' }],
      ['a vendor id that is no UUID', { vendorId: 'vendor-1' }],
      ['an unknown filter', { owner: 'me' }],
    ])('refuses %s with 400', async (_label, query) => {
      expectProblem(await list(query), 400, 'common.validation');
    });
  });
});
