import fs from 'node:fs';
import { VendorEntity } from '../../src/vendors/vendor.entity';
import { AuditEventEntity } from '../../src/audit/audit-event.entity';
import { csrfTokenFor } from '../../src/auth/session-token';
import { ADMIN_EMAIL, ADMIN_PASSWORD, StaffUser, TestContext, USER_PASSWORD } from '../support/test-app';

/** Server-rendered pages through the real app: sessions by cookie, forms with CSRF tokens. */
describe('pages', () => {
  let ctx: TestContext;
  let admin: StaffUser;
  let viewer: StaffUser;
  let procurement: StaffUser;
  let vendorId: string;

  const cookie = (u: StaffUser) => `vdp_session=${u.token}`;
  const form = (u: StaffUser, fields: Record<string, string | string[]>) => {
    const p = new URLSearchParams({ _csrf: csrfTokenFor(u.token) });
    for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) p.append(k, x);
    return p.toString();
  };
  const vendorForm = (ownerId: string, overrides: Record<string, string | string[]> = {}) => ({
    name: 'Harbour Couriers',
    country: 'nl',
    category: 'logistics',
    ownerId,
    status: 'onboarding',
    'contact.name': 'Pim',
    'contact.email': 'pim@harbour.example',
    'contact.language': 'en',
    'profile.dataCategories': ['contact'],
    'profile.volumeBand': '1k_100k',
    'profile.accessLevel': 'file_exchange',
    'profile.criticality': 'moderate',
    'profile.jurisdictions': ['EU'],
    ...overrides,
  });

  /** The sign-in form's double-submit token: its cookie and its hidden field. */
  const loginForm = async () => {
    const page = await ctx.http.get('/login');
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    const setCookie = String(page.headers['set-cookie']);
    expect(setCookie).toMatch(/vdp_login_csrf=[^;]+;.*SameSite=Strict/i);
    return { cookie: `vdp_login_csrf=${token}`, _csrf: token };
  };
  const signIn = async (fields: Record<string, string>) => {
    const { cookie: c, _csrf } = await loginForm();
    return ctx.http.post('/login').set('Cookie', c).type('form').send({ _csrf, ...fields });
  };

  beforeAll(async () => {
    ctx = await TestContext.create();
    admin = await ctx.admin();
    viewer = await ctx.newUser('viewer');
    procurement = await ctx.newUser('procurement');
    vendorId = await ctx.newVendor(procurement.id, { name: 'Existing <script>alert(1)</script> Ltd' } as never);
  });
  afterAll(async () => ctx.close());

  it('sends anonymous visitors to sign in, remembering where they were going', async () => {
    const res = await ctx.http.get('/vendors/new');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/login?next=%2Fvendors%2Fnew');
    const login = await ctx.http.get('/login?next=%2Fvendors%2Fnew');
    expect(login.status).toBe(200);
    expect(login.text).toContain('name="next" value="/vendors/new"');
  });

  it('signs in by form and redirects only to same-site paths', async () => {
    const ok = await signIn({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD, next: '/vendors?tier=high' });
    expect(ok.status).toBe(303);
    expect(ok.headers.location).toBe('/vendors?tier=high');
    expect(String(ok.headers['set-cookie'])).toMatch(/vdp_session=.+HttpOnly/i);
    const offsite = await signIn({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD, next: '//evil.example/x' });
    expect(offsite.headers.location).toBe('/vendors');
  });

  it('refuses a sign-in form posted without its token (login CSRF)', async () => {
    const forged = await ctx.http.post('/login').type('form').send({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
    expect(forged.status).toBe(403);
    expect(String(forged.headers['set-cookie'] ?? '')).not.toMatch(/vdp_session=[^;]+/);
    const wrong = await ctx.http
      .post('/login')
      .set('Cookie', 'vdp_login_csrf=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa')
      .type('form')
      .send({ _csrf: 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb', email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
    expect(wrong.status).toBe(403);
    expect(wrong.text).toContain('The sign-in form had expired');
  });

  it('re-renders the sign-in form with a generic message on failure', async () => {
    const res = await signIn({ email: ADMIN_EMAIL, password: 'wrong password here' });
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.text).toContain('Sign-in failed');
    expect(res.text).toContain(`value="${ADMIN_EMAIL}"`);
    expect(res.text).not.toContain('wrong password here');
  });

  it('escapes what users typed', async () => {
    const res = await ctx.http.get('/vendors').set('Cookie', cookie(viewer));
    expect(res.status).toBe(200);
    expect(res.text).toContain('Existing &lt;script&gt;alert(1)&lt;/script&gt; Ltd');
    expect(res.text).not.toContain('<script>alert(1)</script>');
    const detail = await ctx.http.get(`/vendors/${vendorId}`).set('Cookie', cookie(viewer));
    expect(detail.text).not.toContain('<script>alert(1)</script>');
  });

  it('sends security headers on pages', async () => {
    const res = await ctx.http.get('/login');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
  });

  it('shows each role only what it may do', async () => {
    const asViewer = await ctx.http.get(`/vendors/${vendorId}`).set('Cookie', cookie(viewer));
    expect(asViewer.text).not.toContain('/tier-override');
    expect(asViewer.text).not.toContain('/archive');
    expect(asViewer.text).not.toContain('href="/vendors/new"');
    const asBuyer = await ctx.http.get(`/vendors/${vendorId}`).set('Cookie', cookie(procurement));
    expect(asBuyer.text).toContain('/tier-override');
    expect(asBuyer.text).toContain('/archive');
    expect(asBuyer.text).not.toContain('href="/admin/users"');

    expect((await ctx.http.get('/vendors/new').set('Cookie', cookie(viewer))).status).toBe(403);
    expect((await ctx.http.get('/admin/users').set('Cookie', cookie(procurement))).status).toBe(403);
    expect((await ctx.http.get('/admin/users').set('Cookie', cookie(admin))).status).toBe(200);
    const denied = await ctx.http.post('/vendors').set('Cookie', cookie(viewer)).type('form').send(form(viewer, vendorForm(viewer.id)));
    expect(denied.status).toBe(403);
    expect(denied.headers['content-type']).toContain('text/html');
  });

  it('refuses a form post without the CSRF token and changes nothing', async () => {
    const before = await ctx.dataSource.getRepository(VendorEntity).count();
    const p = new URLSearchParams(vendorForm(procurement.id) as never);
    const res = await ctx.http.post('/vendors').set('Cookie', cookie(procurement)).type('form').send(p.toString());
    expect(res.status).toBe(403);
    expect(await ctx.dataSource.getRepository(VendorEntity).count()).toBe(before);
  });

  it('onboards a vendor by form and shows its tier and next review date', async () => {
    const res = await ctx.http.post('/vendors').set('Cookie', cookie(procurement)).type('form').send(form(procurement, vendorForm(procurement.id)));
    expect(res.status).toBe(303);
    const location = res.headers.location as string;
    expect(location).toMatch(/^\/vendors\/[0-9a-f-]{36}\?notice=created$/);
    const page = await ctx.http.get(location).set('Cookie', cookie(procurement));
    expect(page.text).toContain('Harbour Couriers');
    expect(page.text).toContain('The vendor is onboarded.');
    expect(page.text).toMatch(/Inherent risk: <strong>Medium<\/strong>, from 5 points/);
    expect(page.text).toContain('2028-03-02'); // medium: 24 months after 2026-03-02
    const saved = await ctx.dataSource.getRepository(VendorEntity).findOneByOrFail({ name: 'Harbour Couriers' });
    expect(saved).toMatchObject({ country: 'NL', tier: 'medium', tierScore: 5, dataCategories: ['contact'] });
  });

  it('re-renders the form with field errors and keeps what was typed', async () => {
    const before = await ctx.dataSource.getRepository(VendorEntity).count();
    const res = await ctx.http
      .post('/vendors')
      .set('Cookie', cookie(procurement))
      .type('form')
      .send(form(procurement, vendorForm(procurement.id, { name: 'Half-typed vendor', 'contact.email': 'not-an-email', country: 'Germany', 'profile.crossBorder': 'true' })));
    expect(res.status).toBe(400);
    expect(res.text).toContain('value="Half-typed vendor"');
    expect(res.text).toContain('id="contact.email-error"');
    expect(res.text).toContain('id="country-error"');
    expect(res.text).toContain('id="profile.transferCountries-error"');
    expect(await ctx.dataSource.getRepository(VendorEntity).count()).toBe(before);
  });

  it('edits, overrides the tier with a reason, archives and restores by form, all audited', async () => {
    const id = await ctx.newVendor(procurement.id);
    const edit = await ctx.http.get(`/vendors/${id}/edit`).set('Cookie', cookie(procurement));
    expect(edit.status).toBe(200);
    const version = /name="version" value="(\d+)"/.exec(edit.text)![1];
    const saved = await ctx.http
      .post(`/vendors/${id}`)
      .set('Cookie', cookie(procurement))
      .type('form')
      .send(form(procurement, { ...vendorForm(procurement.id, { name: 'Renamed Vendor', 'profile.criticality': 'high' }), version }));
    expect(saved.status).toBe(303);
    const stale = await ctx.http
      .post(`/vendors/${id}`)
      .set('Cookie', cookie(procurement))
      .type('form')
      .send(form(procurement, { ...vendorForm(procurement.id, { name: 'Lost update' }), version }));
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('value="Lost update"');

    const noReason = await ctx.http.post(`/vendors/${id}/tier-override`).set('Cookie', cookie(procurement)).type('form').send(form(procurement, { tier: 'critical', reason: 'short' }));
    expect(noReason.status).toBe(400);
    const override = await ctx.http
      .post(`/vendors/${id}/tier-override`)
      .set('Cookie', cookie(procurement))
      .type('form')
      .send(form(procurement, { tier: 'critical', reason: 'Hosts the only copy of our order history.' }));
    expect(override.status).toBe(303);
    const archived = await ctx.http.post(`/vendors/${id}/archive`).set('Cookie', cookie(procurement)).type('form').send(form(procurement, { reason: 'Contract ended' }));
    expect(archived.status).toBe(303);
    const restoreDenied = await ctx.http.post(`/vendors/${id}/restore`).set('Cookie', cookie(procurement)).type('form').send(form(procurement, {}));
    expect(restoreDenied.status).toBe(403);
    const restored = await ctx.http.post(`/vendors/${id}/restore`).set('Cookie', cookie(admin)).type('form').send(form(admin, {}));
    expect(restored.status).toBe(303);

    const v = await ctx.dataSource.getRepository(VendorEntity).findOneByOrFail({ id });
    expect(v).toMatchObject({ name: 'Renamed Vendor', tier: 'critical', computedTier: 'high', tierOverrideReason: 'Hosts the only copy of our order history.', archivedAt: null });
    const actions = (await ctx.dataSource.getRepository(AuditEventEntity).find({ where: { targetId: id }, order: { id: 'ASC' } })).map((e) => e.action);
    expect(actions).toEqual(['vendor.create', 'vendor.update', 'vendor.tier_override', 'vendor.archive', 'vendor.restore']);
  });

  it('renders in Simplified Chinese when asked, and remembers it', async () => {
    const res = await ctx.http.get('/vendors?lang=zh-CN').set('Cookie', cookie(viewer));
    expect(res.text).toContain('<html lang="zh-CN">');
    expect(res.text).toContain('供应商名册');
    const remembered = String(res.headers['set-cookie']);
    expect(remembered).toContain('vdp_lang=zh-CN');
    const next = await ctx.http.get(`/vendors/${vendorId}`).set('Cookie', `${cookie(viewer)}; vdp_lang=zh-CN`);
    expect(next.text).toContain('风险等级依据');
    const errors = await ctx.http
      .post('/vendors')
      .set('Cookie', `${cookie(procurement)}; vdp_lang=zh-CN`)
      .type('form')
      .send(form(procurement, vendorForm(procurement.id, { 'contact.email': 'nope' })));
    expect(errors.text).toContain('请输入有效的电子邮箱');
  });

  it('lets admins create and disable users, and users change their own password', async () => {
    const created = await ctx.http
      .post('/admin/users')
      .set('Cookie', cookie(admin))
      .type('form')
      .send(form(admin, { email: 'New.Buyer@portal.test', name: 'New Buyer', role: 'procurement', locale: 'zh-CN', password: 'initial password 1' }));
    expect(created.status).toBe(303);
    const dup = await ctx.http
      .post('/admin/users')
      .set('Cookie', cookie(admin))
      .type('form')
      .send(form(admin, { email: 'new.buyer@portal.test', name: 'Again', role: 'viewer', locale: 'en', password: 'initial password 1' }));
    expect(dup.status).toBe(409);
    const buyerToken = await ctx.login('new.buyer@portal.test', 'initial password 1');
    const buyer: StaffUser = { id: '', email: 'new.buyer@portal.test', role: 'procurement', token: buyerToken };
    const mismatch = await ctx.http
      .post('/account/password')
      .set('Cookie', cookie(buyer))
      .type('form')
      .send(form(buyer, { currentPassword: 'initial password 1', newPassword: 'my own passphrase', confirmPassword: 'my own passphrase!' }));
    expect(mismatch.status).toBe(400);
    const changed = await ctx.http
      .post('/account/password')
      .set('Cookie', cookie(buyer))
      .type('form')
      .send(form(buyer, { currentPassword: 'initial password 1', newPassword: 'my own passphrase', confirmPassword: 'my own passphrase' }));
    expect(changed.status).toBe(303);
    expect(changed.headers.location).toBe('/login?notice=password_changed');
    expect((await ctx.http.get('/vendors').set('Cookie', cookie(buyer))).status).toBe(303);
    await ctx.login('new.buyer@portal.test', 'my own passphrase');
  });

  it('signs out by form', async () => {
    const token = await ctx.login(viewer.email, USER_PASSWORD);
    const me: StaffUser = { ...viewer, token };
    const res = await ctx.http.post('/logout').set('Cookie', cookie(me)).type('form').send(form(me, {}));
    expect(res.status).toBe(303);
    expect((await ctx.http.get('/vendors').set('Cookie', cookie(me))).status).toBe(303);
  });

  it('shows admins the audit trail with its filters, and nobody else', async () => {
    const all = await ctx.http.get('/admin/audit').set('Cookie', cookie(admin));
    expect(all.status).toBe(200);
    expect(all.text).toContain('auth.login');
    const history = await ctx.http.get(`/admin/audit?targetType=vendor&targetId=${vendorId}`).set('Cookie', cookie(admin));
    expect(history.text).toContain('vendor.create');
    expect(history.text).not.toContain('auth.login');
    expect(history.text).toContain('Existing &lt;script&gt;');
    expect((await ctx.http.get('/admin/audit?from=yesterday').set('Cookie', cookie(admin))).status).toBe(400);
    expect((await ctx.http.get('/admin/audit').set('Cookie', cookie(procurement))).status).toBe(403);
    expect((await ctx.http.get(`/vendors/${vendorId}`).set('Cookie', cookie(procurement))).text).not.toContain('/admin/audit');
  });

  it('renders unknown pages and ids as a 404 page', async () => {
    const res = await ctx.http.get('/vendors/00000000-0000-4000-8000-000000000000').set('Cookie', cookie(viewer));
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toContain('text/html');
    expect((await ctx.http.get('/vendors/not-a-uuid').set('Cookie', cookie(viewer))).status).toBe(404);
    expect((await ctx.http.get('/nowhere').set('Cookie', cookie(viewer))).status).toBe(404);
  });

  it('compiles each template once: a page drawn again reads no template file, also when NODE_ENV is not production', async () => {
    // Jest runs with NODE_ENV=test. @fastify/view turned the engine's cache off at every render
    // unless NODE_ENV=production, so `npm start` read and compiled every template per request.
    expect(process.env.NODE_ENV).not.toBe('production');
    await ctx.http.get('/vendors').set('Cookie', cookie(viewer)).expect(200);
    const reads = jest.spyOn(fs, 'readFileSync');
    try {
      await ctx.http.get('/vendors').set('Cookie', cookie(viewer)).expect(200);
      expect(reads.mock.calls.map(([file]) => String(file)).filter((file) => file.endsWith('.eta'))).toEqual([]);
    } finally {
      reads.mockRestore();
    }
  });
});
