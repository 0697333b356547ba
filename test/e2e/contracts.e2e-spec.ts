import { AuditEventEntity } from '../../src/audit/audit-event.entity';
import { ContractEntity } from '../../src/contracts/contract.entity';
import { ContractsService } from '../../src/contracts/contracts.service';
import { auditActions, PDF, snapshot } from '../support/assessment-factory';
import { contractInput, newContract, setChecklist } from '../support/contract-factory';
import { bearer, errorPaths, expectProblem, StaffUser, TestContext } from '../support/test-app';

/** The test clock's day (2026-03-02); statuses and deadlines are counted from it. */
describe('contracts and their clause checklists', () => {
  let ctx: TestContext;
  let admin: StaffUser;
  let procurement: StaffUser;
  let reviewer: StaffUser;
  let viewer: StaffUser;
  /** An EU and CN payment processor sending data abroad: GDPR, PIPL, PCI and good practice apply. */
  let processor: string;
  /** A courier with contact data of people in the EU only. */
  let courier: string;

  beforeAll(async () => {
    ctx = await TestContext.create();
    admin = await ctx.admin();
    procurement = await ctx.newUser('procurement');
    reviewer = await ctx.newUser('reviewer');
    viewer = await ctx.newUser('viewer');
    processor = await ctx.newVendor(procurement.id, {
      name: 'Paylane Processing',
      legalEntity: 'Paylane Processing B.V.',
      category: 'payment',
      profile: { dataCategories: ['identity', 'payment_card'], volumeBand: '100k_1m', accessLevel: 'api', criticality: 'high', crossBorder: true, transferCountries: ['CN', 'US'], jurisdictions: ['EU', 'CN'] },
    });
    courier = await ctx.newVendor(procurement.id, { name: 'Quick Parcel' });
  });
  afterAll(async () => ctx.close());

  const get = (path: string, who: StaffUser = viewer) => ctx.http.get(path).set(bearer(who.token));
  const create = (body: object, who: StaffUser = procurement) => ctx.http.post('/api/contracts').set(bearer(who.token)).send(body);
  const patch = (id: string, body: object, who: StaffUser = procurement) => ctx.http.patch(`/api/contracts/${id}`).set(bearer(who.token)).send(body);
  const checklist = (id: string, body: object, who: StaffUser = reviewer) => ctx.http.patch(`/api/contracts/${id}/checklist`).set(bearer(who.token)).send(body);
  const counts = async () => ({ ...(await ctx.counts()), ...(await snapshot(ctx)) });

  describe('recording a contract', () => {
    it('creates it with the vendor legal entity as counterparty, the owner of the vendor, the derived notice deadline, and audits it', async () => {
      const res = await create(contractInput(processor, { value: '120000.5', currency: 'eur' })).expect(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        vendorId: processor,
        title: 'Data processing agreement',
        reference: 'DPA-2025-001',
        type: 'dpa',
        counterparty: 'Paylane Processing B.V.',
        state: 'active',
        status: 'active',
        effectiveDate: '2025-06-01',
        expiryDate: '2027-05-31',
        autoRenewal: false,
        renewalMonths: null,
        noticeDays: 90,
        termEnd: '2027-05-31',
        noticeDeadline: '2027-03-02',
        value: '120000.5',
        currency: 'EUR',
        ownerId: procurement.id,
        notes: null,
        document: null,
        terminatedOn: null,
        terminationReason: null,
        createdAt: '2026-03-02T09:00:00.000Z',
        updatedAt: '2026-03-02T09:00:00.000Z',
        version: 1,
      });
      expect(await auditActions(ctx, res.body.id)).toEqual(['contract.create']);
    });

    it.each([
      ['ending within 60 days', { expiryDate: '2026-04-30', noticeDays: 30 }, 'expiring', '2026-04-30', '2026-03-31'],
      ['ended', { effectiveDate: '2024-01-01', expiryDate: '2026-01-31', noticeDays: null }, 'expired', '2026-01-31', null],
      ['renewing by itself, notice deadline in 29 days', { effectiveDate: '2024-06-01', expiryDate: '2025-05-31', autoRenewal: true, renewalMonths: 12, noticeDays: 61 }, 'expiring', '2026-05-31', '2026-03-31'],
      ['renewing by itself, past the notice deadline (renewal committed)', { effectiveDate: '2024-04-01', expiryDate: '2025-03-31', autoRenewal: true, renewalMonths: 12, noticeDays: 60 }, 'active', '2026-03-31', '2026-01-30'],
      ['renewing by itself, notice deadline in 19 days', { effectiveDate: '2024-04-01', expiryDate: '2025-03-31', autoRenewal: true, renewalMonths: 12, noticeDays: 10 }, 'expiring', '2026-03-31', '2026-03-21'],
      ['renewing monthly, rolled forward', { effectiveDate: '2025-01-01', expiryDate: '2025-01-31', autoRenewal: true, renewalMonths: 1, noticeDays: null }, 'active', '2026-03-31', null],
      ['without an end date', { expiryDate: null, noticeDays: null }, 'active', null, null],
      ['a draft', { state: 'draft' }, 'draft', '2027-05-31', '2027-03-02'],
    ])('shows a contract %s with its status and current term', async (_label, overrides, status, termEnd, deadline) => {
      const body = (await create(contractInput(courier, { title: `Contract ${_label}`, ...overrides })).expect(201)).body;
      expect({ status: body.status, termEnd: body.termEnd, noticeDeadline: body.noticeDeadline }).toEqual({ status, termEnd, noticeDeadline: deadline });
    });

    it.each([
      ['an expiry before the effective date', { effectiveDate: '2026-05-01', expiryDate: '2026-04-30' }, ['expiryDate'], 'contract.invalid_terms'],
      ['a notice period longer than the contract', { effectiveDate: '2026-01-01', expiryDate: '2026-06-30', noticeDays: 200 }, ['noticeDays'], 'contract.invalid_terms'],
      ['a notice period without an end date', { expiryDate: null, noticeDays: 30 }, ['noticeDays'], 'contract.invalid_terms'],
      ['renewal without a term length', { autoRenewal: true }, ['renewalMonths'], 'contract.invalid_terms'],
      ['a notice period longer than a renewal term', { effectiveDate: '2020-01-01', expiryDate: '2026-12-31', autoRenewal: true, renewalMonths: 1, noticeDays: 60 }, ['noticeDays'], 'contract.invalid_terms'],
      ['a value without a currency', { value: '100.00' }, ['currency'], 'contract.invalid_terms'],
      ['a day that does not exist', { expiryDate: '2027-02-30' }, ['expiryDate'], 'common.validation'],
      ['a date with a time', { effectiveDate: '2025-06-01T00:00:00Z' }, ['effectiveDate'], 'common.validation'],
      ['an unknown type', { type: 'lease' }, ['type'], 'common.validation'],
      ['a value with three decimals', { value: '1.005', currency: 'EUR' }, ['value'], 'common.validation'],
      ['a currency that is not a code', { value: '1.00', currency: 'euro' }, ['currency'], 'common.validation'],
      ['a negative notice period', { noticeDays: -1 }, ['noticeDays'], 'common.validation'],
      ['terminated as the initial state', { state: 'terminated' }, ['state'], 'common.validation'],
      ['an unknown field', { signedBy: 'someone' }, ['signedBy'], 'common.validation'],
      ['no title', { title: '' }, ['title'], 'common.validation'],
      ['an owner who is not staff', { ownerId: '3f0e4b1c-5a2d-4e8f-9b7a-1c2d3e4f5a6b' }, ['ownerId'], 'contract.owner_not_found'],
      ['a vendor that does not exist', { vendorId: '3f0e4b1c-5a2d-4e8f-9b7a-1c2d3e4f5a6b' }, ['vendorId'], 'contract.vendor_not_found'],
    ])('refuses %s with a clear 400 and stores nothing', async (_label, overrides, paths, code) => {
      const before = await counts();
      const res = await create(contractInput(courier, overrides));
      expectProblem(res, 400, code);
      expect(errorPaths(res)).toEqual(paths);
      expect(await counts()).toEqual(before);
    });

    it('refuses a contract for an archived vendor', async () => {
      const archived = await ctx.newVendor(procurement.id, { name: 'Gone Vendor' });
      await ctx.http.post(`/api/vendors/${archived}/archive`).set(bearer(admin.token)).send({ reason: 'No longer used' }).expect(200);
      expectProblem(await create(contractInput(archived)), 409, 'contract.vendor_archived');
    });
  });

  describe('changing and ending a contract', () => {
    it('changes fields with the version read, audits the diff, and refuses a stale version', async () => {
      const c = await newContract(ctx, procurement.token, courier, { title: 'Courier MSA', type: 'msa' });
      const res = await patch(c.id, { version: 1, expiryDate: '2027-12-31', noticeDays: 60, notes: 'Renegotiate rates' }).expect(200);
      expect(res.body).toMatchObject({ version: 2, expiryDate: '2027-12-31', noticeDeadline: '2027-11-01', notes: 'Renegotiate rates' });
      const [event] = await ctx.dataSource.getRepository(AuditEventEntity).find({ where: { targetId: c.id, action: 'contract.update' } });
      expect(event.changes).toEqual({ expiryDate: { before: '2027-05-31', after: '2027-12-31' }, noticeDays: { before: 90, after: 60 }, notes: { before: null, after: 'Renegotiate rates' } });
      const before = await counts();
      const stale = await patch(c.id, { version: 1, notes: 'Lost update' });
      expectProblem(stale, 409, 'contract.version_conflict');
      expect(stale.body.currentVersion).toBe(2);
      expect(await counts()).toEqual(before);
    });

    it('refuses to move an active contract back to draft, and dates that stop fitting', async () => {
      const c = await newContract(ctx, procurement.token, courier);
      expectProblem(await patch(c.id, { version: 1, state: 'draft' }), 400, 'contract.invalid_terms');
      const res = await patch(c.id, { version: 1, effectiveDate: '2027-06-01' });
      expectProblem(res, 400, 'contract.invalid_terms');
      expect(errorPaths(res)).toEqual(['expiryDate']);
      expect((await get(`/api/contracts/${c.id}`).expect(200)).body.contract.version).toBe(1);
    });

    it('terminates with a date and a reason; a terminated contract no longer changes', async () => {
      const c = await newContract(ctx, procurement.token, courier);
      const res = await ctx.http.post(`/api/contracts/${c.id}/terminate`).set(bearer(procurement.token)).send({ version: 1, terminatedOn: '2026-02-28', reason: 'Vendor replaced' }).expect(200);
      expect(res.body).toMatchObject({ state: 'terminated', status: 'terminated', terminatedOn: '2026-02-28', terminationReason: 'Vendor replaced', version: 2 });
      expectProblem(await patch(c.id, { version: 2, notes: 'Too late' }), 409, 'contract.terminated');
      expectProblem(await checklist(c.id, { version: 2, entries: [{ clause: 'bp.security_annex', status: 'present' }] }), 409, 'contract.terminated');
      expect(await auditActions(ctx, c.id)).toEqual(['contract.create', 'contract.terminate']);
    });
  });

  describe('the clause checklist and its gaps', () => {
    it('lists the clauses that apply to the vendor, each with why, and the missing ones as gaps', async () => {
      const c = await newContract(ctx, procurement.token, processor, { title: 'Paylane DPA' });
      const { body } = await get(`/api/contracts/${c.id}`).expect(200);
      const keys = body.gaps.clauses.map((x: { clause: string }) => x.clause);
      expect(keys).toEqual(expect.arrayContaining(['gdpr.dpa.written', 'pipl.entrust.agreement', 'pci.12.8.2', 'gdpr.transfer.mechanism', 'pipl.xborder.mechanism', 'bp.breach_window']));
      expect(keys.some((k: string) => k.startsWith('ccpa.'))).toBe(false);
      expect(body.gaps.notRequired.map((x: { clause: string }) => x.clause)).toEqual(expect.arrayContaining(['ccpa.k.limited_purposes', 'pipl.localization']));
      const written = body.gaps.clauses.find((x: { clause: string }) => x.clause === 'gdpr.dpa.written');
      expect(written).toMatchObject({ coverage: 'missing', severity: 'critical', source: expect.stringContaining('28(9)'), reasons: expect.arrayContaining([{ factor: 'jurisdictions', values: ['EU'] }]) });
      expect(body.gaps.counts).toMatchObject({ required: keys.length, present: 0, missing: keys.length, gaps: keys.length });
      expect(body.gaps.gaps[0].severity).toBe('critical');
    });

    it('records entries with parameters and judges them against their thresholds', async () => {
      const c = await newContract(ctx, procurement.token, processor, { title: 'Paylane DPA 2' });
      const body = await setChecklist(ctx, reviewer.token, c.id, 1, [
        { clause: 'gdpr.dpa.written', status: 'present', sectionRef: 'DPA §1' },
        { clause: 'gdpr.breach.processor', status: 'present', sectionRef: 'DPA §9.2', params: { notify_hours: 96 } },
        { clause: 'bp.breach_window', status: 'present', sectionRef: 'DPA §9.2', params: { notify_hours: 60 } },
        { clause: 'gdpr.dpa.audit', status: 'partial', sectionRef: 'DPA §11', notes: 'Reports only, no on-site audit' },
        { clause: 'pipl.localization', status: 'not_applicable', reason: 'Fewer than a million people in China' },
      ]);
      expect(body.contract.version).toBe(2);
      expect(body.checklist.map((e: { clause: string }) => e.clause)).toEqual(['gdpr.dpa.written', 'gdpr.dpa.audit', 'gdpr.breach.processor', 'pipl.localization', 'bp.breach_window']);
      const gapOf = (clause: string) => body.gaps.gaps.filter((g: { clause: string }) => g.clause === clause);
      expect(gapOf('gdpr.dpa.written')).toEqual([]);
      expect(gapOf('gdpr.breach.processor')).toEqual([expect.objectContaining({ kind: 'param_gap', param: 'notify_hours', value: 96, threshold: 72, severity: 'high', contractId: c.id })]);
      expect(gapOf('bp.breach_window')).toEqual([expect.objectContaining({ kind: 'param_weak', param: 'notify_hours', value: 60, threshold: 48 })]);
      expect(gapOf('gdpr.dpa.audit')).toEqual([expect.objectContaining({ kind: 'partial' })]);
      expect(body.gaps.counts).toMatchObject({ present: 3, partial: 1 });
      const events = await ctx.dataSource.getRepository(AuditEventEntity).find({ where: { targetId: c.id, action: 'contract.checklist' } });
      expect(Object.keys(events[0].changes ?? {}).sort()).toEqual(['bp.breach_window', 'gdpr.breach.processor', 'gdpr.dpa.audit', 'gdpr.dpa.written', 'pipl.localization']);

      // Only the entries named change; a repeated entry is no change.
      const again = await setChecklist(ctx, reviewer.token, c.id, 2, [
        { clause: 'gdpr.breach.processor', status: 'present', sectionRef: 'DPA §9.2', params: { notify_hours: 48 } },
        { clause: 'gdpr.dpa.written', status: 'present', sectionRef: 'DPA §1' },
      ]);
      expect(again.gaps.gaps.filter((g: { clause: string }) => g.clause === 'gdpr.breach.processor')).toEqual([]);
      expect(again.checklist).toHaveLength(5);
      expect(again.contract.version).toBe(3);
      // The same entries again change nothing: no new version, no audit entry.
      const same = await setChecklist(ctx, reviewer.token, c.id, 3, [{ clause: 'gdpr.dpa.written', status: 'present', sectionRef: 'DPA §1' }]);
      expect(same.contract.version).toBe(3);
      expect(await ctx.dataSource.getRepository(AuditEventEntity).countBy({ targetId: c.id, action: 'contract.checklist' })).toBe(2);
      const latest = await ctx.dataSource.getRepository(AuditEventEntity).find({ where: { targetId: c.id, action: 'contract.checklist' }, order: { id: 'DESC' }, take: 1 });
      expect(Object.keys(latest[0].changes ?? {})).toEqual(['gdpr.breach.processor']);
    });

    it.each([
      ['an unknown clause key', [{ clause: 'gdpr.dpa.made_up', status: 'present' }], ['entries.0.clause']],
      ['an unknown parameter', [{ clause: 'gdpr.breach.processor', status: 'present', params: { notify_days: 3 } }], ['entries.0.params.notify_days']],
      ['a parameter of the wrong type', [{ clause: 'gdpr.breach.processor', status: 'present', params: { notify_hours: 'soon' } }], ['entries.0.params.notify_hours']],
      ['a fractional number of hours', [{ clause: 'gdpr.breach.processor', status: 'present', params: { notify_hours: 1.5 } }], ['entries.0.params.notify_hours']],
      ['a parameter out of range', [{ clause: 'gdpr.breach.processor', status: 'present', params: { notify_hours: 0 } }], ['entries.0.params.notify_hours']],
      ['parameters on a clause that takes none', [{ clause: 'gdpr.dpa.written', status: 'present', params: { pages: 3 } }], ['entries.0.params.pages']],
      ['not applicable without a reason', [{ clause: 'pipl.localization', status: 'not_applicable' }], ['entries.0.reason']],
      ['a status outside the list', [{ clause: 'gdpr.dpa.written', status: 'maybe' }], ['entries.0.status']],
      ['one bad entry among good ones', [{ clause: 'gdpr.dpa.written', status: 'present' }, { clause: 'bp.nothing', status: 'present' }], ['entries.1.clause']],
    ])('refuses %s with 400 naming the entry, and changes nothing', async (_label, entries, paths) => {
      const c = await newContract(ctx, procurement.token, processor, { title: `Checklist ${_label}` });
      const before = await counts();
      const res = await checklist(c.id, { version: 1, entries });
      expectProblem(res, 400);
      expect(errorPaths(res)).toEqual(paths);
      expect(await counts()).toEqual(before);
    });

    it('refuses a checklist sent with a stale contract version', async () => {
      const c = await newContract(ctx, procurement.token, processor, { title: 'Stale checklist' });
      await setChecklist(ctx, reviewer.token, c.id, 1, [{ clause: 'gdpr.dpa.written', status: 'present' }]);
      expectProblem(await checklist(c.id, { version: 1, entries: [{ clause: 'gdpr.dpa.written', status: 'missing' }] }), 409, 'contract.version_conflict');
    });
  });

  describe("the vendor's gaps over its contracts in force", () => {
    it('counts clauses from every contract in force and none from drafts or ended ones', async () => {
      const vendor = await ctx.newVendor(procurement.id, { name: 'Gapcheck Payments', category: 'payment', profile: { dataCategories: ['payment_card'], volumeBand: '100k_1m', accessLevel: 'api', criticality: 'high', crossBorder: false, jurisdictions: ['EU'] } });
      const empty = (await get(`/api/vendors/${vendor}/contract-gaps`).expect(200)).body;
      expect(empty.contracts).toEqual([]);
      expect(empty.gaps.counts.missing).toBe(empty.gaps.counts.required);

      const msa = await newContract(ctx, procurement.token, vendor, { title: 'MSA', type: 'msa' });
      const dpa = await newContract(ctx, procurement.token, vendor, { title: 'DPA' });
      const draft = await newContract(ctx, procurement.token, vendor, { title: 'Draft PCI addendum', state: 'draft' });
      await setChecklist(ctx, reviewer.token, msa.id, 1, [{ clause: 'pci.12.8.2', status: 'present', sectionRef: 'MSA §14' }]);
      await setChecklist(ctx, reviewer.token, dpa.id, 1, [
        { clause: 'gdpr.dpa.written', status: 'present' },
        { clause: 'bp.breach_window', status: 'present', params: { notify_hours: 24 } },
      ]);
      await setChecklist(ctx, reviewer.token, draft.id, 1, [{ clause: 'pci.12.8.5', status: 'present', params: { matrix_attached: true } }]);

      const { body } = await get(`/api/vendors/${vendor}/contract-gaps`).expect(200);
      expect(body.contracts.map((c: { title: string }) => c.title).sort()).toEqual(['DPA', 'Draft PCI addendum', 'MSA']);
      const coverage = Object.fromEntries(body.gaps.clauses.map((c: { clause: string; coverage: string; contractId: string | null }) => [c.clause, [c.coverage, c.contractId]]));
      expect(coverage['pci.12.8.2']).toEqual(['present', msa.id]);
      expect(coverage['gdpr.dpa.written']).toEqual(['present', dpa.id]);
      expect(coverage['pci.12.8.5']).toEqual(['missing', null]);
      expect(body.gaps.counts.present).toBe(3);
      expect(body.gaps.gaps.map((g: { clause: string }) => g.clause)).not.toContain('gdpr.dpa.written');
    });

    it('answers 404 for a vendor that does not exist', async () => {
      expectProblem(await get('/api/vendors/3f0e4b1c-5a2d-4e8f-9b7a-1c2d3e4f5a6b/contract-gaps'), 404);
    });
  });

  describe('the list', () => {
    it('filters by vendor, status, type and text, sorts by notice deadline, and pages', async () => {
      const vendor = await ctx.newVendor(procurement.id, { name: 'Listing Vendor' });
      await newContract(ctx, procurement.token, vendor, { title: 'Alpha NDA', type: 'nda', reference: 'NDA-7', expiryDate: '2026-04-15', noticeDays: 10 });
      await newContract(ctx, procurement.token, vendor, { title: 'Beta MSA', type: 'msa', expiryDate: '2028-12-31', noticeDays: 90 });
      await newContract(ctx, procurement.token, vendor, { title: 'Gamma order form', type: 'order_form', effectiveDate: '2024-01-01', expiryDate: '2025-12-31', noticeDays: null });
      await newContract(ctx, procurement.token, vendor, { title: 'Delta draft', state: 'draft' });
      const titles = async (query: Record<string, string>) => (await get('/api/contracts').query({ vendorId: vendor, ...query }).expect(200)).body.items.map((c: { title: string }) => c.title);
      // By notice deadline by default; a contract without one (Gamma) comes first on both databases.
      expect(await titles({})).toEqual(['Gamma order form', 'Alpha NDA', 'Delta draft', 'Beta MSA']);
      expect(await titles({ status: 'expiring' })).toEqual(['Alpha NDA']);
      expect(await titles({ status: 'expired' })).toEqual(['Gamma order form']);
      expect(await titles({ status: 'draft' })).toEqual(['Delta draft']);
      expect((await titles({ status: 'active' })).sort()).toEqual(['Beta MSA']);
      expect(await titles({ type: 'msa' })).toEqual(['Beta MSA']);
      expect(await titles({ q: 'nda-7' })).toEqual(['Alpha NDA']);
      expect(await titles({ sort: '-title' })).toEqual(['Gamma order form', 'Delta draft', 'Beta MSA', 'Alpha NDA']);
      const page = (await get('/api/contracts').query({ vendorId: vendor, pageSize: '2', page: '2', sort: 'title' }).expect(200)).body;
      expect({ total: page.total, titles: page.items.map((c: { title: string }) => c.title) }).toEqual({ total: 4, titles: ['Delta draft', 'Gamma order form'] });
      expectProblem(await get('/api/contracts').query({ status: 'old' }), 400, 'common.validation');
    });
  });

  describe('the signed document', () => {
    it('stores a PDF checked by content, serves it back, and refuses a text file named .pdf', async () => {
      const c = await newContract(ctx, procurement.token, courier, { title: 'Signed one' });
      const before = await counts();
      const bad = await ctx.http.post(`/api/contracts/${c.id}/document`).set(bearer(procurement.token)).field('version', '1').attach('file', Buffer.from('just text'), 'contract.pdf');
      expectProblem(bad, 400, 'storage.name_mismatch');
      expect(await counts()).toEqual(before);
      expectProblem(await ctx.http.post(`/api/contracts/${c.id}/document`).set(bearer(procurement.token)).attach('file', PDF, 'signed.pdf'), 400, 'common.validation');
      const ok = await ctx.http.post(`/api/contracts/${c.id}/document`).set(bearer(procurement.token)).field('version', '1').attach('file', PDF, 'signed.pdf').expect(200);
      expect(ok.body.document).toEqual({ name: 'signed.pdf', size: PDF.length, mime: 'application/pdf', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
      const down = await ctx.http.get(`/api/contracts/${c.id}/document`).set(bearer(viewer.token)).buffer(true).parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      });
      expect(down.status).toBe(200);
      expect(Buffer.compare(down.body as Buffer, PDF)).toBe(0);
      expectProblem(await ctx.http.get(`/api/contracts/${(await newContract(ctx, procurement.token, courier, { title: 'Unsigned' })).id}/document`).set(bearer(viewer.token)), 404, 'contract.no_document');
    });
  });

  it('rolls a contract that renewed by itself into its next term, once, audited', async () => {
    const c = await newContract(ctx, procurement.token, courier, { title: 'Rolling SaaS', effectiveDate: '2024-04-01', expiryDate: '2025-03-31', autoRenewal: true, renewalMonths: 12, noticeDays: 30 });
    expect({ termEnd: c.termEnd, noticeDeadline: c.noticeDeadline }).toEqual({ termEnd: '2026-03-31', noticeDeadline: '2026-03-01' });
    const service = ctx.app.get(ContractsService);
    expect(await service.rollTerms('2026-03-31')).toBe(0);
    expect(await service.rollTerms('2026-04-01')).toBeGreaterThanOrEqual(1);
    expect(await service.rollTerms('2026-04-01')).toBe(0);
    const stored = await ctx.dataSource.getRepository(ContractEntity).findOneByOrFail({ id: c.id });
    expect({ termEnd: stored.termEnd, noticeDeadline: stored.noticeDeadline, version: stored.version }).toEqual({ termEnd: '2027-03-31', noticeDeadline: '2027-03-01', version: 1 });
    expect(await auditActions(ctx, c.id)).toEqual(['contract.create', 'contract.renew']);
  });

  it('renews a term ending on the last day of a month to the last day of a month, notice counted from it', async () => {
    const c = await newContract(ctx, procurement.token, courier, { title: 'Half-yearly', effectiveDate: '2025-07-01', expiryDate: '2026-06-30', autoRenewal: true, renewalMonths: 6, noticeDays: 90 });
    const service = ctx.app.get(ContractsService);
    await service.rollTerms('2026-07-01');
    const stored = await ctx.dataSource.getRepository(ContractEntity).findOneByOrFail({ id: c.id });
    expect({ termEnd: stored.termEnd, noticeDeadline: stored.noticeDeadline }).toEqual({ termEnd: '2026-12-31', noticeDeadline: '2026-10-02' });
  });

  it('corrects the end a contract was rolled to by the old rule, when the migration runs', async () => {
    const c = await newContract(ctx, procurement.token, courier, { title: 'Rolled early', effectiveDate: '2025-03-01', expiryDate: '2026-02-28', autoRenewal: true, renewalMonths: 10, noticeDays: 30 });
    // What the old rule stored once the term had rolled: 2026-02-28 + 10 months = 2026-12-28.
    await ctx.dataSource.getRepository(ContractEntity).update({ id: c.id }, { termEnd: '2026-12-28', noticeDeadline: '2026-11-28' });
    await ctx.dataSource.undoLastMigration();
    await ctx.dataSource.runMigrations();
    const stored = await ctx.dataSource.getRepository(ContractEntity).findOneByOrFail({ id: c.id });
    expect({ termEnd: stored.termEnd, noticeDeadline: stored.noticeDeadline }).toEqual({ termEnd: '2026-12-31', noticeDeadline: '2026-12-01' });
  });

  it('publishes the clause library with both languages and every parameter', async () => {
    const { body } = await get('/api/contracts/clauses').expect(200);
    const clauses = body.sets.flatMap((s: { clauses: unknown[] }) => s.clauses);
    expect(clauses.length).toBeGreaterThanOrEqual(40);
    expect(clauses.find((c: { key: string }) => c.key === 'bp.breach_window')).toMatchObject({ params: [expect.objectContaining({ key: 'notify_hours', weakAbove: 48, gapAbove: 72 })] });
  });
});
