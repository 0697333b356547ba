import { withAdvisoryLock } from '../../src/database/advisory-lock';
import { ReviewCyclesService } from '../../src/review-cycles/review-cycles.service';
import { TestContext } from '../support/test-app';

const onMySql = Boolean(process.env.DATABASE_URL);
const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('advisory lock: work that must not overlap, across app instances', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await TestContext.create();
  });
  afterAll(async () => ctx.close());

  it('runs holders of one name one after the other, in this process', async () => {
    const events: string[] = [];
    const job = (n: number) => async () => {
      events.push(`start ${n}`);
      await tick(30);
      events.push(`end ${n}`);
      return n;
    };
    const results = await Promise.all([1, 2, 3].map((n) => withAdvisoryLock(ctx.dataSource, 'test.serial', job(n))));
    expect(results).toEqual([1, 2, 3]);
    expect(events).toEqual(['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3']);
    // A failing holder lets the next one in.
    const failing = withAdvisoryLock(ctx.dataSource, 'test.serial', async () => {
      throw new Error('boom');
    });
    await expect(failing).rejects.toThrow('boom');
    await expect(withAdvisoryLock(ctx.dataSource, 'test.serial', async () => 'next')).resolves.toBe('next');
  });

  it(`waits while ${onMySql ? 'another connection (another app instance) holds the lock on the server' : 'the lock is held (SQLite: one process per database file)'}`, async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let holder: Promise<unknown>;
    const runner = ctx.dataSource.createQueryRunner();
    if (onMySql) {
      // Another instance's connection takes the lock, as GET_LOCK sees it.
      await runner.connect();
      const [row] = await runner.query('SELECT GET_LOCK(?, 5) AS got', ['vdp.review_cycles.schedule']);
      if (Number(row.got) !== 1) throw new Error('the test could not take the lock');
      holder = held.then(() => runner.query('SELECT RELEASE_LOCK(?)', ['vdp.review_cycles.schedule']));
    } else {
      holder = withAdvisoryLock(ctx.dataSource, 'vdp.review_cycles.schedule', () => held);
    }
    let done = false;
    const scheduling = ctx.app
      .get(ReviewCyclesService)
      .schedule('2026-03-02')
      .then((r) => {
        done = true;
        return r;
      });
    await tick(300);
    expect(done).toBe(false);
    release();
    await holder;
    await expect(scheduling).resolves.toMatchObject({ created: expect.any(Number) });
    expect(done).toBe(true);
    await runner.release();
  });
});
