import { FindOperator, FindOptionsWhere, Like, Not } from 'typeorm';
import { ReminderEngine } from '../../src/reminders/reminder-engine.service';
import { ReminderOutboxEntity } from '../../src/reminders/reminder-outbox.entity';
import { ReminderRunEntity } from '../../src/reminders/reminder-run.entity';
import { ReviewCycleEntity } from '../../src/review-cycles/review-cycle.entity';
import { createAssessment } from '../support/assessment-factory';
import { newContract } from '../support/contract-factory';
import { outbox, parseMail, SmtpCapture } from '../support/mail-capture';
import { CLAIM_LEASE_MS, outboxMessageId } from '../../src/mail/outbox-delivery.service';
import { StaffUser, TestContext } from '../support/test-app';

const MINUTE = 60_000;

/** The reminder rows of the outbox: the invitations of the setup went through it too, and were sent then. */
const REMINDERS: FindOptionsWhere<ReminderOutboxEntity> = { rule: Not(Like('mail.%')) as FindOperator<ReminderOutboxEntity['rule']> };
const onMySql = Boolean(process.env.DATABASE_URL);

/** Reminder keys of the reminder mails written to the outbox folder (one per mail). */
const mailedKeys = (ctx: TestContext) =>
  outbox(ctx.config.dataDir)
    .map((m) => parseMail(m.raw).header('x-reminder-key'))
    .filter((k): k is string => Boolean(k));

/** Five vendors, each with a questionnaire due in 7 days and a contract whose notice deadline is in 60: ten reminders due on the test day. */
async function dueWork(ctx: TestContext, admin: StaffUser): Promise<void> {
  for (let i = 0; i < 5; i++) {
    const vendor = await ctx.newVendor(admin.id, { name: `Reminded ${i}` });
    await createAssessment(ctx, admin.token, vendor, { modules: ['baseline-lite'], dueDate: '2026-03-09' });
    await newContract(ctx, admin.token, vendor, { title: `Contract ${i}`, expiryDate: '2026-06-30', noticeDays: 60 });
  }
}

describe('reminder delivery: concurrency, crashes and mail outages', () => {
  describe(`engine runs started at the same moment (${onMySql ? 'two app instances on one MySQL/MariaDB database' : 'in one app: a SQLite database has one app process'})`, () => {
    let ctx: TestContext;
    let other: TestContext;

    beforeAll(async () => {
      ctx = await TestContext.create();
      other = onMySql ? await ctx.twin() : ctx;
      await dueWork(ctx, await ctx.admin());
    });
    afterAll(async () => {
      if (other !== ctx) await other.close();
      await ctx.close();
    });

    it('decides and sends each reminder once', async () => {
      const engines = [ctx.app.get(ReminderEngine), other.app.get(ReminderEngine)];
      for (const at of ['2026-03-02T09:00:00Z', '2026-03-02T09:05:00Z', '2026-03-03T09:00:00Z']) {
        ctx.clock.set(at);
        other.clock.set(at);
        await Promise.all([engines[0].run(), engines[1].run(), engines[0].run()]);
      }
      const rows = await ctx.dataSource.getRepository(ReminderOutboxEntity).find({ where: REMINDERS });
      expect(rows.map((r) => r.rule).sort()).toEqual([...Array(5).fill('contract.notice'), ...Array(5).fill('questionnaire.due')]);
      expect(rows.every((r) => r.status === 'sent' && r.attempts === 1)).toBe(true);
      const keys = mailedKeys(ctx);
      expect(keys.sort()).toEqual(rows.map((r) => r.key).sort());
    });
  });

  describe('a crash between deciding and sending', () => {
    let ctx: TestContext;
    beforeAll(async () => {
      ctx = await TestContext.create();
      await dueWork(ctx, await ctx.admin());
    });
    afterAll(async () => ctx.close());

    it('sends what was decided on the next run, once, and takes back a claim whose sender died', async () => {
      const engine = ctx.app.get(ReminderEngine);
      // The process decides, then dies before delivering; one row had just been claimed by its sender.
      const decided = await engine.run({ deliver: false });
      expect(Object.values(decided.decided).reduce((a, b) => a + (b ?? 0), 0)).toBe(10);
      const outboxRepo = ctx.dataSource.getRepository(ReminderOutboxEntity);
      const [claimed] = await outboxRepo.find({ where: REMINDERS, order: { key: 'ASC' }, take: 1 });
      await outboxRepo.update({ id: claimed.id }, { status: 'sending', claimedAt: ctx.clock.now(), attempts: 1 });
      expect(mailedKeys(ctx)).toEqual([]);

      // The next run (a restarted process) decides nothing new and sends the nine others; the
      // claim still has its lease.
      ctx.clock.advance(1 * MINUTE);
      const next = await engine.run();
      expect(next.decided).toEqual({});
      expect(next.delivery).toMatchObject({ sent: 9, failed: 0 });
      expect((await outboxRepo.findOneByOrFail({ id: claimed.id })).status).toBe('sending');

      // Once its lease (two minutes, no longer renewed by the dead sender) has run out, the row is taken back and sent.
      ctx.clock.advance(CLAIM_LEASE_MS);
      expect((await engine.run()).delivery).toMatchObject({ sent: 1 });
      const keys = mailedKeys(ctx);
      expect(keys).toHaveLength(10);
      expect(new Set(keys).size).toBe(10);
      expect((await outboxRepo.find()).every((r) => r.status === 'sent')).toBe(true);
      // The mail taken over carries the Message-ID of its outbox key, like any other try of it.
      const taken = outbox(ctx.config.dataDir).find((m) => parseMail(m.raw).header('x-reminder-key') === claimed.key)!;
      expect(parseMail(taken.raw).header('message-id')).toBe(outboxMessageId(claimed.key, ctx.config.PUBLIC_URL));
    });
  });

  describe('a mail server that stops in the middle of a run', () => {
    let smtp: SmtpCapture;
    let ctx: TestContext;
    beforeAll(async () => {
      smtp = await SmtpCapture.start();
      ctx = await TestContext.create({ SMTP_URL: smtp.url });
      const admin = await ctx.admin();
      await dueWork(ctx, admin);
      smtp.received.length = 0; // the invitations of the setup
    });
    afterAll(async () => {
      await smtp.close().catch(() => undefined);
      await ctx.close();
    });

    it('loses nothing: what was refused waits with a backoff and goes out once the server is back', async () => {
      // The same server again, told to stop listening after its fourth message.
      await smtp.close();
      smtp = await SmtpCapture.start(smtp.port, [], { stopAfter: 4 });
      const engine = ctx.app.get(ReminderEngine);
      const first = await engine.run();
      // Several mails are in flight at once: those already connected get through, the next are refused, and the run stops there.
      expect(first.delivery).toMatchObject({ failed: 0, interrupted: true });
      const sentFirst = first.delivery!.sent;
      const refusedCount = first.delivery!.retrying;
      expect(sentFirst).toBeGreaterThanOrEqual(4);
      expect(sentFirst).toBeLessThan(10);
      expect(refusedCount).toBeGreaterThanOrEqual(1);
      expect(smtp.received).toHaveLength(sentFirst);
      const outboxRepo = ctx.dataSource.getRepository(ReminderOutboxEntity);
      const waiting = await outboxRepo.find({ where: { status: 'pending' } });
      expect(waiting).toHaveLength(10 - sentFirst);
      const refused = waiting.filter((r) => r.attempts === 1);
      expect(refused).toHaveLength(refusedCount);
      for (const r of refused) {
        expect(r.lastError).toBeTruthy();
        expect(new Date(r.nextAttemptAt).getTime()).toBe(ctx.clock.now().getTime() + MINUTE);
      }

      // Still down a minute later: the refused ones back off to two minutes.
      ctx.clock.advance(MINUTE);
      const second = await engine.run();
      expect(second.delivery).toMatchObject({ sent: 0, failed: 0, interrupted: true });
      expect(second.delivery!.retrying).toBeGreaterThanOrEqual(1);

      // The server is back.
      smtp = await smtp.restart();
      ctx.clock.advance(2 * MINUTE);
      const third = await engine.run();
      expect(third.delivery).toMatchObject({ sent: 10 - sentFirst, retrying: 0, failed: 0, interrupted: false });
      const keys = smtp.received.map((m) => parseMail(m.raw).header('x-reminder-key'));
      expect(keys).toHaveLength(10);
      expect(new Set(keys).size).toBe(10);
      expect((await outboxRepo.find({ where: REMINDERS })).map((r) => r.status)).toEqual(Array(10).fill('sent'));
    });
  });

  describe('the review-cycle sync', () => {
    let ctx: TestContext;
    beforeAll(async () => {
      ctx = await TestContext.create();
    });
    afterAll(async () => ctx.close());

    it('runs at most once an hour; the runs between only decide and send, and every run is recorded', async () => {
      const engine = ctx.app.get(ReminderEngine);
      expect((await engine.run()).scheduled).not.toBeNull();
      const admin = await ctx.admin();
      const vendor = await ctx.newVendor(admin.id, { name: 'Newcomer' });
      const cycles = () => ctx.dataSource.getRepository(ReviewCycleEntity).countBy({ vendorId: vendor });
      ctx.clock.advance(5 * MINUTE);
      expect((await engine.run()).scheduled).toBeNull();
      expect(await cycles()).toBe(0);
      ctx.clock.advance(56 * MINUTE);
      expect((await engine.run()).scheduled).toMatchObject({ created: 1 });
      expect(await cycles()).toBe(1);
      const runs = await ctx.dataSource.getRepository(ReminderRunEntity).find({ order: { startedAt: 'ASC' } });
      expect(runs.map((r) => [r.scheduled, r.finishedAt !== null])).toEqual([
        [true, true],
        [false, true],
        [true, true],
      ]);
      expect(runs[2].report).toMatchObject({ scheduled: { created: 1 }, decided: {} });
    });
  });

  describe('a dry run', () => {
    let ctx: TestContext;
    beforeAll(async () => {
      ctx = await TestContext.create();
      await dueWork(ctx, await ctx.admin());
    });
    afterAll(async () => ctx.close());

    it('lists what is due and writes nothing', async () => {
      const before = await ctx.counts();
      const report = await ctx.app.get(ReminderEngine).run({ dryRun: true });
      expect(report.decided).toEqual({ 'questionnaire.due': 5, 'contract.notice': 5 });
      expect(report.wouldSend).toHaveLength(10);
      expect(await ctx.dataSource.getRepository(ReminderOutboxEntity).count({ where: REMINDERS })).toBe(0);
      expect(await ctx.counts()).toEqual(before);
      expect(mailedKeys(ctx)).toEqual([]);
    });
  });
});
