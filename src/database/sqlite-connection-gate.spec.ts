import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { DataSource, EntitySchema } from 'typeorm';
import { SmallDisk } from '../../test/support/small-disk';
import { gateSqliteConnection } from './sqlite-connection-gate';

const Row = new EntitySchema<{ id: string; v: string }>({
  name: 'row',
  columns: { id: { type: 'varchar', primary: true }, v: { type: 'text', default: '' } },
});

const open = async (file: string, gated = true): Promise<DataSource> => {
  const ds = new DataSource({ type: 'better-sqlite3', database: file, enableWAL: true, entities: [Row], synchronize: true });
  if (gated) gateSqliteConnection(ds);
  return ds.initialize();
};

const raw = (ds: DataSource) => (ds.driver as unknown as { databaseConnection: Database.Database }).databaseConnection;

/** What another process reading the file sees: only what was committed. */
const committedIds = (file: string): string[] => {
  const other = new Database(file, { readonly: true });
  try {
    return (other.prepare('SELECT id FROM row').all() as Array<{ id: string }>).map((r) => r.id).sort();
  } finally {
    other.close();
  }
};

/**
 * After `fail` makes writes fail, one transaction that the app itself rolls back, then ten
 * writes that must be acknowledged only if they are committed. Returns the acknowledged ids.
 */
const writeThroughAFailure = async (ds: DataSource, fail: () => void, heal: () => void): Promise<{ acked: string[]; failures: number; failedAt: string[] }> => {
  const acked: string[] = [];
  const failedAt: string[] = [];
  let failures = 0;
  const write = async (id: string) => {
    try {
      await ds.transaction((m) => m.insert(Row, { id, v: 'x'.repeat(3000) }));
      acked.push(id);
    } catch (err) {
      failures += 1;
      const e = err as { query?: string; cause?: { query?: string } };
      failedAt.push(String(e.cause?.query ?? e.query));
    }
  };
  await write('before');
  fail();
  for (let i = 0; i < 5 && failures === 0; i++) await write(`during-${i}`);
  heal();
  // A transaction the app rolls back (a conflict found after a write).
  await ds
    .transaction(async (m) => {
      await m.insert(Row, { id: 'conflict' });
      throw new Error('conflict');
    })
    .catch(() => undefined);
  for (let i = 0; i < 10; i++) await write(`after-${i}`);
  return { acked: acked.sort(), failures, failedAt };
};

describe('the SQLite connection gate', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'vdp-gate-'));
    file = path.join(dir, 'x.sqlite');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** A inserts, waits, then fails; B starts meanwhile, inserts and succeeds; C writes outside any transaction meanwhile. */
  const race = async (ds: DataSource) => {
    const a = ds
      .transaction(async (m) => {
        await m.insert(Row, { id: 'a' });
        await new Promise((r) => setTimeout(r, 20));
        throw new Error('A fails');
      })
      .catch(() => 'a rolled back');
    await new Promise((r) => setTimeout(r, 5));
    const b = ds.transaction(async (m) => {
      await m.insert(Row, { id: 'b' });
      // A transaction inside a transaction still nests.
      await m.transaction(async (n) => n.insert(Row, { id: 'b2' }));
    });
    const c = ds.getRepository(Row).insert({ id: 'c' });
    const d = ds.getRepository(Row).save({ id: 'd', v: 'saved' });
    await Promise.all([a, b, c, d]);
    return (await ds.getRepository(Row).find()).map((r) => r.id).sort();
  };

  it('keeps what the successful transaction and the lone writes wrote, and drops what the failed one wrote', async () => {
    const ds = await open(file);
    try {
      expect(await race(ds)).toEqual(['b', 'b2', 'c', 'd']);
      expect(committedIds(file)).toEqual(['b', 'b2', 'c', 'd']);
    } finally {
      await ds.destroy();
    }
  });

  it('(without it, TypeORM mixes them: a lone write is lost with the rollback of another transaction)', async () => {
    const ds = await open(file, false);
    try {
      expect(await race(ds)).not.toEqual(['b', 'b2', 'c', 'd']);
    } finally {
      await ds.destroy();
    }
  });

  const fullDatabase = (ds: DataSource) => ({
    fail: () => raw(ds).pragma(`max_page_count = ${Number(raw(ds).pragma('page_count', { simple: true })) + 1}`),
    heal: () => raw(ds).pragma('max_page_count = 1073741823'),
  });

  it('after a statement fails with "database or disk is full", every later acknowledged write is committed', async () => {
    const ds = await open(file);
    try {
      const { fail, heal } = fullDatabase(ds);
      const { acked, failures } = await writeThroughAFailure(ds, fail, heal);
      expect(failures).toBeGreaterThan(0);
      expect(acked).toContain('after-9');
      expect(raw(ds).inTransaction).toBe(false);
      expect(committedIds(file)).toEqual(acked);
    } finally {
      await ds.destroy();
    }
  });

  it('(without it, the same run acknowledges writes that are never committed)', async () => {
    const ds = await open(file, false);
    try {
      const { fail, heal } = fullDatabase(ds);
      const { acked } = await writeThroughAFailure(ds, fail, heal);
      expect(committedIds(file)).not.toEqual(acked);
    } finally {
      await ds.destroy();
    }
  });

  it('a transaction that swallows the error of its failed statement still fails, and writes nothing', async () => {
    const ds = await open(file);
    try {
      const { heal } = fullDatabase(ds);
      raw(ds).pragma(`max_page_count = ${Number(raw(ds).pragma('page_count', { simple: true }))}`);
      const run = ds.transaction(async (m) => {
        // SQLite rolls the whole transaction back when a statement finds the database full.
        await m.insert(Row, { id: 'big', v: 'x'.repeat(20000) }).catch(() => undefined);
        heal();
        await m.insert(Row, { id: 'after-swallowed' });
      });
      await expect(run).rejects.toThrow(/rolled back/);
      expect(committedIds(file)).toEqual([]);
      await ds.getRepository(Row).insert({ id: 'next' });
      expect(committedIds(file)).toEqual(['next']);
    } finally {
      await ds.destroy();
    }
  });

  describe('on a disk that fills up (tmpfs): the COMMIT itself fails', () => {
    const disk = new SmallDisk('full', '640k');
    beforeAll(() => disk.mount());
    afterAll(() => disk.unmount());

    const onFullDisk = async (gated: boolean) => {
      const dbFile = path.join(disk.path, `${gated ? 'gated' : 'plain'}.sqlite`);
      const ds = await open(dbFile, gated);
      try {
        const result = await writeThroughAFailure(
          ds,
          // Leave about 16 KB: the next writes fill it as their WAL frames are written at COMMIT.
          () => disk.fillLeaving(16 * 1024),
          () => disk.free(),
        );
        return { ...result, committed: committedIds(dbFile) };
      } finally {
        await ds.destroy();
        rmSync(dbFile, { force: true });
        rmSync(`${dbFile}-wal`, { force: true });
        rmSync(`${dbFile}-shm`, { force: true });
      }
    };

    it('every write acknowledged after the failure is committed', async () => {
      if (!disk.mounted) return;
      const { acked, failures, committed, failedAt } = await onFullDisk(true);
      expect(failures).toBeGreaterThan(0);
      expect(failedAt).toContain('COMMIT');
      expect(acked).toContain('after-9');
      expect(committed).toEqual(acked);
    });

    it('(without it, acknowledged writes are lost)', async () => {
      if (!disk.mounted) return;
      const { acked, committed } = await onFullDisk(false);
      expect(committed).not.toEqual(acked);
    });
  });
});
