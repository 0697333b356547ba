import { SessionEntity } from '../../src/auth/session.entity';
import { hashToken } from '../../src/auth/session-token';
import { AuditEventEntity } from '../../src/audit/audit-event.entity';
import { ADMIN_EMAIL, ADMIN_PASSWORD, bearer, TestContext, USER_PASSWORD } from '../support/test-app';

const GENERIC = 'Wrong email or password, or the account is locked or disabled.';

describe('staff sign-in and sessions', () => {
  let ctx: TestContext;

  beforeAll(async () => {
    ctx = await TestContext.create({ LOGIN_MAX_FAILURES: '3', LOGIN_LOCK_MINUTES: '15', LOGIN_IP_LIMIT: '1000' });
  });
  afterAll(async () => ctx.close());

  it('creates the first admin from ADMIN_EMAIL and ADMIN_PASSWORD', async () => {
    const res = await ctx.http.post('/api/auth/login').send({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ tokenType: 'Bearer', user: { email: ADMIN_EMAIL, role: 'admin' } });
    expect(res.body.token.length).toBeGreaterThanOrEqual(43);
  });

  it('returns the token in the body and sets an httpOnly SameSite cookie', async () => {
    const res = await ctx.http.post('/api/auth/login').send({ email: ADMIN_EMAIL.toUpperCase(), password: ADMIN_PASSWORD });
    expect(res.status).toBe(200);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toContain(`vdp_session=${res.body.token}`);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
  });

  it('stores only the hash of a session token', async () => {
    const token = await ctx.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    const rows = await ctx.dataSource.getRepository(SessionEntity).find();
    expect(rows.some((r) => r.tokenHash === hashToken(token))).toBe(true);
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it('accepts the session as bearer and as cookie', async () => {
    const token = await ctx.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    await ctx.http.get('/api/auth/session').set(bearer(token)).expect(200);
    await ctx.http.get('/api/auth/session').set('Cookie', `vdp_session=${token}`).expect(200);
    await ctx.http.get('/api/auth/session').set(bearer('not-a-token')).expect(401);
    await ctx.http.get('/api/auth/session').set('Authorization', 'Basic abc').expect(401);
  });

  it('refuses cookie-authenticated state changes without the CSRF token', async () => {
    const login = await ctx.http.post('/api/auth/login').send({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
    const cookie = `vdp_session=${login.body.token}`;
    const denied = await ctx.http.post('/api/auth/logout').set('Cookie', cookie);
    expect(denied.status).toBe(403);
    expect(denied.body.code).toBe('auth.csrf_failed');
    await ctx.http.post('/api/auth/logout').set('Cookie', cookie).set('x-csrf-token', 'wrong').expect(403);
    await ctx.http.get('/api/auth/session').set('Cookie', cookie).expect(200);
    await ctx.http.post('/api/auth/logout').set('Cookie', cookie).set('x-csrf-token', login.body.csrfToken).expect(204);
    await ctx.http.get('/api/auth/session').set('Cookie', cookie).expect(401);
  });

  it('gives the same generic answer for an unknown account and a wrong password', async () => {
    const unknown = await ctx.http.post('/api/auth/login').send({ email: 'nobody@portal.test', password: 'whatever password' });
    const wrong = await ctx.http.post('/api/auth/login').send({ email: ADMIN_EMAIL, password: 'wrong password!!' });
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(unknown.body.detail).toBe(GENERIC);
    expect(wrong.body.detail).toBe(GENERIC);
    expect(unknown.body.title).toBe(wrong.body.title);
  });

  it('revokes the session on logout', async () => {
    const token = await ctx.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    await ctx.http.post('/api/auth/logout').set(bearer(token)).expect(204);
    await ctx.http.get('/api/auth/session').set(bearer(token)).expect(401);
  });

  it('ends a session after the idle timeout and after the absolute lifetime', async () => {
    const idle = await ctx.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    ctx.clock.advance(59 * 60_000);
    await ctx.http.get('/api/auth/session').set(bearer(idle)).expect(200);
    ctx.clock.advance(59 * 60_000);
    await ctx.http.get('/api/auth/session').set(bearer(idle)).expect(200);
    ctx.clock.advance(61 * 60_000);
    await ctx.http.get('/api/auth/session').set(bearer(idle)).expect(401);

    const busy = await ctx.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    for (let step = 0; step < 14; step++) {
      ctx.clock.advance(50 * 60_000);
      await ctx.http.get('/api/auth/session').set(bearer(busy)).expect(200);
    }
    ctx.clock.advance(50 * 60_000);
    await ctx.http.get('/api/auth/session').set(bearer(busy)).expect(401);
  });

  it('locks an account after repeated failures, even against the right password, then unlocks', async () => {
    const user = await ctx.newUser('viewer');
    for (let i = 0; i < 3; i++) {
      await ctx.http.post('/api/auth/login').send({ email: user.email, password: 'wrong password!!' }).expect(401);
    }
    const locked = await ctx.http.post('/api/auth/login').send({ email: user.email, password: USER_PASSWORD });
    expect(locked.status).toBe(401);
    expect(locked.body.detail).toBe(GENERIC);
    const audit = await ctx.dataSource.getRepository(AuditEventEntity).findBy({ action: 'user.locked', targetId: user.id });
    expect(audit).toHaveLength(1);
    ctx.clock.advance(16 * 60_000);
    await ctx.http.post('/api/auth/login').send({ email: user.email, password: USER_PASSWORD }).expect(200);
  });

  it('audits sign-in success and failure with the address', async () => {
    await ctx.http.post('/api/auth/login').send({ email: 'ghost@portal.test', password: 'nope nope nope' }).expect(401);
    const events = await ctx.dataSource.getRepository(AuditEventEntity).find({ order: { id: 'DESC' }, take: 50 });
    const failed = events.find((e) => e.action === 'auth.login_failed' && e.actorLabel === 'ghost@portal.test');
    expect(failed).toMatchObject({ ip: expect.any(String), details: { reason: 'unknown_account' } });
    expect(events.some((e) => e.action === 'auth.login' && e.actorLabel === ADMIN_EMAIL)).toBe(true);
    expect(JSON.stringify(events)).not.toContain('nope nope nope');
  });

  it('changes the own password, ending every session, and enforces 12 characters', async () => {
    const user = await ctx.newUser('procurement');
    const other = await ctx.login(user.email, USER_PASSWORD);
    const short = await ctx.http.put('/api/me/password').set(bearer(user.token)).send({ currentPassword: USER_PASSWORD, newPassword: 'short' });
    expect(short.status).toBe(400);
    expect(short.body.errors[0].path).toBe('newPassword');
    const wrong = await ctx.http.put('/api/me/password').set(bearer(user.token)).send({ currentPassword: 'not my password', newPassword: 'another long password' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.code).toBe('auth.wrong_current_password');
    await ctx.http
      .put('/api/me/password')
      .set(bearer(user.token))
      .send({ currentPassword: USER_PASSWORD, newPassword: 'another long password' })
      .expect(204);
    await ctx.http.get('/api/me').set(bearer(user.token)).expect(401);
    await ctx.http.get('/api/me').set(bearer(other)).expect(401);
    await ctx.login(user.email, 'another long password');
  });

  it('ends the sessions of a user an admin disables, and refuses their sign-in', async () => {
    const admin = await ctx.admin();
    const user = await ctx.newUser('reviewer');
    await ctx.http.patch(`/api/users/${user.id}`).set(bearer(admin.token)).send({ disabled: true }).expect(200);
    await ctx.http.get('/api/me').set(bearer(user.token)).expect(401);
    const res = await ctx.http.post('/api/auth/login').send({ email: user.email, password: USER_PASSWORD });
    expect(res.status).toBe(401);
    expect(res.body.detail).toBe(GENERIC);
  });
});

describe('sign-in throttling per address', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await TestContext.create({ LOGIN_IP_LIMIT: '4', LOGIN_MAX_FAILURES: '100' });
  });
  afterAll(async () => ctx.close());

  it('answers 429 once an address has failed too often, whatever the account', async () => {
    for (let i = 0; i < 4; i++) {
      await ctx.http.post('/api/auth/login').send({ email: `spray${i}@portal.test`, password: 'guess guess guess' }).expect(401);
    }
    const res = await ctx.http.post('/api/auth/login').send({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
    expect(res.status).toBe(429);
    expect(res.headers['content-type']).toContain('application/problem+json');
    ctx.clock.advance(16 * 60_000);
    await ctx.http.post('/api/auth/login').send({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }).expect(200);
  });
});
