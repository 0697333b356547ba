import { createHash, randomBytes } from 'node:crypto';
import { redactUrlSecrets } from '../../src/common/http/url-secrets';
import { PortalSessionEntity } from '../../src/portal/portal-session.entity';
import { createAssessment, openPortal, snapshot } from '../support/assessment-factory';
import { bearer, expectProblem, StaffUser, TestContext } from '../support/test-app';

const sha256hex = (s: string) => createHash('sha256').update(s).digest('hex');
/** A well-formed token that was never issued. */
const unknownToken = () => randomBytes(32).toString('base64url');

describe('portal link tokens', () => {
  let ctx: TestContext;
  let admin: StaffUser;
  let procurement: StaffUser;
  let vendorId: string;

  beforeAll(async () => {
    // Every refused token below counts against the address: a high limit keeps them apart from the throttle test.
    ctx = await TestContext.create({ PORTAL_TOKEN_IP_LIMIT: '10000' });
    admin = await ctx.admin();
    procurement = await ctx.newUser('procurement');
    vendorId = await ctx.newVendor(procurement.id, { name: 'Token Test Ltd' });
  });
  afterAll(async () => ctx.close());

  const portalGet = (session: string) => ctx.http.get('/api/portal/assessment').set(bearer(session));

  it('stores only the SHA-256 of link and session tokens', async () => {
    const sent = await createAssessment(ctx, procurement.token, vendorId, { modules: ['baseline-lite'] });
    const session = await openPortal(ctx, sent.token);
    const ds = ctx.dataSource;
    const links: Array<Record<string, unknown>> = await ds.query('SELECT * FROM portal_links WHERE assessment_id = ?', [sent.id]);
    expect(links).toHaveLength(1);
    expect(links[0].token_hash).toBe(sha256hex(sent.token));
    const sessions: Array<Record<string, unknown>> = await ds.query('SELECT * FROM portal_sessions WHERE assessment_id = ?', [sent.id]);
    expect(sessions).toHaveLength(1);
    expect(sessions[0].token_hash).toBe(sha256hex(session));

    // Neither raw token is anywhere in those rows, nor in the assessment's audit trail.
    const audit: Array<Record<string, unknown>> = await ds.query('SELECT * FROM audit_events WHERE target_id = ?', [sent.id]);
    expect(audit.length).toBeGreaterThan(0);
    for (const dump of [JSON.stringify(links), JSON.stringify(sessions), JSON.stringify(audit)]) {
      expect(dump).not.toContain(sent.token);
      expect(dump).not.toContain(session);
    }
  });

  it('shows the token only in the answer that sent it: never in what staff or the vendor read afterwards', async () => {
    const sent = await createAssessment(ctx, procurement.token, vendorId, { modules: ['baseline-lite'] });
    const opened = await ctx.http.get(`/portal/t/${sent.token}`).expect(303);
    const session = await openPortal(ctx, sent.token);
    const responses = [
      opened,
      await ctx.http.get(`/api/assessments/${sent.id}`).set(bearer(procurement.token)).expect(200),
      await ctx.http.get('/api/assessments').query({ vendorId }).set(bearer(procurement.token)).expect(200),
      await ctx.http.get(`/api/assessments/${sent.id}/review`).set(bearer(admin.token)).expect(200),
      await ctx.http.get('/api/audit').query({ targetId: sent.id }).set(bearer(admin.token)).expect(200),
      await portalGet(session).expect(200),
    ];
    for (const res of responses) {
      expect(JSON.stringify(res.headers)).not.toContain(sent.token);
      expect(res.text ?? '').not.toContain(sent.token);
    }
  });

  describe('unknown, expired, revoked and replaced links are refused alike', () => {
    const tokens: Record<'unknown' | 'expired' | 'revoked' | 'replaced', string> = { unknown: unknownToken(), expired: '', revoked: '', replaced: '' };

    beforeAll(async () => {
      // Expired: due 5 March, so its link works until 4 April, 23:59:59.999.
      const expiring = await createAssessment(ctx, procurement.token, vendorId, { modules: ['baseline-lite'], dueDate: '2026-03-05' });
      tokens.expired = expiring.token;
      await openPortal(ctx, expiring.token);

      const revoked = await createAssessment(ctx, procurement.token, vendorId, { modules: ['baseline-lite'] });
      tokens.revoked = revoked.token;
      await openPortal(ctx, revoked.token);
      await ctx.http.post(`/api/assessments/${revoked.id}/revoke-link`).set(bearer(procurement.token)).expect(200);

      const replaced = await createAssessment(ctx, procurement.token, vendorId, { modules: ['baseline-lite'] });
      tokens.replaced = replaced.token;
      await openPortal(ctx, replaced.token);
      await ctx.http.post(`/api/assessments/${replaced.id}/resend`).set(bearer(procurement.token)).send({}).expect(200);

      // Past the expiring link's end; the others would still be valid by date.
      ctx.clock.set('2026-04-05T00:00:01.000Z');
    });
    afterAll(async () => {
      ctx.clock.set('2026-03-02T09:00:00.000Z');
      await ctx.relogin(procurement);
      await ctx.relogin(admin);
    });

    it('GET /portal/t/:token answers the same 404 page for all four, without the token in it', async () => {
      const pages: Record<string, string> = {};
      for (const [kind, token] of Object.entries(tokens)) {
        const res = await ctx.http.get(`/portal/t/${token}`);
        expect({ kind, status: res.status }).toEqual({ kind, status: 404 });
        expect(res.headers['content-type']).toMatch(/^text\/html/);
        expect(res.headers['set-cookie']).toBeUndefined();
        expect(res.headers['cache-control']).toBe('no-store');
        expect(res.text).toContain('This questionnaire link does not work');
        expect(res.text).not.toContain(token);
        pages[kind] = res.text;
      }
      expect(pages.expired).toBe(pages.unknown);
      expect(pages.revoked).toBe(pages.unknown);
      expect(pages.replaced).toBe(pages.unknown);
    });

    it('POST /api/portal/session answers the same 404 problem portal.link_invalid for all four, and opens no session', async () => {
      const sessionsBefore = await ctx.dataSource.getRepository(PortalSessionEntity).count();
      const problems: Record<string, unknown> = {};
      for (const [kind, token] of Object.entries(tokens)) {
        const res = await ctx.http.post('/api/portal/session').send({ token });
        const p = expectProblem(res, 404, 'portal.link_invalid');
        expect(JSON.stringify(p)).not.toContain(token);
        problems[kind] = { type: p.type, title: p.title, status: p.status, detail: p.detail, code: p.code, keys: Object.keys(p).sort() };
      }
      expect(problems.expired).toEqual(problems.unknown);
      expect(problems.revoked).toEqual(problems.unknown);
      expect(problems.replaced).toEqual(problems.unknown);
      expect(await ctx.dataSource.getRepository(PortalSessionEntity).count()).toBe(sessionsBefore);
    });
  });

  it('keeps the sessions of a replaced link open, and ends those of a revoked one, right away', async () => {
    const replaced = await createAssessment(ctx, procurement.token, vendorId, { modules: ['baseline-lite'] });
    const session = await openPortal(ctx, replaced.token);
    await ctx.http.post(`/api/assessments/${replaced.id}/resend`).set(bearer(procurement.token)).send({}).expect(200);
    expect((await portalGet(session)).status).toBe(200);
    expectProblem(await ctx.http.post('/api/portal/session').send({ token: replaced.token }), 404, 'portal.link_invalid');

    // Revoking ends every session, those of the replaced link included.
    const before = await snapshot(ctx);
    await ctx.http.post(`/api/assessments/${replaced.id}/revoke-link`).set(bearer(procurement.token)).expect(200);
    expectProblem(await portalGet(session), 401, 'portal.session_required');
    const after = await snapshot(ctx);
    expect(after.audit).toBe(before.audit + 1);
    expect(after.sessions).toBe(before.sessions);
  });

  it('refuses malformed tokens alike, and a token in the body of an over-long request is a validation error', async () => {
    for (const token of ['short', `${unknownToken()}x`, '../../etc/passwd', 'a'.repeat(43).replace(/a$/, '!')]) {
      expectProblem(await ctx.http.post('/api/portal/session').send({ token }), 404, 'portal.link_invalid');
    }
    expectProblem(await ctx.http.post('/api/portal/session').send({ token: 'a'.repeat(201) }), 400, 'common.validation');
    expectProblem(await ctx.http.post('/api/portal/session').send({}), 400, 'common.validation');
  });

  it('redacts the token of /portal/t/ paths for logs', () => {
    expect(redactUrlSecrets('/portal/t/AbC_123-xyz')).toBe('/portal/t/[redacted]');
    expect(redactUrlSecrets('/portal/t/AbC_123-xyz?lang=zh-CN')).toBe('/portal/t/[redacted]?lang=zh-CN');
    expect(redactUrlSecrets('/api/vendors?q=portal')).toBe('/api/vendors?q=portal');
    expect(redactUrlSecrets(undefined)).toBe('');
    expect(redactUrlSecrets('/calendar/AbC_123-xyz.ics')).toBe('/calendar/[redacted]');
  });
});

describe('portal link tokens: throttling and logs', () => {
  const LIMIT = 4;
  let ctx: TestContext;
  let procurement: StaffUser;
  let vendorId: string;
  const logLines: string[] = [];

  beforeAll(async () => {
    ctx = await TestContext.create({ PORTAL_TOKEN_IP_LIMIT: String(LIMIT), LOG_LEVEL: 'info' });
    // Capture what the request logger writes: swap the stream of Fastify's pino logger.
    const log = ctx.app.getHttpAdapter().getInstance().log as unknown as Record<symbol, unknown>;
    let holder: object | null = log;
    let streamSym: symbol | undefined;
    while (holder && !streamSym) {
      streamSym = Object.getOwnPropertySymbols(holder).find((s) => s.description === 'pino.stream');
      holder = Object.getPrototypeOf(holder) as object | null;
    }
    if (!streamSym) throw new Error('no pino stream on the Fastify logger');
    log[streamSym] = { write: (line: string) => void logLines.push(line) };
    procurement = await ctx.newUser('procurement');
    vendorId = await ctx.newVendor(procurement.id, { name: 'Throttle Test Ltd' });
  });
  afterAll(async () => ctx.close());

  it('never writes a link token to the logs', async () => {
    const sent = await createAssessment(ctx, procurement.token, vendorId, { modules: ['baseline-lite'] });
    const opened = await ctx.http.get(`/portal/t/${sent.token}`).expect(303);
    const cookie = /^vdp_portal=([^;]+)/.exec(([] as string[]).concat(opened.headers['set-cookie'])[0])![1];
    await ctx.http.get('/api/portal/assessment').set('Cookie', `vdp_portal=${cookie}`).expect(200);
    const session = await openPortal(ctx, sent.token);
    await ctx.http.get('/api/portal/assessment').set(bearer(session)).expect(200);
    await ctx.http.get(`/portal/t/${sent.token}?lang=zh-CN`).expect(303);

    const all = logLines.join('');
    // The capture works: the requests are logged, with the path redacted.
    expect(all).toContain('/portal/t/[redacted]');
    expect(all).toContain('/api/portal/assessment');
    expect(all).not.toContain(sent.token);
    expect(all).not.toContain(session);
    expect(all).not.toContain(cookie);
  });

  it(`answers 429 after ${LIMIT} bad tokens from one address, even to a good token, and opens it again after 15 minutes`, async () => {
    // Start from an empty window.
    ctx.clock.advance(16 * 60_000);
    await ctx.relogin(procurement);
    const good = await createAssessment(ctx, procurement.token, vendorId, { modules: ['baseline-lite'] });
    for (let i = 0; i < LIMIT; i++) {
      const res = i % 2 ? await ctx.http.post('/api/portal/session').send({ token: unknownToken() }) : await ctx.http.get(`/portal/t/${unknownToken()}`);
      expect(res.status).toBe(404);
    }
    const before = await snapshot(ctx);
    expectProblem(await ctx.http.post('/api/portal/session').send({ token: good.token }), 429, 'portal.throttled');
    const page = await ctx.http.get(`/portal/t/${good.token}`);
    expect(page.status).toBe(429);
    expect(page.headers['set-cookie']).toBeUndefined();
    expect(page.text).not.toContain(good.token);
    expect(await snapshot(ctx)).toEqual(before);

    ctx.clock.advance(15 * 60_000 + 1000);
    expect((await ctx.http.post('/api/portal/session').send({ token: good.token })).status).toBe(200);
  });
});
