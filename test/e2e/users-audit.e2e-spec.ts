import { AuditEventEntity } from '../../src/audit/audit-event.entity';
import { SYSTEM_ACTOR } from '../../src/audit/audit-context';
import { UsersService } from '../../src/users/users.service';
import { ADMIN_EMAIL, bearer, expectProblem, PROFILES, StaffUser, TestContext, USER_PASSWORD, vendorInput } from '../support/test-app';

const START = '2026-03-02T09:00:00.000Z';
const MINUTE = 60_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const LOCAL_ADDRESS = /^(::ffff:)?127\.0\.0\.1$|^::1$/;

describe('staff accounts', () => {
  let ctx: TestContext;
  let admin: StaffUser;

  beforeAll(async () => {
    ctx = await TestContext.create({ LOGIN_MAX_FAILURES: '3', LOGIN_LOCK_MINUTES: '15', LOGIN_IP_LIMIT: '10000' }, START);
    admin = await ctx.admin();
  });
  afterAll(async () => ctx.close());

  const auditFor = (targetId: string) => ctx.dataSource.getRepository(AuditEventEntity).find({ where: { targetId }, order: { id: 'ASC' } });
  const create = (body: Record<string, unknown>) => ctx.http.post('/api/users').set(bearer(admin.token)).send(body);

  it('creates a user with a trimmed, lower-cased email, audited without the password', async () => {
    const res = await create({ email: '  Li.Wei@Example.COM ', name: ' Li Wei ', role: 'procurement', password: USER_PASSWORD, locale: 'zh-CN' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(UUID),
      email: 'li.wei@example.com',
      name: 'Li Wei',
      role: 'procurement',
      locale: 'zh-CN',
      disabled: false,
      lockedUntil: null,
      lastLoginAt: null,
      createdAt: START,
    });
    await ctx.login('LI.WEI@example.com', USER_PASSWORD);
    expect((await ctx.http.get(`/api/users/${res.body.id}`).set(bearer(admin.token))).body).toMatchObject({ lastLoginAt: START });

    const [event] = await auditFor(res.body.id);
    expect(event).toMatchObject({
      action: 'user.create',
      actorId: admin.id,
      actorLabel: ADMIN_EMAIL,
      targetType: 'user',
      ip: expect.stringMatching(LOCAL_ADDRESS),
      changes: {
        email: { before: null, after: 'li.wei@example.com' },
        name: { before: null, after: 'Li Wei' },
        role: { before: null, after: 'procurement' },
        disabled: { before: null, after: false },
        locale: { before: null, after: 'zh-CN' },
      },
    });
    expect(JSON.stringify(event)).not.toMatch(/password|argon2|a long enough/i);
  });

  it('refuses a second account with the same email in any case, writing nothing', async () => {
    await create({ email: 'dup@portal.test', name: 'First', role: 'viewer', password: USER_PASSWORD }).expect(201);
    const before = await ctx.counts();
    for (const email of ['dup@portal.test', 'DUP@Portal.Test', '  dup@portal.test']) {
      expectProblem(await create({ email, name: 'Second', role: 'viewer', password: USER_PASSWORD }), 409, 'user.email_taken');
    }
    expect(await ctx.counts()).toEqual(before);
  });

  it('lists users by name with search, role filter and pages, never with password hashes', async () => {
    for (const [email, name, role] of [
      ['ann.lister@portal.test', 'Ann Lister', 'reviewer'],
      ['bob.lister@portal.test', 'Bob Lister', 'viewer'],
      ['cy.lister@portal.test', 'Cy Lister', 'reviewer'],
    ]) {
      await create({ email, name, role, password: USER_PASSWORD }).expect(201);
    }
    const list = (query: Record<string, string | number>) => ctx.http.get('/api/users').query(query).set(bearer(admin.token));
    const all = await list({ q: 'lister' });
    expect(all.body).toMatchObject({ total: 3, page: 1, pageSize: 25 });
    expect(all.body.items.map((u: { name: string }) => u.name)).toEqual(['Ann Lister', 'Bob Lister', 'Cy Lister']);
    expect((await list({ q: 'LISTER', role: 'reviewer' })).body.items.map((u: { name: string }) => u.name)).toEqual(['Ann Lister', 'Cy Lister']);
    expect((await list({ q: 'bob.lister@' })).body.items.map((u: { name: string }) => u.name)).toEqual(['Bob Lister']);
    const page2 = await list({ q: 'lister', pageSize: 2, page: 2 });
    expect(page2.body).toMatchObject({ total: 3, page: 2, pageSize: 2, items: [expect.objectContaining({ name: 'Cy Lister' })] });
    const everyone = await list({ pageSize: 100 });
    expect(everyone.body.items.length).toBe(everyone.body.total);
    expect(JSON.stringify(everyone.body)).not.toMatch(/passwordHash|password_hash|argon2/);
  });

  it('updates name, role and locale, audited with before and after; the new role applies at once', async () => {
    const user = await ctx.newUser('procurement', { name: 'Role Changer' });
    await ctx.http.post('/api/vendors').set(bearer(user.token)).send(vendorInput(user.id, 501)).expect(201);
    const res = await ctx.http.patch(`/api/users/${user.id}`).set(bearer(admin.token)).send({ name: 'Role Changed', role: 'viewer', locale: 'zh-CN' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: user.id, email: user.email, name: 'Role Changed', role: 'viewer', locale: 'zh-CN', disabled: false });
    expect((await ctx.http.get(`/api/users/${user.id}`).set(bearer(admin.token))).body).toMatchObject({ name: 'Role Changed', role: 'viewer' });

    const events = (await auditFor(user.id)).filter((e) => e.action === 'user.update');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actorId: admin.id, targetType: 'user' });
    expect(events[0].changes).toEqual({
      name: { before: 'Role Changer', after: 'Role Changed' },
      role: { before: 'procurement', after: 'viewer' },
      locale: { before: 'en', after: 'zh-CN' },
    });
    // Same session, new rights.
    expectProblem(await ctx.http.post('/api/vendors').set(bearer(user.token)).send(vendorInput(user.id, 502)), 403, 'auth.forbidden');
    // Nothing to change: nothing audited.
    await ctx.http.patch(`/api/users/${user.id}`).set(bearer(admin.token)).send({ role: 'viewer' }).expect(200);
    expect((await auditFor(user.id)).filter((e) => e.action === 'user.update')).toHaveLength(1);
    expectProblem(await ctx.http.get('/api/users/0b5e9c1e-7d0a-4f3e-8a51-6a2f0c9d4b11').set(bearer(admin.token)), 404, 'user.not_found');
  });

  it('disables a user: their sessions end, sign-in and the directory refuse them, and it is audited; enabling undoes it', async () => {
    const buyer = await ctx.newUser('procurement');
    const user = await ctx.newUser('reviewer', { name: 'Dee Disabled' });
    const inDirectory = async () =>
      (await ctx.http.get('/api/users/directory').set(bearer(buyer.token))).body.map((u: { id: string }) => u.id).includes(user.id);
    expect(await inDirectory()).toBe(true);

    const res = await ctx.http.patch(`/api/users/${user.id}`).set(bearer(admin.token)).send({ disabled: true });
    expect(res.status).toBe(200);
    expect(res.body.disabled).toBe(true);
    expectProblem(await ctx.http.get('/api/me').set(bearer(user.token)), 401);
    expectProblem(await ctx.http.post('/api/auth/login').send({ email: user.email, password: USER_PASSWORD }), 401, 'auth.invalid_credentials');
    expect(await inDirectory()).toBe(false);
    const disable = (await auditFor(user.id)).find((e) => e.action === 'user.disable');
    expect(disable).toMatchObject({ actorId: admin.id, changes: { disabled: { before: false, after: true } } });

    await ctx.http.patch(`/api/users/${user.id}`).set(bearer(admin.token)).send({ disabled: false }).expect(200);
    await ctx.login(user.email, USER_PASSWORD);
    expect(await inDirectory()).toBe(true);
    const enable = (await auditFor(user.id)).filter((e) => e.action === 'user.update').pop();
    expect(enable).toMatchObject({ changes: { disabled: { before: true, after: false } } });
  });

  it('lists active staff only in the directory, by name, without emails', async () => {
    const buyer = await ctx.newUser('procurement');
    const gone = await ctx.newUser('viewer', { name: 'Aaron Gone' });
    await ctx.http.patch(`/api/users/${gone.id}`).set(bearer(admin.token)).send({ disabled: true }).expect(200);
    const res = await ctx.http.get('/api/users/directory').set(bearer(buyer.token));
    expect(res.status).toBe(200);
    const entries = res.body as Array<{ id: string; name: string; role: string }>;
    for (const e of entries) expect(Object.keys(e).sort()).toEqual(['id', 'name', 'role']);
    const all = (await ctx.http.get('/api/users').query({ pageSize: 100 }).set(bearer(admin.token))).body.items as Array<{ id: string; name: string; disabled: boolean }>;
    const active = all.filter((u) => !u.disabled);
    // By name as the database orders names (the user list uses the same order), which is all active staff.
    expect(entries.map((e) => e.id)).toEqual(active.map((u) => u.id));
    expect(entries.map((e) => e.id)).not.toContain(gone.id);
    const listers = entries.map((e) => e.name).filter((name) => name.endsWith(' Lister'));
    expect(listers).toEqual(['Ann Lister', 'Bob Lister', 'Cy Lister']);
    expect(JSON.stringify(entries)).not.toContain('@');
  });

  it('resets a password: the user is unlocked, their sessions end, and only the new password works', async () => {
    const user = await ctx.newUser('viewer');
    for (let i = 0; i < 3; i++) {
      await ctx.http.post('/api/auth/login').send({ email: user.email, password: 'wrong password!!' }).expect(401);
    }
    const locked = await ctx.http.get(`/api/users/${user.id}`).set(bearer(admin.token));
    expect(locked.body.lockedUntil).toBe(new Date(ctx.clock.now().getTime() + 15 * MINUTE).toISOString());
    await ctx.http.post('/api/auth/login').send({ email: user.email, password: USER_PASSWORD }).expect(401);
    await ctx.http.get('/api/me').set(bearer(user.token)).expect(200);

    await ctx.http.put(`/api/users/${user.id}/password`).set(bearer(admin.token)).send({ password: 'a fresh admin-set password' }).expect(204);
    expectProblem(await ctx.http.get('/api/me').set(bearer(user.token)), 401);
    expect((await ctx.http.get(`/api/users/${user.id}`).set(bearer(admin.token))).body.lockedUntil).toBeNull();
    await ctx.http.post('/api/auth/login').send({ email: user.email, password: USER_PASSWORD }).expect(401);
    await ctx.login(user.email, 'a fresh admin-set password');

    const reset = (await auditFor(user.id)).find((e) => e.action === 'user.password_reset');
    expect(reset).toMatchObject({ actorId: admin.id, targetType: 'user', ip: expect.stringMatching(LOCAL_ADDRESS) });
    expect(JSON.stringify(reset)).not.toMatch(/fresh admin-set|argon2/);
    expectProblem(
      await ctx.http.put('/api/users/0b5e9c1e-7d0a-4f3e-8a51-6a2f0c9d4b11/password').set(bearer(admin.token)).send({ password: 'a fresh admin-set password' }),
      404,
      'user.not_found',
    );
  });
});

describe('admin accounts cannot lock everyone out', () => {
  let ctx: TestContext;
  let admin: StaffUser;

  beforeAll(async () => {
    ctx = await TestContext.create({}, START);
    admin = await ctx.admin();
  });
  afterAll(async () => ctx.close());

  const users = () => ctx.app.get(UsersService);

  it('refuses an admin disabling or demoting themselves, but lets them rename themselves', async () => {
    for (const change of [{ disabled: true }, { role: 'procurement' }, { role: 'viewer', name: 'Still Me' }]) {
      expectProblem(await ctx.http.patch(`/api/users/${admin.id}`).set(bearer(admin.token)).send(change), 409, 'user.self_change');
    }
    expect((await ctx.http.get('/api/me').set(bearer(admin.token))).body).toMatchObject({ role: 'admin', disabled: false, name: 'Administrator' });
    const renamed = await ctx.http.patch(`/api/users/${admin.id}`).set(bearer(admin.token)).send({ name: 'Chief Admin' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: 'Chief Admin', role: 'admin' });
  });

  it('refuses to demote or disable the last active admin, whoever asks', async () => {
    await expect(users().update(admin.id, { role: 'viewer' }, SYSTEM_ACTOR)).rejects.toMatchObject({ code: 'user.last_admin' });
    await expect(users().update(admin.id, { disabled: true }, SYSTEM_ACTOR)).rejects.toMatchObject({ code: 'user.last_admin' });
    expect((await ctx.http.get('/api/me').set(bearer(admin.token))).body).toMatchObject({ role: 'admin', disabled: false });
  });

  it('lets one admin demote another while an active admin remains, ending the demoted sessions', async () => {
    const second = await ctx.newUser('admin');
    const res = await ctx.http.patch(`/api/users/${second.id}`).set(bearer(admin.token)).send({ role: 'reviewer' });
    expect(res.status).toBe(200);
    expect(res.body.role).toBe('reviewer');
    expectProblem(await ctx.http.get('/api/me').set(bearer(second.token)), 401);
    // Back to a single active admin: the rule holds again.
    await expect(users().update(admin.id, { role: 'viewer' }, SYSTEM_ACTOR)).rejects.toMatchObject({ code: 'user.last_admin' });
  });

  it('lets the only active admin demote an admin account that is already disabled', async () => {
    const dormant = await ctx.newUser('admin', { name: 'Dormant Admin' });
    await ctx.http.patch(`/api/users/${dormant.id}`).set(bearer(admin.token)).send({ disabled: true }).expect(200);
    // One active admin left (the caller); demoting a disabled admin does not change that.
    const res = await ctx.http.patch(`/api/users/${dormant.id}`).set(bearer(admin.token)).send({ role: 'viewer' });
    expect({ status: res.status, body: res.body }).toMatchObject({ status: 200, body: { role: 'viewer', disabled: true } });
    await expect(users().update(admin.id, { disabled: true }, SYSTEM_ACTOR)).rejects.toMatchObject({ code: 'user.last_admin' });
  });
});

describe('audit trail', () => {
  let ctx: TestContext;
  let admin: StaffUser;

  beforeAll(async () => {
    ctx = await TestContext.create({ LOGIN_IP_LIMIT: '10000' }, START);
    admin = await ctx.admin();
  });
  afterAll(async () => ctx.close());

  const audit = (query: Record<string, string | number>) => ctx.http.get('/api/audit').query(query).set(bearer(admin.token));

  it('records sign-in success and failure with actor, target, address and request id, never the password', async () => {
    const user = await ctx.newUser('viewer');
    await ctx.http.post('/api/auth/login').set('x-request-id', 'audit-login-ok').send({ email: user.email, password: USER_PASSWORD }).expect(200);
    await ctx.http.post('/api/auth/login').set('x-request-id', 'audit-login-bad').send({ email: user.email, password: 'not my password' }).expect(401);
    await ctx.http.post('/api/auth/login').set('x-request-id', 'audit-login-ghost').send({ email: 'Ghost@Portal.test', password: 'not my password' }).expect(401);

    const ok = await audit({ action: 'auth.login', targetId: user.id });
    expect(ok.status).toBe(200);
    expect(ok.body.items).toContainEqual({
      at: START,
      actorId: user.id,
      actor: user.email,
      action: 'auth.login',
      targetType: 'user',
      targetId: user.id,
      ip: expect.stringMatching(LOCAL_ADDRESS),
      requestId: 'audit-login-ok',
      changes: null,
      details: null,
    });
    const failed = await audit({ action: 'auth.login_failed' });
    expect(failed.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ actorId: user.id, actor: user.email, targetType: 'user', targetId: user.id, requestId: 'audit-login-bad', details: { reason: 'wrong_password' } }),
        expect.objectContaining({ actorId: null, actor: 'ghost@portal.test', targetId: null, requestId: 'audit-login-ghost', details: { reason: 'unknown_account' } }),
      ]),
    );
    const all = await audit({ pageSize: 100 });
    expect(JSON.stringify(all.body)).not.toContain('not my password');
    expect(JSON.stringify(all.body)).not.toContain(USER_PASSWORD);
  });

  it('records user create, update and disable with before and after', async () => {
    const created = await ctx.http
      .post('/api/users')
      .set(bearer(admin.token))
      .send({ email: 'audited@portal.test', name: 'Audited User', role: 'viewer', password: USER_PASSWORD });
    const id = created.body.id as string;
    await ctx.http.patch(`/api/users/${id}`).set(bearer(admin.token)).send({ role: 'reviewer' }).expect(200);
    await ctx.http.patch(`/api/users/${id}`).set(bearer(admin.token)).send({ disabled: true }).expect(200);
    const res = await audit({ targetType: 'user', targetId: id });
    expect(res.body.total).toBe(3);
    expect(res.body.items.map((e: { action: string }) => e.action)).toEqual(['user.disable', 'user.update', 'user.create']);
    for (const e of res.body.items) expect(e).toMatchObject({ actorId: admin.id, actor: ADMIN_EMAIL, ip: expect.stringMatching(LOCAL_ADDRESS), requestId: expect.any(String) });
    expect(res.body.items[0].changes).toEqual({ disabled: { before: false, after: true } });
    expect(res.body.items[1].changes).toEqual({ role: { before: 'viewer', after: 'reviewer' } });
    expect(res.body.items[2].changes).toMatchObject({ email: { before: null, after: 'audited@portal.test' }, role: { before: null, after: 'viewer' } });
  });

  it('records vendor create, update, tier override and archive with before and after', async () => {
    const buyer = await ctx.newUser('procurement');
    const created = await ctx.http.post('/api/vendors').set(bearer(buyer.token)).send({ ...vendorInput(buyer.id), name: 'Audited Vendor', profile: PROFILES.courier });
    const id = created.body.id as string;
    await ctx.http.patch(`/api/vendors/${id}`).set(bearer(buyer.token)).send({ name: 'Audited Vendor II', profile: PROFILES.emailMarketing }).expect(200);
    await ctx.http
      .put(`/api/vendors/${id}/tier-override`)
      .set(bearer(buyer.token))
      .send({ tier: 'critical', reason: 'Sends to our whole customer base' })
      .expect(200);
    await ctx.http.post(`/api/vendors/${id}/archive`).set(bearer(buyer.token)).send({ reason: 'Replaced by another service' }).expect(200);

    const res = await audit({ targetType: 'vendor', targetId: id });
    expect(res.body.items.map((e: { action: string }) => e.action)).toEqual(['vendor.archive', 'vendor.tier_override', 'vendor.update', 'vendor.create']);
    for (const e of res.body.items) {
      expect(e).toMatchObject({ actorId: buyer.id, actor: buyer.email, targetType: 'vendor', targetId: id, ip: expect.stringMatching(LOCAL_ADDRESS) });
    }
    const [archive, override, update, create] = res.body.items;
    expect(create.changes).toMatchObject({
      name: { before: null, after: 'Audited Vendor' },
      tier: { before: null, after: 'medium' },
      ownerId: { before: null, after: buyer.id },
      nextReviewDate: { before: null, after: '2028-03-02' },
    });
    expect(update.changes).toEqual({
      name: { before: 'Audited Vendor', after: 'Audited Vendor II' },
      volumeBand: { before: '1k_100k', after: '100k_1m' },
      accessLevel: { before: 'file_exchange', after: 'api' },
      tierScore: { before: 5, after: 7 },
      computedTier: { before: 'medium', after: 'high' },
      tier: { before: 'medium', after: 'high' },
      nextReviewDate: { before: '2028-03-02', after: '2027-03-02' },
    });
    expect(override.changes).toEqual({
      tierOverride: { before: null, after: 'critical' },
      tierOverrideReason: { before: null, after: 'Sends to our whole customer base' },
      tier: { before: 'high', after: 'critical' },
    });
    expect(archive.changes).toEqual({
      archivedAt: { before: null, after: START },
      archiveReason: { before: null, after: 'Replaced by another service' },
    });
  });

  it('filters by actor, action, target and time, newest first, in pages', async () => {
    ctx.clock.set('2026-03-03T10:00:00.000Z');
    const actor = await ctx.newUser('procurement');
    const make = async (name: string) => (await ctx.http.post('/api/vendors').set(bearer(actor.token)).send({ ...vendorInput(actor.id), name })).body.id as string;
    const first = await make('Filter One'); // 10:00
    ctx.clock.set('2026-03-03T10:30:00.000Z');
    await ctx.relogin(actor);
    await ctx.http.patch(`/api/vendors/${first}`).set(bearer(actor.token)).send({ services: 'Changed' }).expect(200); // 10:30
    ctx.clock.set('2026-03-03T11:00:00.000Z');
    await ctx.relogin(actor);
    const second = await make('Filter Two'); // 11:00
    admin = await ctx.relogin(admin);

    const ids = async (query: Record<string, string | number>) => {
      const res = await audit(query);
      expect(res.status).toBe(200);
      return res.body.items.map((e: { action: string; targetId: string }) => `${e.action} ${e.targetId === first ? 'one' : e.targetId === second ? 'two' : e.targetId}`);
    };
    const mine = { actorId: actor.id, targetType: 'vendor' };
    expect(await ids(mine)).toEqual(['vendor.create two', 'vendor.update one', 'vendor.create one']);
    expect(await ids({ ...mine, action: 'vendor.create' })).toEqual(['vendor.create two', 'vendor.create one']);
    expect(await ids({ targetId: first })).toEqual(['vendor.update one', 'vendor.create one']);
    expect(await ids({ actorId: actor.id, action: 'auth.login' })).toHaveLength(3);
    expect(await ids({ ...mine, from: '2026-03-03T10:30:00.000Z' })).toEqual(['vendor.create two', 'vendor.update one']);
    expect(await ids({ ...mine, to: '2026-03-03T11:00:00.000Z' })).toEqual(['vendor.update one', 'vendor.create one']);
    expect(await ids({ ...mine, from: '2026-03-03T10:15:00Z', to: '2026-03-03T10:45:00Z' })).toEqual(['vendor.update one']);
    expect(await ids({ ...mine, from: '2026-03-04' })).toEqual([]);
    expect(await ids({ actorId: '0b5e9c1e-7d0a-4f3e-8a51-6a2f0c9d4b11' })).toEqual([]);

    const page1 = await audit({ ...mine, pageSize: 2 });
    expect(page1.body).toMatchObject({ total: 3, page: 1, pageSize: 2 });
    expect(page1.body.items).toHaveLength(2);
    const page2 = await audit({ ...mine, pageSize: 2, page: 2 });
    expect(page2.body).toMatchObject({ total: 3, page: 2, items: [expect.objectContaining({ action: 'vendor.create', targetId: first })] });
    const page3 = await audit({ ...mine, pageSize: 2, page: 3 });
    expect(page3.body).toMatchObject({ total: 3, items: [] });
  });

  it.each([
    ['put', '/api/audit'],
    ['patch', '/api/audit'],
    ['delete', '/api/audit'],
    ['post', '/api/audit'],
    ['get', '/api/audit/1'],
    ['put', '/api/audit/1'],
    ['patch', '/api/audit/1'],
    ['delete', '/api/audit/1'],
  ] as const)('has no %s %s: 404, and the trail is untouched', async (method, path) => {
    const before = await ctx.dataSource.getRepository(AuditEventEntity).find({ order: { id: 'ASC' } });
    expect(before.length).toBeGreaterThan(0);
    const res = await ctx.http[method](path).set(bearer(admin.token)).send({ action: 'tampered', changes: null });
    expectProblem(res, 404, 'common.not_found');
    expect(await ctx.dataSource.getRepository(AuditEventEntity).find({ order: { id: 'ASC' } })).toEqual(before);
  });
});
