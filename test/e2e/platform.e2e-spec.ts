import { statSync } from 'node:fs';
import * as path from 'node:path';
import type { Response } from 'supertest';
import { sqliteFile } from '../../src/database/data-source-options';
import { MailService } from '../../src/mail/mail.service';
import { createAssessment } from '../support/assessment-factory';
import { AuditEventEntity } from '../../src/audit/audit-event.entity';
import { ADMIN_EMAIL, ADMIN_PASSWORD, bearer, expectProblem, StaffUser, TestContext } from '../support/test-app';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const TABLES = ['users', 'sessions', 'vendors', 'audit_events'];

describe('platform: probes, API description, errors and headers', () => {
  let ctx: TestContext;
  let admin: StaffUser;

  beforeAll(async () => {
    ctx = await TestContext.create();
    admin = await ctx.admin();
  });
  afterAll(async () => ctx.close());

  it('answers the health probes without a session', async () => {
    const live = await ctx.http.get('/health');
    expect(live.status).toBe(200);
    expect(live.headers['content-type']).toMatch(/^application\/json/);
    expect(live.body).toEqual({ status: 'ok' });
    const ready = await ctx.http.get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ok', database: 'ok', transactions: 'ok', migrations: 'ok', shutdown: 'ok' });
    // A bad token does not turn a public probe into a 401.
    await ctx.http.get('/health/ready').set(bearer('not-a-session')).expect(200);
  });

  describe('the OpenAPI document', () => {
    let doc: Record<string, any>;
    beforeAll(async () => {
      const res = await ctx.http.get('/api/docs/json');
      if (res.status !== 200) throw new Error(`GET /api/docs/json answered ${res.status}`);
      doc = res.body;
    });

    it('describes the vendor routes, each behind a bearer session', () => {
      expect(doc.openapi).toMatch(/^3\./);
      expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
      expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
      const vendorOps: Array<[string, string]> = [
        ['/api/vendors', 'get'],
        ['/api/vendors', 'post'],
        ['/api/vendors/tier-preview', 'post'],
        ['/api/vendors/{id}', 'get'],
        ['/api/vendors/{id}', 'patch'],
        ['/api/vendors/{id}/tier-override', 'put'],
        ['/api/vendors/{id}/tier-override', 'delete'],
        ['/api/vendors/{id}/archive', 'post'],
        ['/api/vendors/{id}/restore', 'post'],
      ];
      for (const [path, method] of vendorOps) {
        const op = doc.paths[path]?.[method];
        expect({ path, method, op: op ? 'documented' : 'missing' }).toEqual({ path, method, op: 'documented' });
        expect(op.security).toContainEqual({ bearer: [] });
        expect(op.responses).toHaveProperty('401');
      }
      expect(Object.keys(doc.paths['/api/vendors/{id}']).sort()).toEqual(['get', 'patch']);
      expect(doc.paths['/api/vendors'].post.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/CreateVendorDto' });
      expect(doc.paths['/api/auth/login'].post.security).toBeUndefined();
    });

    it('leaves out pages and internal routes, and every reference resolves', () => {
      const paths = Object.keys(doc.paths);
      // Beside the API and the probes, only the calendar feed (fetched by calendar apps) is described.
      expect(paths.filter((p) => !p.startsWith('/api/') && !p.startsWith('/health'))).toEqual(['/calendar/{file}']);
      expect(paths.filter((p) => p.startsWith('/api/bench'))).toEqual([]);
      const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]);
      expect(refs.length).toBeGreaterThan(10);
      expect(refs.filter((r) => !(r in doc.components.schemas))).toEqual([]);
    });

    it('types the paging parameters as integers', () => {
      for (const path of ['/api/vendors', '/api/users', '/api/audit']) {
        const params = doc.paths[path].get.parameters as Array<{ name: string; schema: Record<string, unknown> }>;
        for (const name of ['page', 'pageSize']) {
          expect({ path, name, schema: params.find((p) => p.name === name)?.schema }).toMatchObject({ path, name, schema: { type: 'integer', minimum: 1 } });
        }
      }
    });
  });

  it.each([
    ['GET', '/api/nothing-here'],
    ['GET', '/api'],
    ['POST', '/api/vendors/tier-preview/extra'],
    ['DELETE', '/api/vendors'],
    ['PUT', '/api/users'],
    ['GET', '/health/nothing'],
    ['GET', '/api/vendors/4d7e1c52-8b1a-4f7e-9d2c-3b5a6e7f8091/history'],
  ])('answers %s %s with a problem+json 404', async (method, path) => {
    const res = await ctx.http[method.toLowerCase() as 'get'](path).set(bearer(admin.token));
    const problem = expectProblem(res, 404, 'common.not_found');
    expect(problem.instance).toBe(path);
  });

  it('answers URLs the router cannot take with problem documents too', async () => {
    for (const [url, status] of [
      [`/api/vendors/${'a'.repeat(500)}`, 414],
      ['/api/vendors/%E0%A4%A', 400],
      [`/vendors/${'a'.repeat(500)}`, 414],
    ] as const) {
      const res = await ctx.http.get(url).set(bearer(admin.token));
      expectProblem(res, status);
      expect(res.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY', 'x-request-id': expect.stringMatching(UUID) });
    }
  });

  it('puts an x-request-id on every response, the same one problem documents carry', async () => {
    const calls: Array<[string, () => PromiseLike<Response>]> = [
      ['health', () => ctx.http.get('/health')],
      ['readiness', () => ctx.http.get('/health/ready')],
      ['API description', () => ctx.http.get('/api/docs/json')],
      ['200', () => ctx.http.get('/api/vendors').set(bearer(admin.token))],
      ['401', () => ctx.http.get('/api/vendors')],
      ['404', () => ctx.http.get('/api/nothing-here')],
      ['400 query', () => ctx.http.get('/api/vendors?page=0').set(bearer(admin.token))],
      ['400 malformed JSON', () => ctx.http.post('/api/vendors').set(bearer(admin.token)).set('content-type', 'application/json').send('{bad')],
      ['401 sign-in', () => ctx.http.post('/api/auth/login').send({ email: 'nobody@portal.test', password: 'wrong password' })],
      ['413', () => ctx.http.post('/api/users').set(bearer(admin.token)).send({ padding: 'x'.repeat(1024 * 1024 + 1) })],
      ['414', () => ctx.http.get(`/api/vendors/${'a'.repeat(500)}`)],
      ['page', () => ctx.http.get('/login')],
    ];
    const seen: Array<{ label: string; id: string; problem: boolean; requestId?: string }> = [];
    for (const [label, call] of calls) {
      const res = await call();
      const problem = String(res.headers['content-type']).startsWith('application/problem+json');
      seen.push({ label, id: res.headers['x-request-id'], problem, requestId: problem ? res.body.requestId : undefined });
    }
    expect(seen.map(({ label, id }) => ({ label, id }))).toEqual(seen.map(({ label }) => ({ label, id: expect.stringMatching(UUID) })));
    const problems = seen.filter((r) => r.problem);
    expect(problems.length).toBeGreaterThanOrEqual(7);
    expect(problems.map(({ label, requestId }) => ({ label, requestId }))).toEqual(problems.map(({ label, id }) => ({ label, requestId: id })));
    const ids = seen.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('keeps a well-formed incoming request id and records it in the audit trail', async () => {
    const res = await ctx.http.post('/api/auth/login').set('x-request-id', 'trace-2026.03_02:abc').send({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
    expect(res.status).toBe(200);
    expect(res.headers['x-request-id']).toBe('trace-2026.03_02:abc');
    const events = await ctx.dataSource.getRepository(AuditEventEntity).findBy({ requestId: 'trace-2026.03_02:abc' });
    expect(events.map((e) => e.action)).toEqual(['auth.login']);
  });

  it.each([
    ['too long for the audit trail', 'r'.repeat(100)],
    ['with spaces and markup', 'id with <b>spaces</b>'],
    ['empty', ''],
  ])('replaces an incoming request id that is %s, and still serves and audits the request', async (_label, incoming) => {
    const res = await ctx.http.post('/api/auth/login').set('x-request-id', incoming).send({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
    expect({ status: res.status, body: res.body }).toMatchObject({ status: 200 });
    const id = res.headers['x-request-id'];
    expect(id).toMatch(UUID);
    const events = await ctx.dataSource.getRepository(AuditEventEntity).findBy({ requestId: id });
    expect(events.map((e) => e.action)).toEqual(['auth.login']);
  });

  it('sends the security headers on pages and API answers', async () => {
    const page = await ctx.http.get('/login');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    for (const res of [page, await ctx.http.get('/api/vendors'), await ctx.http.get('/api/vendors').set(bearer(admin.token))]) {
      expect(res.headers).toMatchObject({
        'content-security-policy': expect.stringContaining("frame-ancestors 'none'"),
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
        'referrer-policy': 'no-referrer',
      });
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      expect(res.headers['content-security-policy']).not.toContain('unsafe-inline');
      // PUBLIC_URL is http here: no HSTS.
      expect(res.headers).not.toHaveProperty('strict-transport-security');
    }
  });

  it('marks every API answer, bearer tokens above all, as never to be cached', async () => {
    const vendorId = await ctx.newVendor(admin.id);
    const sent = await createAssessment(ctx, admin.token, vendorId);
    const answers = [
      await ctx.http.post('/api/auth/login').send({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
      await ctx.http.post('/api/portal/session').send({ token: sent.token }),
      await ctx.http.get('/api/vendors').set(bearer(admin.token)),
      await ctx.http.get(`/api/vendors/${vendorId}`).set(bearer(admin.token)),
      await ctx.http.get('/api/vendors'),
      await ctx.http.get('/api/no-such-route').set(bearer(admin.token)),
    ];
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 401, 404]);
    for (const res of answers) expect(res.headers['cache-control']).toBe('no-store');
    // Static assets keep their own caching.
    expect((await ctx.http.get('/assets/app.css')).headers['cache-control']).not.toBe('no-store');
  });

  it("keeps its files to the portal's own user: folders 0700, the database, its WAL and SHM, and mails 0600", async () => {
    const mode = (p: string) => statSync(p).mode & 0o777;
    const mail = await ctx.app.get(MailService).send({ to: 'someone@vendor.example', subject: 'Link', text: 'http://portal.test/portal/t/secret' });
    expect(mail.file).toBeDefined();
    expect(mode(mail.file!)).toBe(0o600);
    expect(mode(path.dirname(mail.file!))).toBe(0o700);
    expect(mode(ctx.config.dataDir)).toBe(0o700);
    if (ctx.config.DATABASE_URL) return;
    const db = sqliteFile(ctx.config);
    for (const f of [db, `${db}-wal`, `${db}-shm`]) expect({ f, mode: mode(f).toString(8) }).toEqual({ f, mode: '600' });
  });

  it('has entities and migrations that agree: the schema builder wants no change', async () => {
    const sql = await ctx.dataSource.driver.createSchemaBuilder().log();
    expect(sql.upQueries.map((q) => q.query)).toEqual([]);
  });
});

describe('platform: the migration goes down and up again', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await TestContext.create();
  });
  afterAll(async () => ctx.close());

  const ISSUE3_TABLES = ['questionnaire_versions', 'assessments', 'assessment_modules', 'answers', 'evidence_files', 'portal_links', 'portal_sessions', 'findings'];
  const CONTRACT_TABLES = ['contracts', 'contract_clauses'];
  const REMINDER_TABLES = ['review_cycles', 'reminder_outbox'];

  const tables = async (names: readonly string[] = TABLES) => {
    const runner = ctx.dataSource.createQueryRunner();
    try {
      return Object.fromEntries(await Promise.all(names.map(async (t) => [t, await runner.hasTable(t)] as const)));
    } finally {
      await runner.release();
    }
  };

  const columnsOf = async (table: string) => {
    const runner = ctx.dataSource.createQueryRunner();
    try {
      return (await runner.getTable(table))?.columns.map((c) => c.name) ?? [];
    } finally {
      await runner.release();
    }
  };
  const vendorColumns = () => columnsOf('vendors');

  it('undoes each migration in turn and runs them again to the same schema', async () => {
    const none = Object.fromEntries(ISSUE3_TABLES.map((t) => [t, false]));
    const all = Object.fromEntries(ISSUE3_TABLES.map((t) => [t, true]));
    expect(await tables()).toEqual({ users: true, sessions: true, vendors: true, audit_events: true });
    expect(await tables(ISSUE3_TABLES)).toEqual(all);
    expect(await tables(CONTRACT_TABLES)).toEqual({ contracts: true, contract_clauses: true });
    expect(await tables(REMINDER_TABLES)).toEqual({ review_cycles: true, reminder_outbox: true });
    expect(await ctx.dataSource.showMigrations()).toBe(false);
    expect(await tables(['report_snapshots'])).toEqual({ report_snapshots: true });

    // The renewal ends migration corrects data only: undoing it changes nothing.
    await ctx.dataSource.undoLastMigration();
    expect(await ctx.dataSource.showMigrations()).toBe(true);

    // The outbox mail bodies migration: on MySQL/MariaDB the payload goes back to TEXT.
    const payloadType = async () => (await ctx.dataSource.createQueryRunner().getTable('reminder_outbox'))?.findColumnByName('payload')?.type;
    expect(await payloadType()).toBe(ctx.config.DATABASE_URL ? 'mediumtext' : 'text');
    await ctx.dataSource.undoLastMigration();
    expect(await payloadType()).toBe('text');

    // The report snapshots migration: its table goes.
    await ctx.dataSource.undoLastMigration();
    expect(await tables(['report_snapshots'])).toEqual({ report_snapshots: false });

    // The carried-over answers migration: its columns of answers go.
    await ctx.dataSource.undoLastMigration();
    expect(await columnsOf('answers')).not.toContain('prefilled_from');

    // The reviews and reminders migration: its tables and the users' reminder columns go.
    await ctx.dataSource.undoLastMigration();
    expect(await tables(REMINDER_TABLES)).toEqual({ review_cycles: false, reminder_outbox: false });
    expect(await columnsOf('users')).not.toContain('reminder_delivery');
    expect(await tables(CONTRACT_TABLES)).toEqual({ contracts: true, contract_clauses: true });

    // The contracts migration: its two tables go, the rest stays.
    await ctx.dataSource.undoLastMigration();
    expect(await tables(CONTRACT_TABLES)).toEqual({ contracts: false, contract_clauses: false });
    expect(await tables(ISSUE3_TABLES)).toEqual(all);

    // The questionnaire migration: its tables and the vendor's residual-risk columns go, the rest stays.
    await ctx.dataSource.undoLastMigration();
    expect(await tables(ISSUE3_TABLES)).toEqual(none);
    expect(await tables()).toEqual({ users: true, sessions: true, vendors: true, audit_events: true });
    expect(await vendorColumns()).not.toContain('residual_risk');

    await ctx.dataSource.undoLastMigration();
    expect(await tables()).toEqual({ users: false, sessions: false, vendors: false, audit_events: false });
    expect(await ctx.dataSource.showMigrations()).toBe(true);

    const ran = await ctx.dataSource.runMigrations();
    expect(ran.map((m) => m.name)).toEqual(['InitialSchema1764374400000', 'QuestionnairesAssessments1764892800000', 'Contracts1765584000000', 'ReviewsReminders1765670400000', 'AnswerPrefill1765756800000', 'ReportSnapshots1765843200000', 'OutboxMailBodies1766016000000', 'ContractRenewalEnds1766102400000']);
    expect(await tables(['report_snapshots'])).toEqual({ report_snapshots: true });
    expect(await payloadType()).toBe(ctx.config.DATABASE_URL ? 'mediumtext' : 'text');
    expect(await columnsOf('answers')).toEqual(expect.arrayContaining(['prefilled_from', 'previous_value', 'confirmed_at']));
    expect(await tables(CONTRACT_TABLES)).toEqual({ contracts: true, contract_clauses: true });
    expect(await tables(REMINDER_TABLES)).toEqual({ review_cycles: true, reminder_outbox: true });
    expect(await columnsOf('users')).toEqual(expect.arrayContaining(['reminder_delivery', 'calendar_token_hash']));
    expect(await tables()).toEqual({ users: true, sessions: true, vendors: true, audit_events: true });
    expect(await tables(ISSUE3_TABLES)).toEqual(all);
    expect(await vendorColumns()).toEqual(expect.arrayContaining(['residual_risk', 'residual_risk_at', 'last_assessment_id']));
    const sql = await ctx.dataSource.driver.createSchemaBuilder().log();
    expect(sql.upQueries.map((q) => q.query)).toEqual([]);
    await ctx.http.get('/health/ready').expect(200);
  });

});
