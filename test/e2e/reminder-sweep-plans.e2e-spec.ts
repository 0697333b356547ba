import { CONTRACTS_SQL, QUESTIONNAIRES_SQL, REVIEWS_SQL, RISKS_SQL, SweepQuery, WAITING_REVIEW_SQL } from '../../src/reminders/reminder-engine.service';
import { TestContext } from '../support/test-app';

const onMySql = Boolean(process.env.DATABASE_URL);

/** Rows of each table in the register the statistics describe: the scale benchmark's. */
const ROWS: Record<string, number> = { vendors: 100_000, assessments: 300_000, review_cycles: 150_000, contracts: 50_000, findings: 20_000 };
/** Index columns with few distinct values in such a register (seven staff own every vendor). */
const FEW_VALUES = new Set(['owner_id', 'status', 'state', 'kind']);

/**
 * The sweep reads each rule's chunk of 1,000 ids with their vendor. With the statistics of a large
 * register, SQLite drove that join from the vendors instead, skip-scanning every current vendor by
 * owner for each chunk, and a catch-up sweep of 100,000 vendors spent a minute deciding.
 */
describe('reminder sweep: the plans of its chunk queries on a large register', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await TestContext.create();
    if (!onMySql) await loadLargeRegisterStatistics(ctx);
  });
  afterAll(async () => ctx.close());

  async function loadLargeRegisterStatistics(c: TestContext): Promise<void> {
    await c.dataSource.query('ANALYZE');
    await c.dataSource.query('DELETE FROM sqlite_stat1');
    for (const [table, rows] of Object.entries(ROWS)) {
      await c.dataSource.query('INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, NULL, ?)', [table, String(rows)]);
      const indexes: Array<{ name: string; unique: number }> = await c.dataSource.query(`SELECT name, "unique" FROM pragma_index_list('${table}')`);
      for (const index of indexes) {
        const columns: Array<{ name: string }> = await c.dataSource.query(`SELECT name FROM pragma_index_info('${index.name}') ORDER BY seqno`);
        const perValue = columns.map((col, i) => (index.unique && i === columns.length - 1 ? 1 : i === 0 && FEW_VALUES.has(col.name) ? Math.round(rows / 7) : Math.max(1, Math.round(10 / (i + 1)))));
        await c.dataSource.query('INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)', [table, index.name, `${rows} ${perValue.join(' ')}`]);
      }
    }
    // Makes the connection read the statistics just written.
    await c.dataSource.query('ANALYZE sqlite_schema');
  }

  /**
   * Which table the plan of a chunk query starts from, and whether it reads the vendor by primary
   * key. MySQL/MariaDB read the CROSS JOIN as an inner join and order it by their own statistics,
   * which an empty test schema does not have (the scale benchmark prints their plans: each chunk
   * table first, the vendor by PRIMARY): there the statement is checked to join the two tables.
   */
  async function planOf(q: SweepQuery, alias: string): Promise<{ drivenBy: string; vendorByPrimaryKey: boolean }> {
    const ids = Array.from({ length: 1000 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    const sql = q.rows.replace(':ids', ids.map(() => '?').join(', '));
    if (onMySql) {
      const tables = ((await ctx.dataSource.query(`EXPLAIN ${sql}`, ids)) as Array<{ table: string }>).map((p) => p.table);
      return { drivenBy: tables.includes(alias) ? alias : tables.join(','), vendorByPrimaryKey: tables.includes('v') };
    }
    const steps = ((await ctx.dataSource.query(`EXPLAIN QUERY PLAN ${sql}`, ids)) as Array<{ detail: string }>).map((p) => p.detail);
    return {
      drivenBy: /^(?:SEARCH|SCAN) (\w+)/.exec(steps[0])![1],
      vendorByPrimaryKey: steps.some((step) => /^SEARCH v USING (INDEX sqlite_autoindex_vendors_1|PRIMARY KEY) \(id=\?\)/.test(step)),
    };
  }

  it.each([
    ['questionnaires', QUESTIONNAIRES_SQL, 'a'],
    ['reviews', REVIEWS_SQL, 'r'],
    ['contracts', CONTRACTS_SQL, 'c'],
    ['accepted risks', RISKS_SQL, 'f'],
    ['waiting for review', WAITING_REVIEW_SQL, 'a'],
  ] as const)('%s: reads the chunk from its own table, then each one its vendor by primary key', async (_name, q, alias) => {
    // The chunk's own table drives (by its ids, or by an index of the rule's own condition), never the vendors.
    expect(await planOf(q, alias)).toEqual({ drivenBy: alias, vendorByPrimaryKey: true });
  });
});
