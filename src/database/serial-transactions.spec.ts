import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DataSource, EntitySchema } from 'typeorm';
import { serializeTransactions } from './serial-transactions';

const Row = new EntitySchema<{ id: string }>({ name: 'row', columns: { id: { type: 'varchar', primary: true } } });

describe('serialized SQLite transactions', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'vdp-tx-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const open = async (serial: boolean) => {
    const ds = new DataSource({ type: 'better-sqlite3', database: path.join(dir, 'x.sqlite'), entities: [Row], synchronize: true });
    if (serial) serializeTransactions(ds);
    return ds.initialize();
  };

  /** A inserts, waits, then fails; B starts meanwhile, inserts and succeeds. */
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
    await Promise.all([a, b]);
    return (await ds.getRepository(Row).find()).map((r) => r.id).sort();
  };

  it('keeps what the successful transaction wrote and drops what the failed one wrote', async () => {
    const ds = await open(true);
    try {
      expect(await race(ds)).toEqual(['b', 'b2']);
    } finally {
      await ds.destroy();
    }
  });

  it('(without it, TypeORM mixes the two: the reason it exists)', async () => {
    const ds = await open(false);
    try {
      expect(await race(ds)).not.toEqual(['b', 'b2']);
    } finally {
      await ds.destroy();
    }
  });
});
