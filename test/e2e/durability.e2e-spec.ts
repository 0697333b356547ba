import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { createConnection } from 'mysql2/promise';
import type { EntitySubscriberInterface, TransactionCommitEvent } from 'typeorm';
import { sqliteFile } from '../../src/database/data-source-options';
import { VendorEntity } from '../../src/vendors/vendor.entity';
import { SmallDisk } from '../support/small-disk';
import { createTestDatabase } from '../support/test-database';
import { bearer, expectProblem, StaffUser, TestContext, vendorInput } from '../support/test-app';

const onMysql = !!process.env.DATABASE_URL;

/** Creates a vendor through the API; its name is its key. */
const createVendor = (ctx: TestContext, admin: StaffUser, name: string) =>
  ctx.http
    .post('/api/vendors')
    .set(bearer(admin.token))
    .send({ ...vendorInput(admin.id), name });

/** A request whose transaction the app rolls back (a conflict found after the first statement). */
const failingTransaction = (ctx: TestContext) =>
  ctx.dataSource
    .transaction(async (m) => {
      await m.query('SELECT 1');
      throw new Error('conflict');
    })
    .catch(() => undefined);

const namesIn = async (ctx: TestContext): Promise<string[]> =>
  (await ctx.dataSource.getRepository(VendorEntity).find({ select: { name: true } })).map((v) => v.name).sort();

(onMysql ? describe.skip : describe)('SQLite: a disk that fills up, then has space again', () => {
  // The data folder sits on a small tmpfs that the test fills: the failure happens where it does
  // in production, when SQLite writes the WAL at COMMIT. Mounting needs root, as CI runs.
  const disk = new SmallDisk('disk', '4m');
  const dataDir = path.join(disk.path, 'data');
  beforeAll(() => disk.mount());
  afterAll(() => disk.unmount());

  it('answers 507 while full, and afterwards every acknowledged write is on disk, also after a restart', async () => {
    if (!disk.mounted) return;
    mkdirSync(dataDir, { recursive: true });
    let ctx = await TestContext.create({}, undefined, { db: await createTestDatabase(), dataDir });
    try {
      const admin = await ctx.admin();
      const acked: string[] = [];
      await createVendor(ctx, admin, 'Before').expect(201);
      acked.push('Before');

      disk.fillLeaving(24 * 1024);
      const refused: number[] = [];
      for (let i = 0; i < 40 && refused.length < 2; i++) {
        const res = await createVendor(ctx, admin, `During ${i}`);
        if (res.status === 201) acked.push(`During ${i}`);
        else refused.push(res.status);
        if (res.status !== 201) expectProblem(res, 507, 'common.insufficient_storage');
      }
      expect(refused).toEqual([507, 507]);

      disk.free();
      await failingTransaction(ctx);
      for (let i = 0; i < 10; i++) {
        await createVendor(ctx, admin, `After ${i}`).expect(201);
        acked.push(`After ${i}`);
      }
      acked.sort();
      expect(await namesIn(ctx)).toEqual(acked);

      // Another process reading the file sees every acknowledged write.
      const other = new Database(sqliteFile(ctx.config), { readonly: true });
      try {
        expect((other.prepare('SELECT name FROM vendors ORDER BY name').all() as Array<{ name: string }>).map((r) => r.name).sort()).toEqual(acked);
      } finally {
        other.close();
      }

      ctx = await ctx.restart();
      expect(await namesIn(ctx)).toEqual(acked);
    } finally {
      await ctx.close();
    }
  });
});

(onMysql ? describe : describe.skip)('MySQL/MariaDB: the connection is lost between a write and its COMMIT', () => {
  let ctx: TestContext;
  let admin: StaffUser;
  let killNext = false;
  let failEnds = false;

  /** Faults injected at the end of the next transaction, on this context's data source. */
  const injectFaults = (ctx: TestContext) => {
    const url = ctx.config.DATABASE_URL!.replace(/^mariadb:/, 'mysql:');
    const killer: EntitySubscriberInterface = {
      beforeTransactionRollback() {
        if (!failEnds) return;
        failEnds = false;
        throw new Error('ROLLBACK could not be sent');
      },
      async beforeTransactionCommit(event: TransactionCommitEvent) {
        if (failEnds) throw new Error('COMMIT could not be sent');
        if (!killNext) return;
        killNext = false;
        const [rows] = (await event.queryRunner.query('SELECT CONNECTION_ID() AS id')) as unknown as [Array<{ id: number }>] | Array<{ id: number }>;
        const id = Array.isArray(rows) ? rows[0].id : (rows as { id: number }).id;
        const admin = await createConnection(url);
        try {
          await admin.query(`KILL CONNECTION ${Number(id)}`);
        } finally {
          await admin.end();
        }
      },
    };
    ctx.dataSource.subscribers.push(killer);
  };

  beforeAll(async () => {
    ctx = await TestContext.create();
    admin = await ctx.admin();
    injectFaults(ctx);
  });
  afterAll(async () => ctx?.close());

  it('answers 503 with Retry-After, keeps nothing of that request, and acknowledges only what is committed', async () => {
    await createVendor(ctx, admin, 'Before').expect(201);
    killNext = true;
    const lost = await createVendor(ctx, admin, 'Killed');
    const body = expectProblem(lost, 503, 'common.unavailable');
    expect(lost.headers['retry-after']).toMatch(/^\d+$/);
    expect(body.detail).toMatch(/Nothing was changed/);
    expect(killNext).toBe(false);

    const acked = ['Before'];
    for (let i = 0; i < 10; i++) {
      await createVendor(ctx, admin, `After ${i}`).expect(201);
      acked.push(`After ${i}`);
    }
    expect(await namesIn(ctx)).toEqual(acked.sort());
    ctx = await ctx.restart();
    injectFaults(ctx);
    expect(await namesIn(ctx)).toEqual(acked.sort());
  });

  it('never hands a connection still inside a failed transaction back to the pool', async () => {
    const before = await namesIn(ctx);
    failEnds = true;
    const failed = await createVendor(ctx, admin, 'Failed both ends');
    expect(failed.status).toBe(500);
    // Every connection of the pool (10) is used again, some inside transactions of their own.
    for (let i = 0; i < 12; i++) await createVendor(ctx, admin, `Next ${i}`).expect(201);
    const names = await namesIn(ctx);
    expect(names).not.toContain('Failed both ends');
    expect(names).toEqual([...before, ...Array.from({ length: 12 }, (_, i) => `Next ${i}`)].sort());
  });
});
