import { randomUUID } from 'node:crypto';
import { insertIgnore } from '../../src/database/insert-ignore';
import { MAX_BOUND_PARAMETERS } from '../../src/database/statement-size';
import { ReminderOutboxEntity } from '../../src/reminders/reminder-outbox.entity';
import { overdueReminderRow } from '../support/outbox-factory';
import { TestContext } from '../support/test-app';

describe('insertIgnore on the real database', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await TestContext.create();
  });
  afterAll(async () => ctx.close());

  const outboxRow = (n: number): ReminderOutboxEntity => overdueReminderRow(n, new Date('2026-11-29T09:00:00.000Z'));


  // A catch-up reminder sweep decided this many at once for one chunk of a large register; as one
  // statement SQLite refused it ("too many SQL variables").
  it('writes more rows than one statement can carry, and skips those a unique key holds in any of its statements', async () => {
    const columns = ctx.dataSource.getMetadata(ReminderOutboxEntity).columns.length;
    const rows = Array.from({ length: 3_500 }, (_, n) => outboxRow(n));
    expect(rows.length * columns).toBeGreaterThan(2 * MAX_BOUND_PARAMETERS);
    // The same decisions again (new ids): the first statement's rows, sent in the last one.
    const again = rows.slice(0, 500).map((r) => ({ ...r, id: randomUUID() }));

    const written = await ctx.dataSource.transaction((m) => insertIgnore(m, ReminderOutboxEntity, [...rows, ...again]));
    expect(written).toBe(3_500);
    expect(await ctx.dataSource.getRepository(ReminderOutboxEntity).count()).toBe(3_500);
    const stored = await ctx.dataSource.getRepository(ReminderOutboxEntity).findOneByOrFail({ decision: 'questionnaire.overdue|a3499|2026-11-29' });
    expect(stored).toMatchObject({ email: 'contact3499@vendor.example', payload: { vendorName: 'Vendor 3499', daysLeft: -3 } });
    expect(stored.id).toBe(rows[3_499].id);

    // Inserted again as a whole, nothing is written.
    expect(await ctx.dataSource.transaction((m) => insertIgnore(m, ReminderOutboxEntity, again))).toBe(0);
  });
});
