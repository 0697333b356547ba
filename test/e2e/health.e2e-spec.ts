import { Logger } from '@nestjs/common';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { MIGRATIONS } from '../../src/database/data-source-options';
import { ReadinessService } from '../../src/health/readiness.service';
import { UserEntity } from '../../src/users/user.entity';
import { createTestDatabase } from '../support/test-database';
import { bearer, expectProblem, StaffUser, TestContext } from '../support/test-app';

/** Readiness answers 503 (problem+json, Retry-After) naming what failed; liveness stays 200. */
const expectNotReady = async (ctx: TestContext, failed: string) => {
  const res = await ctx.http.get('/health/ready');
  const body = expectProblem(res, 503, 'common.unavailable');
  expect(res.headers['retry-after']).toMatch(/^\d+$/);
  expect(body.checks[failed]).toBe('failed');
  await ctx.http.get('/health').expect(200);
  return body;
};

describe('health: readiness fails for each of its reasons, liveness does not', () => {
  it('a transaction held open past READY_STUCK_TRANSACTION_SECONDS', async () => {
    const ctx = await TestContext.create({ READY_STUCK_TRANSACTION_SECONDS: '1' });
    try {
      await ctx.http.get('/health/ready').expect(200);
      let release!: () => void;
      const held = ctx.dataSource.transaction(async (m) => {
        await m.query('SELECT 1');
        await new Promise<void>((r) => (release = r));
      });
      await new Promise((r) => setTimeout(r, 1200));
      await expectNotReady(ctx, 'transactions');
      release();
      await held;
      await ctx.http.get('/health/ready').expect(200);
    } finally {
      await ctx.close();
    }
  });

  it('a pending migration with MIGRATIONS_RUN=false: 503 everywhere but the health checks, until it has run', async () => {
    let ctx = await TestContext.create();
    try {
      const admin = await ctx.admin();
      await ctx.dataSource.undoLastMigration({ transaction: 'each' });
      ctx = await ctx.restart({ MIGRATIONS_RUN: 'false' });
      await expectNotReady(ctx, 'migrations');
      const vendors = await ctx.http.get('/api/vendors').set(bearer(admin.token));
      expectProblem(vendors, 503, 'common.unavailable');
      expect(vendors.headers['retry-after']).toMatch(/^\d+$/);
      expect(vendors.body.detail).toMatch(/migration:run/);
      // The operator runs the migrations: the instance is ready again, without a restart.
      await ctx.dataSource.runMigrations({ transaction: 'each' });
      await ctx.http.get('/health/ready').expect(200);
      await ctx.http.get('/api/vendors').set(bearer(admin.token)).expect(200);
    } finally {
      await ctx.close();
    }
  });

  it('shutting down', async () => {
    const ctx = await TestContext.create();
    try {
      ctx.app.get(ReadinessService).beginShutdown();
      await expectNotReady(ctx, 'shutdown');
    } finally {
      await ctx.close();
    }
  });

  describe('the database cannot be reached', () => {
    let ctx: TestContext;
    let admin: StaffUser;
    beforeAll(async () => {
      ctx = await TestContext.create();
      admin = await ctx.admin();
    });
    afterAll(async () => ctx.close());

    it('answers 503 with Retry-After on the probe and on every route that needs it, never a 500', async () => {
      const driver = ctx.dataSource.driver as unknown as { pool?: { end(): Promise<void> }; databaseConnection: { close(): void } };
      if (driver.pool) await driver.pool.end();
      else driver.databaseConnection.close();
      const body = await expectNotReady(ctx, 'database');
      expect(body.checks.database).toBe('failed');
      for (const res of [
        await ctx.http.get('/api/vendors').set(bearer(admin.token)),
        await ctx.http.post('/api/auth/login').send({ email: admin.email, password: 'whatever it is' }),
      ]) {
        expectProblem(res, 503, 'common.unavailable');
        expect(res.headers['retry-after']).toMatch(/^\d+$/);
      }
    });
  });
});

describe('two instances started at once on an empty database', () => {
  it('both start: one runs the migrations and creates the first admin, the other waits and finds them done', async () => {
    const db = await createTestDatabase();
    const dataDir = mkdtempSync(path.join(tmpdir(), 'vdp-twins-'));
    // Nothing goes wrong on the way, not even an error that a retry then hides.
    const errors = jest.spyOn(Logger.prototype, 'error');
    const [a, b] = await Promise.all([TestContext.create({}, undefined, { db, dataDir }), TestContext.create({}, undefined, { db, dataDir })]);
    try {
      const applied = (await a.dataSource.query('SELECT name FROM migrations')) as Array<{ name: string }>;
      expect(applied.map((m) => m.name).sort()).toEqual(MIGRATIONS.map((m) => m.name).sort());
      expect(await a.dataSource.getRepository(UserEntity).count()).toBe(1);
      for (const ctx of [a, b]) await ctx.http.get('/health/ready').expect(200);
      await b.admin();
      expect(errors.mock.calls).toEqual([]);
    } finally {
      errors.mockRestore();
      await b.app.close();
      await a.close();
    }
  });
});
