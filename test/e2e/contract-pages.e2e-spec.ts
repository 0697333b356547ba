import { pageGet, pagePost, sessionCookie } from '../support/page-client';
import { csrfTokenFor } from '../../src/auth/session-token';
import { PDF } from '../support/assessment-factory';
import { newContract, setChecklist } from '../support/contract-factory';
import { bearer, StaffUser, TestContext } from '../support/test-app';

/** An EU and CN payment processor sending data abroad: GDPR, PIPL, PCI DSS and good practice apply, CCPA does not. */
const PROCESSOR_PROFILE = {
  dataCategories: ['identity', 'payment_card'],
  volumeBand: '100k_1m',
  accessLevel: 'api',
  criticality: 'high',
  crossBorder: true,
  transferCountries: ['CN', 'US'],
  jurisdictions: ['EU', 'CN'],
};

/** Server-rendered contract pages through the real app; the test clock's day is 2026-03-02. */
describe('contract pages', () => {
  let ctx: TestContext;
  let procurement: StaffUser;
  let reviewer: StaffUser;
  let viewer: StaffUser;
  let processor: string;
  let courier: string;

  const cookie = sessionCookie;
  const get = (u: StaffUser, path: string) => pageGet(ctx, u, path);
  const post = (u: StaffUser, path: string, fields: Record<string, string | string[]> = {}) => pagePost(ctx, u, path, fields);
  /** The rendered row of one clause of the checklist. */
  const clause = (html: string, key: string) => {
    const start = html.indexOf(`id="cl-${key.replace(/\./g, '-')}"`);
    expect(start).toBeGreaterThan(-1);
    return html.slice(start, html.indexOf('</article>', start));
  };
  const selected = (html: string, name: string) => new RegExp(`<select[^>]*name="${name.replace(/\./g, '\\.')}"[^>]*>[\\s\\S]*?<option value="([^"]*)" selected>`).exec(html)?.[1] ?? null;
  const apiChecklist = async (id: string) => (await ctx.http.get(`/api/contracts/${id}`).set(bearer(viewer.token)).expect(200)).body;

  const contractFields = (overrides: Record<string, string> = {}) => ({
    vendorId: processor,
    title: 'Paylane DPA via the form',
    reference: 'DPA-2026-007',
    type: 'dpa',
    counterparty: '',
    state: 'active',
    effectiveDate: '2025-06-01',
    expiryDate: '2027-05-31',
    renewalMonths: '',
    noticeDays: '90',
    value: '120000.00',
    currency: 'eur',
    ownerId: '',
    notes: 'Signed by both sides',
    ...overrides,
  });

  beforeAll(async () => {
    ctx = await TestContext.create();
    procurement = await ctx.newUser('procurement');
    reviewer = await ctx.newUser('reviewer');
    viewer = await ctx.newUser('viewer');
    processor = await ctx.newVendor(procurement.id, { name: 'Paylane Processing', legalEntity: 'Paylane Processing B.V.', category: 'payment', profile: PROCESSOR_PROFILE });
    courier = await ctx.newVendor(procurement.id, { name: 'Quick Parcel' });
  });
  afterAll(async () => ctx.close());

  describe('the list', () => {
    it('filters by vendor, status, type and text, shows dates and status, and offers a new contract to managers only', async () => {
      const vendor = await ctx.newVendor(procurement.id, { name: 'Listing Logistics' });
      const nda = await newContract(ctx, procurement.token, vendor, { title: 'Listing NDA', type: 'nda', reference: 'NDA-77', expiryDate: '2026-04-15', noticeDays: 10 });
      const msa = await newContract(ctx, procurement.token, vendor, { title: 'Listing MSA', type: 'msa', expiryDate: '2028-12-31', noticeDays: 90 });

      const all = await get(viewer, `/contracts?vendorId=${vendor}`);
      expect(all.status).toBe(200);
      expect(all.text).toContain('2 contracts');
      expect(all.text).toContain(`href="/contracts/${nda.id}"`);
      expect(all.text).toContain(`href="/contracts/${msa.id}"`);
      expect(all.text).toContain('Listing Logistics');
      expect(all.text).not.toContain('href="/contracts/new');

      const expiring = await get(viewer, `/contracts?vendorId=${vendor}&status=expiring&type=&q=`);
      expect(expiring.status).toBe(200);
      expect(expiring.text).toContain('1 contracts');
      expect(expiring.text).toContain('Listing NDA');
      expect(expiring.text).not.toContain('Listing MSA');
      expect(expiring.text).toContain('<span class="pill contract-expiring">Expiring soon</span>');
      expect(expiring.text).toContain('<time datetime="2026-04-15">2026-04-15</time>');
      expect(expiring.text).toContain('<time datetime="2026-04-05">2026-04-05</time>');
      expect(expiring.text).toMatch(/<option value="expiring" selected>/);

      const typed = await get(viewer, `/contracts?type=msa&vendorId=${vendor}`);
      expect(typed.text).toContain('Listing MSA');
      expect(typed.text).not.toContain('Listing NDA');
      const searched = await get(viewer, '/contracts?q=nda-77');
      expect(searched.text).toContain('Listing NDA');
      expect(searched.text).not.toContain('Listing MSA');
      const sorted = await get(viewer, `/contracts?vendorId=${vendor}&sort=-title`);
      expect(sorted.text.indexOf('Listing NDA')).toBeLessThan(sorted.text.indexOf('Listing MSA'));

      // The dashboard links contracts whose notice deadline is near; the filter is kept and can be removed.
      const near = await get(viewer, `/contracts?noticeWithinDays=60&vendorId=${vendor}`);
      expect(near.text).toContain('Listing NDA');
      expect(near.text).not.toContain('Listing MSA');
      expect(near.text).toContain('Notice deadline within 60 days');
      expect(near.text).toContain('<input type="hidden" name="noticeWithinDays" value="60">');
      expect(near.text).toContain(`href="/contracts?vendorId=${vendor}">show all</a>`);
      expect((await get(viewer, '/contracts?status=old')).status).toBe(400);
      const asBuyer = await get(procurement, `/contracts?vendorId=${vendor}`);
      expect(asBuyer.text).toContain(`href="/contracts/new?vendorId=${vendor}"`);
      // The navigation links the list for every role that reads contracts.
      expect(all.text).toMatch(/<a href="\/contracts" aria-current="page">Contracts<\/a>/);
    });
  });

  describe('the form', () => {
    it('creates a contract for the vendor it was opened from and goes to it', async () => {
      const page = await get(procurement, `/contracts/new?vendorId=${processor}`);
      expect(page.status).toBe(200);
      expect(page.text).toContain(`<input type="hidden" name="vendorId" value="${processor}">`);
      expect(page.text).toContain('Paylane Processing');

      const res = await post(procurement, '/contracts', contractFields());
      expect(res.status).toBe(303);
      const location = String(res.headers.location);
      expect(location).toMatch(/^\/contracts\/[0-9a-f-]{36}\?notice=created$/);
      const detail = await get(procurement, location);
      expect(detail.text).toContain('The contract is added.');
      expect(detail.text).toContain('<h1>Paylane DPA via the form</h1>');
      // The counterparty defaults to the vendor legal entity; the notice deadline is derived.
      expect(detail.text).toContain('Paylane Processing B.V.');
      expect(detail.text).toContain('<time datetime="2027-03-02" class="big">2027-03-02</time>');
      expect(detail.text).toContain('120000.00 EUR');
    });

    it('offers the vendors to pick from when opened without one', async () => {
      const page = await get(procurement, '/contracts/new');
      expect(page.status).toBe(200);
      expect(page.text).toContain(`<option value="${processor}">Paylane Processing</option>`);
      expect(page.text).toContain(`<option value="${courier}">Quick Parcel</option>`);
    });

    it('keeps what was typed and explains each error in words', async () => {
      const before = await ctx.counts();
      const invalid = await post(procurement, '/contracts', contractFields({ title: '', renewalMonths: 'twelve', notes: 'Kept note' }));
      expect(invalid.status).toBe(400);
      expect(invalid.text).toContain('Give a title of 1 to 200 characters.');
      expect(invalid.text).toContain('Enter a whole number of months from 1 to 120.');
      expect(invalid.text).toContain('value="twelve"');
      expect(invalid.text).toContain('Kept note');
      expect(invalid.text).toMatch(/id="contract-title"[^>]*aria-invalid="true"/);

      // Dates that do not fit together are refused by the service, with the field named.
      const dates = await post(procurement, '/contracts', contractFields({ title: 'Kept title', effectiveDate: '2026-05-01', expiryDate: '2026-04-30' }));
      expect(dates.status).toBe(400);
      expect(dates.text).toContain('The expiry date must not be before the effective date.');
      expect(dates.text).toContain('value="Kept title"');
      expect(dates.text).toContain('value="2026-04-30"');
      const renew = await post(procurement, '/contracts', contractFields({ autoRenewal: 'true' }));
      expect(renew.status).toBe(400);
      expect(renew.text).toContain('Give the length of each renewal in months.');
      expect(renew.text).toMatch(/id="contract-autoRenewal" name="autoRenewal" value="true" checked/);
      expect(await ctx.counts()).toEqual(before);
    });

    it('edits with the version read, and answers a stale one with a clear message and the current values', async () => {
      const c = await newContract(ctx, procurement.token, courier, { title: 'Courier MSA', type: 'msa' });
      const page = await get(procurement, `/contracts/${c.id}/edit`);
      expect(page.status).toBe(200);
      expect(page.text).toContain('<input type="hidden" name="version" value="1">');
      expect(page.text).toContain('value="Courier MSA"');
      const edit = (fields: Record<string, string>) =>
        post(procurement, `/contracts/${c.id}`, { ...contractFields({ title: 'Courier MSA', type: 'msa', reference: 'DPA-2025-001', counterparty: 'Vendor 2 Ltd.', value: '', currency: '', notes: '', ownerId: procurement.id }), ...fields });

      const saved = await edit({ version: '1', notes: 'Rates renegotiated' });
      expect(saved.status).toBe(303);
      expect(saved.headers.location).toBe(`/contracts/${c.id}?notice=updated`);
      expect((await get(procurement, String(saved.headers.location))).text).toContain('Rates renegotiated');

      const stale = await edit({ version: '1', notes: 'Lost update', noticeDays: '60' });
      expect(stale.status).toBe(409);
      expect(stale.text).toContain('Someone changed this contract after you opened the page.');
      expect(stale.text).toContain('The contract as it is now');
      expect(stale.text).toMatch(/<dt>Notes<\/dt><dd>Rates renegotiated<\/dd>/);
      expect(stale.text).toMatch(/<dt>Notice period \(days\)<\/dt><dd>90<\/dd>/);
      expect(stale.text).toContain('<input type="hidden" name="version" value="2">');
      expect(stale.text).toContain('Lost update');
      expect((await apiChecklist(c.id)).contract.notes).toBe('Rates renegotiated');
    });
  });

  describe('one contract and its clause checklist', () => {
    it('shows the clauses that apply to an EU and CN payment processor, why, and their gaps', async () => {
      const c = await newContract(ctx, procurement.token, processor, { title: 'Paylane DPA' });
      const res = await get(viewer, `/contracts/${c.id}`);
      expect(res.status).toBe(200);
      const html = res.text;
      for (const heading of ['EU GDPR: processor agreement', 'China PIPL: entrusted processing agreement', 'PCI DSS: agreements with service providers', 'Good practice for every processor']) {
        expect(html).toContain(heading);
      }
      expect(html).not.toContain('California CCPA');
      const written = clause(html, 'gdpr.dpa.written');
      expect(written).toContain('Written data processing agreement');
      expect(written).toContain('GDPR Art. 28(9)');
      expect(written).toContain('personal data of people in: EU (GDPR)');
      expect(written).toContain('missing from the contract');
      expect(written).toContain('badge tier-critical');
      expect(clause(html, 'pipl.entrust.agreement')).toContain('personal data of people in: China (PIPL)');
      expect(clause(html, 'pci.12.8.2')).toContain('payment card data');
      // "personal data" goes without saying beside "personal data of people in: EU".
      expect(written).not.toMatch(/<dd>personal data;/);
      expect(clause(html, 'bp.security_annex')).toContain('<dd>personal data</dd>');
      expect(clause(html, 'pipl.xborder.mechanism')).toContain('data leaves the country');
      expect(clause(html, 'bp.cyber_insurance')).toMatch(/tier (High|Critical), at least High/);
      // The summary counts the clauses, and the gap list starts with the most severe.
      const required = Number(/Required <strong>(\d+)<\/strong>/.exec(html)?.[1]);
      expect(required).toBeGreaterThan(25);
      expect(html).toContain(`Missing <strong>${required}</strong>`);
      const gapList = html.slice(html.indexOf('class="plain-list gap-list"'), html.indexOf('</ol>', html.indexOf('class="plain-list gap-list"')));
      expect(gapList.indexOf('tier-critical')).toBeLessThan(gapList.indexOf('tier-high'));
      expect(gapList.indexOf('tier-high')).toBeLessThan(gapList.indexOf('tier-medium'));
      // What does not apply is collapsed, each with the fact that ruled it out.
      const ruledOut = html.slice(html.indexOf('<details class="card review-box'), html.indexOf('</details>'));
      expect(ruledOut).toContain('Clauses that do not apply to this vendor');
      expect(ruledOut).toContain('Limited and specified purposes');
      expect(ruledOut).toContain('Ruled out: no personal data of people in: California (CCPA)');
      expect(ruledOut).toContain('Storage in China for large volumes');
      expect(ruledOut).toContain('applies only to Over 1 million records');
    });

    it('saves the checklist from the form and shows the new gaps', async () => {
      const c = await newContract(ctx, procurement.token, processor, { title: 'Paylane DPA 2' });
      const page = await get(reviewer, `/contracts/${c.id}`);
      expect(page.text).toContain(`action="/contracts/${c.id}/checklist"`);
      // A clause never recorded starts on "Not recorded", which saves nothing.
      expect(clause(page.text, 'gdpr.dpa.written')).toMatch(/name="gdpr\.dpa\.written\.status">\s*<option value="">Not recorded<\/option>/);
      expect(selected(page.text, 'gdpr.dpa.written.status')).toBeNull();
      const res = await post(reviewer, `/contracts/${c.id}/checklist`, {
        version: '1',
        'gdpr.dpa.written.status': 'present',
        'gdpr.dpa.written.sectionRef': 'DPA §1',
        'gdpr.breach.processor.status': 'present',
        'gdpr.breach.processor.sectionRef': 'DPA §9.2',
        'gdpr.breach.processor.params.notify_hours': '96',
        'gdpr.dpa.audit.status': 'partial',
        'gdpr.dpa.audit.params.on_site_audit': 'false',
        'pci.12.8.5.status': 'present',
        'pci.12.8.5.params.matrix_attached': '',
        'pipl.pia.status': 'not_applicable',
        'pipl.pia.reason': 'Done by us before signing',
        // Rows left empty are not entries.
        'gdpr.dpa.scope.status': '',
        'gdpr.dpa.scope.sectionRef': '',
      });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`/contracts/${c.id}?notice=checklist_saved#checklist`);
      const api = await apiChecklist(c.id);
      expect(api.checklist.map((e: { clause: string }) => e.clause).sort()).toEqual(['gdpr.breach.processor', 'gdpr.dpa.audit', 'gdpr.dpa.written', 'pci.12.8.5', 'pipl.pia']);
      expect(api.checklist.find((e: { clause: string }) => e.clause === 'gdpr.breach.processor').params).toEqual({ notify_hours: 96 });
      expect(api.contract.version).toBe(2);

      const after = await get(reviewer, `/contracts/${c.id}?notice=checklist_saved`);
      expect(after.text).toContain('The clause checklist is saved.');
      expect(after.text).toContain('<input type="hidden" name="version" value="2">');
      expect(clause(after.text, 'gdpr.breach.processor')).toContain('Hours to notify us of a breach: 96 h; over 72 h is a gap');
      expect(clause(after.text, 'pci.12.8.5')).toContain('Responsibility matrix attached or referenced: not stated');
      expect(clause(after.text, 'gdpr.dpa.audit')).toContain('covered only in part');
      expect(clause(after.text, 'gdpr.dpa.written')).not.toContain('missing from the contract');
      expect(selected(after.text, 'gdpr.dpa.written.status')).toBe('present');
      expect(selected(after.text, 'gdpr.dpa.audit.params.on_site_audit')).toBe('false');
      expect(after.text).toContain('value="DPA §9.2"');
      expect(after.text).toMatch(/Present <strong>3<\/strong>/);
      expect(after.text).toMatch(/Not applicable <strong>1<\/strong>/);
    });

    it('re-shows the form with the error when a clause is marked not applicable without a reason, and saves nothing', async () => {
      const c = await newContract(ctx, procurement.token, processor, { title: 'Paylane DPA 3' });
      const before = await ctx.counts();
      const res = await post(reviewer, `/contracts/${c.id}/checklist`, {
        version: '1',
        'gdpr.dpa.scope.status': 'present',
        'gdpr.dpa.scope.sectionRef': 'Annex 1',
        'pipl.localization.status': 'not_applicable',
        'pipl.pia.status': 'not_applicable',
        'pipl.pia.reason': '',
        'bp.breach_window.status': 'present',
        'bp.breach_window.params.notify_hours': '0',
      });
      expect(res.status).toBe(400);
      expect(clause(res.text, 'pipl.pia')).toContain('Say why the clause does not apply (1,000 characters at most).');
      expect(clause(res.text, 'pipl.pia')).toMatch(/id="cl-pipl-pia-reason"[^>]*aria-invalid="true"/);
      expect(clause(res.text, 'bp.breach_window')).toContain('Enter a whole number from 1 to 720.');
      expect(res.text).toContain('fields of the checklist need your attention; nothing was saved.');
      expect(selected(res.text, 'pipl.pia.status')).toBe('not_applicable');
      expect(selected(res.text, 'gdpr.dpa.scope.status')).toBe('present');
      expect(res.text).toContain('value="Annex 1"');
      expect(await ctx.counts()).toEqual(before);

      // A row with a section but no status is pointed at, not guessed.
      const noStatus = await post(reviewer, `/contracts/${c.id}/checklist`, { version: '1', 'gdpr.dpa.security.sectionRef': 'Annex 2' });
      expect(noStatus.status).toBe(400);
      expect(clause(noStatus.text, 'gdpr.dpa.security')).toContain('Choose what the contract says about this clause, or clear its other fields.');

      // A stale version is a conflict: the input is kept and the form takes the current version.
      await setChecklist(ctx, procurement.token, c.id, 1, [{ clause: 'gdpr.dpa.written', status: 'present' }]);
      const stale = await post(reviewer, `/contracts/${c.id}/checklist`, { version: '1', 'gdpr.dpa.scope.status': 'partial' });
      expect(stale.status).toBe(409);
      expect(stale.text).toContain('Someone changed this contract after you opened the page.');
      expect(selected(stale.text, 'gdpr.dpa.scope.status')).toBe('partial');
      expect(stale.text).toContain('<input type="hidden" name="version" value="2">');
    });

    it('attaches the signed document through the form and refuses a file that is not what its name says', async () => {
      const c = await newContract(ctx, procurement.token, courier, { title: 'Signed through the page' });
      const upload = (name: string, data: Buffer, version = '1') =>
        ctx.http.post(`/contracts/${c.id}/document`).set('Cookie', cookie(procurement)).field('_csrf', csrfTokenFor(procurement.token)).field('version', version).attach('file', data, name);
      const bad = await upload('contract.pdf', Buffer.from('just text'));
      expect(bad.status).toBe(400);
      expect(bad.text).toContain('extension does not match its content');
      const ok = await upload('signed.pdf', PDF);
      expect(ok.status).toBe(303);
      const page = await get(viewer, `/contracts/${c.id}`);
      expect(page.text).toContain(`<a href="/api/contracts/${c.id}/document" download>signed.pdf</a>`);
      expect(page.text).not.toContain('enctype="multipart/form-data"');
      expect((await ctx.http.get(`/api/contracts/${c.id}/document`).set('Cookie', cookie(viewer))).status).toBe(200);
    });

    it('terminates with a date and a reason; after that nothing on it changes', async () => {
      const c = await newContract(ctx, procurement.token, courier, { title: 'To be ended' });
      const short = await post(procurement, `/contracts/${c.id}/terminate`, { version: '1', terminatedOn: '2026-02-28', reason: 'No' });
      expect(short.status).toBe(400);
      expect(short.text).toContain('Give a reason of 5 to 1,000 characters.');
      const early = await post(procurement, `/contracts/${c.id}/terminate`, { version: '1', terminatedOn: '2020-01-01', reason: 'Vendor replaced' });
      expect(early.status).toBe(400);
      expect(early.text).toContain('The contract cannot end before its effective date.');
      expect(early.text).toContain('Vendor replaced');
      const ended = await post(procurement, `/contracts/${c.id}/terminate`, { version: '1', terminatedOn: '2026-02-28', reason: 'Vendor replaced' });
      expect(ended.status).toBe(303);
      const page = await get(procurement, String(ended.headers.location));
      expect(page.text).toContain('The contract is terminated.');
      expect(page.text).toContain('<span class="pill contract-terminated">Terminated</span>');
      expect(page.text).not.toContain(`href="/contracts/${c.id}/edit"`);
      expect(page.text).not.toContain(`action="/contracts/${c.id}/checklist"`);
      expect(page.text).toContain('The contract is terminated: its checklist can no longer change.');
      const edit = await get(procurement, `/contracts/${c.id}/edit`);
      expect(edit.status).toBe(409);
      expect(edit.text).toContain('The contract is terminated and can no longer change.');
    });
  });

  describe('permissions', () => {
    it('shows a viewer no forms and refuses its posts; a reviewer gets the checklist only', async () => {
      const c = await newContract(ctx, procurement.token, processor, { title: 'Read only for viewers' });
      const page = await get(viewer, `/contracts/${c.id}`);
      expect(page.status).toBe(200);
      expect(page.text).not.toMatch(/<form method="post" action="\/contracts/);
      expect(page.text).not.toContain(`href="/contracts/${c.id}/edit"`);
      expect(clause(page.text, 'gdpr.dpa.written')).toContain('Not recorded');
      const before = await ctx.counts();
      expect((await get(viewer, '/contracts/new')).status).toBe(403);
      expect((await get(viewer, `/contracts/${c.id}/edit`)).status).toBe(403);
      expect((await post(viewer, '/contracts', contractFields())).status).toBe(403);
      expect((await post(viewer, `/contracts/${c.id}`, { ...contractFields(), version: '1' })).status).toBe(403);
      expect((await post(viewer, `/contracts/${c.id}/checklist`, { version: '1', 'gdpr.dpa.written.status': 'present' })).status).toBe(403);
      expect((await post(viewer, `/contracts/${c.id}/terminate`, { version: '1', terminatedOn: '2026-03-01', reason: 'Not allowed' })).status).toBe(403);
      expect(await ctx.counts()).toEqual(before);

      const asReviewer = await get(reviewer, `/contracts/${c.id}`);
      expect(asReviewer.text).toContain(`action="/contracts/${c.id}/checklist"`);
      expect(asReviewer.text).not.toContain(`action="/contracts/${c.id}/terminate"`);
      expect(asReviewer.text).not.toContain(`action="/contracts/${c.id}/document"`);
      expect((await post(reviewer, `/contracts/${c.id}/terminate`, { version: '1', terminatedOn: '2026-03-01', reason: 'Not allowed' })).status).toBe(403);
      expect((await get(reviewer, '/contracts/new')).status).toBe(403);
    });
  });

  describe('the vendor page', () => {
    it('shows the contracts block with statuses, notice deadlines, clause coverage and top gaps', async () => {
      const vendor = await ctx.newVendor(procurement.id, { name: 'Blockcheck Payments', category: 'payment', profile: PROCESSOR_PROFILE });
      const dpa = await newContract(ctx, procurement.token, vendor, { title: 'Blockcheck DPA' });
      await newContract(ctx, procurement.token, vendor, { title: 'Blockcheck draft', state: 'draft' });
      await setChecklist(ctx, reviewer.token, dpa.id, 1, [{ clause: 'gdpr.dpa.written', status: 'present' }]);

      const res = await get(viewer, `/vendors/${vendor}`);
      expect(res.status).toBe(200);
      const block = res.text.slice(res.text.indexOf('id="contracts"'), res.text.indexOf('</section>', res.text.indexOf('id="contracts"')));
      expect(block).toContain(`<a href="/contracts/${dpa.id}">Blockcheck DPA</a>`);
      expect(block).toContain('<span class="pill contract-active">Active</span>');
      expect(block).toContain('notice by 2027-03-02');
      expect(block).toContain('Blockcheck draft');
      expect(block).toContain('Clause coverage');
      expect(block).toMatch(/Present <strong>1<\/strong>/);
      expect(block).toContain('Written entrustment agreement: missing from the contract');
      expect(block).not.toContain('Written data processing agreement: missing');
      expect(block).not.toContain('/contracts/new');
      expect(block).toContain(`href="/contracts?vendorId=${vendor}"`);
      expect((await get(procurement, `/vendors/${vendor}`)).text).toContain(`href="/contracts/new?vendorId=${vendor}"`);
    });
  });

  describe('in Chinese', () => {
    it('shows the clause titles, reasons and gaps in Chinese', async () => {
      const c = await newContract(ctx, procurement.token, processor, { title: 'Paylane 中文' });
      await setChecklist(ctx, reviewer.token, c.id, 1, [{ clause: 'bp.breach_window', status: 'present', params: { notify_hours: 60 } }]);
      const res = await ctx.http.get(`/contracts/${c.id}`).set('Cookie', `${cookie(viewer)}; vdp_lang=zh-CN`);
      expect(res.status).toBe(200);
      expect(res.text).toContain('<html lang="zh-CN">');
      expect(res.text).toContain('书面数据处理协议');
      expect(res.text).toContain('委托处理协议');
      expect(res.text).toContain('欧盟 GDPR：数据处理协议');
      expect(res.text).toContain('涉及以下地区个人的个人信息：欧盟（GDPR）');
      expect(res.text).toContain('条款核查表');
      expect(clause(res.text, 'bp.breach_window')).toContain('通知我方安全事件的时限（小时）：60 小时；超过 48 小时 视为薄弱');
      const vendorPage = await ctx.http.get(`/vendors/${processor}`).set('Cookie', `${cookie(viewer)}; vdp_lang=zh-CN`);
      expect(vendorPage.text).toContain('条款覆盖情况');
    });
  });
});
