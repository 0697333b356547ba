import { SYSTEM_ACTOR } from '../../src/audit/audit-context';
import { addDays } from '../../src/common/dates';
import { ContractsService } from '../../src/contracts/contracts.service';
import { ReminderEngine } from '../../src/reminders/reminder-engine.service';
import { ReminderOutboxEntity } from '../../src/reminders/reminder-outbox.entity';
import { ReviewCycleEntity } from '../../src/review-cycles/review-cycle.entity';
import { ReviewCyclesService } from '../../src/review-cycles/review-cycles.service';
import { UserEntity } from '../../src/users/user.entity';
import { createAssessment, submittedAssessment } from '../support/assessment-factory';
import { newContract } from '../support/contract-factory';
import { outbox, parseMail } from '../support/mail-capture';
import { bearer, PROFILES, StaffUser, TestContext } from '../support/test-app';

const START = '2026-03-02';

/** Reminders and digests, not the mails that changes write to the same outbox (invitations, receipts…). */
const isReminder = (r: ReminderOutboxEntity) => !r.rule.startsWith('mail.');

/** The rows of the outbox, as `day rule occurrence → recipient` lines (sorted), for one target. */
async function decisions(ctx: TestContext, targetId?: string): Promise<string[]> {
  const rows = (await ctx.dataSource.getRepository(ReminderOutboxEntity).find({ where: targetId ? { targetId } : {}, order: { decidedAt: 'ASC', key: 'ASC' } })).filter(isReminder);
  return rows.map((r) => `${new Date(r.decidedAt).toISOString().slice(0, 10)} ${r.rule}${r.rule === 'digest' ? '' : ` ${r.key.split('|')[3]}`} → ${r.email}`).sort();
}

describe('reminders over a simulated year', () => {
  let ctx: TestContext;
  let p: StaffUser;
  let d: StaffUser;
  let r: StaffUser;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    ctx = await TestContext.create();
    const admin = await ctx.admin();
    p = await ctx.newUser('procurement', { email: 'pat@portal.test', name: 'Pat' });
    d = await ctx.newUser('procurement', { email: 'dana@portal.test', name: 'Dana' });
    r = await ctx.newUser('reviewer', { email: 'rui@portal.test', name: 'Rui' });
    await ctx.dataSource.getRepository(UserEntity).update({ id: d.id }, { reminderDelivery: 'digest' });

    // V1: a payment processor (reviewed yearly), its questionnaire due on 20 March, a contract whose notice deadline is 2 July, an accepted risk until the end of the year.
    ids.v1 = await ctx.newVendor(p.id, { name: 'Paylane', category: 'payment', profile: PROFILES.paymentProcessor, contact: { name: 'Li Wei', email: 'li.wei@paylane.example', language: 'zh-CN' } });
    ids.a1 = (await createAssessment(ctx, admin.token, ids.v1, { modules: ['baseline-lite'], dueDate: '2026-03-20' })).id;
    ids.c1 = (await newContract(ctx, admin.token, ids.v1, { title: 'Paylane MSA', ownerId: p.id, expiryDate: '2026-09-30', noticeDays: 90 })).id;
    const finding = await ctx.http.post('/api/findings').set(bearer(admin.token)).send({ vendorId: ids.v1, title: 'No penetration test', severity: 'medium', recommendation: 'Test once a year.' }).expect(201);
    ids.f1 = finding.body.id;
    await ctx.http.post(`/api/findings/${ids.f1}/accept-risk`).set(bearer(r.token)).send({ version: 1, reason: 'Compensating monitoring in place', until: '2026-12-31' }).expect(200);

    // V2: archived with a questionnaire out; V3: its questionnaire cancelled. Neither may ever be reminded.
    ids.v2 = await ctx.newVendor(p.id, { name: 'Gone Couriers' });
    ids.a2 = (await createAssessment(ctx, admin.token, ids.v2, { modules: ['baseline-lite'], dueDate: '2026-03-10' })).id;
    ids.c2 = (await newContract(ctx, admin.token, ids.v2, { title: 'Gone MSA', ownerId: p.id, expiryDate: '2026-06-30', noticeDays: 30 })).id;
    await ctx.http.post(`/api/vendors/${ids.v2}/archive`).set(bearer(admin.token)).send({ reason: 'No longer used' }).expect(200);
    ids.v3 = await ctx.newVendor(p.id, { name: 'Cancelled Couriers' });
    ids.a3 = (await createAssessment(ctx, admin.token, ids.v3, { modules: ['baseline-lite'], dueDate: '2026-03-12' })).id;
    await ctx.http.post(`/api/assessments/${ids.a3}/cancel`).set(bearer(admin.token)).send({ reason: 'Sent by mistake' }).expect(200);

    // V4, owned by Dana (daily digest): a questionnaire submitted today and never reviewed; a contract with a notice deadline on 6 May, ended on 1 May.
    ids.v4 = await ctx.newVendor(d.id, { name: 'Digest Logistics' });
    ids.s4 = (await submittedAssessment(ctx, admin.token, ids.v4, { modules: ['baseline-lite'] })).id;
    ids.c4 = (await newContract(ctx, admin.token, ids.v4, { title: 'Digest DPA', ownerId: d.id, expiryDate: '2026-06-05', noticeDays: 30 })).id;

    // A year, two sweeps a day: before the digest hour and after it.
    const engine = ctx.app.get(ReminderEngine);
    for (let day = 0; day < 365; day++) {
      const date = addDays(START, day);
      if (date === '2026-05-01') {
        const c4 = await ctx.app.get(ContractsService).get(ids.c4);
        await ctx.app.get(ContractsService).terminate(ids.c4, { version: c4.contract.version, terminatedOn: '2026-05-01', reason: 'Moved to another carrier' }, SYSTEM_ACTOR);
      }
      if (date === '2026-07-06') {
        const cycle = await ctx.dataSource.getRepository(ReviewCycleEntity).findOneByOrFail({ subjectId: ids.c1, state: 'scheduled' });
        await ctx.app.get(ReviewCyclesService).complete(cycle.id, { version: cycle.version, note: 'Renewed on the same terms' }, SYSTEM_ACTOR);
      }
      for (const time of ['06:00', '09:00']) {
        ctx.clock.set(`${date}T${time}:00.000Z`);
        const report = await engine.run();
        if (report.delivery?.failed || report.delivery?.retrying) throw new Error(`reminders not delivered on ${date} ${time}: ${JSON.stringify(report.delivery)}`);
      }
    }
  }, 240_000);
  afterAll(async () => ctx.close());

  it("reminds the vendor contact 7 and 1 days before the due date, then every 3 days three times, then escalates to the owner once", async () => {
    expect(await decisions(ctx, ids.a1)).toEqual([
      '2026-03-13 questionnaire.due d7 → li.wei@paylane.example',
      '2026-03-19 questionnaire.due d1 → li.wei@paylane.example',
      '2026-03-21 questionnaire.overdue o0 → li.wei@paylane.example',
      '2026-03-24 questionnaire.overdue o1 → li.wei@paylane.example',
      '2026-03-27 questionnaire.overdue o2 → li.wei@paylane.example',
      '2026-03-30 questionnaire.escalation once → pat@portal.test',
    ]);
  });

  it('reminds the contract owner 60, 30 and 7 days before the notice deadline, then of the open renewal review until it is done', async () => {
    const cycle = await ctx.dataSource.getRepository(ReviewCycleEntity).findOneByOrFail({ subjectId: ids.c1 });
    expect(await decisions(ctx, ids.c1)).toEqual([
      '2026-05-03 contract.notice d60 → pat@portal.test',
      '2026-06-02 contract.notice d30 → pat@portal.test',
      '2026-06-25 contract.notice d7 → pat@portal.test',
    ]);
    expect(await decisions(ctx, cycle.id)).toEqual(['2026-07-03 review.overdue o0 → pat@portal.test']);
    expect(cycle.state).toBe('done');
  });

  it('reminds 30 days before an accepted risk ends, then weekly while its review is overdue', async () => {
    expect(await decisions(ctx, ids.f1)).toEqual(['2026-12-01 risk.expiring d30 → pat@portal.test']);
    const cycle = await ctx.dataSource.getRepository(ReviewCycleEntity).findOneByOrFail({ subjectId: ids.f1 });
    expect(await decisions(ctx, cycle.id)).toEqual(
      ['2027-01-01', '2027-01-08', '2027-01-15', '2027-01-22', '2027-01-29', '2027-02-05', '2027-02-12', '2027-02-19', '2027-02-26'].map((day, k) => `${day} review.overdue o${k} → pat@portal.test`),
    );
  });

  it("reminds the owner 30 and 7 days before the vendor's yearly review", async () => {
    const cycle = await ctx.dataSource.getRepository(ReviewCycleEntity).findOneByOrFail({ vendorId: ids.v1, kind: 'reassessment' });
    expect(cycle.dueDate).toBe('2027-03-02');
    expect(await decisions(ctx, cycle.id)).toEqual(['2027-01-31 review.due d30 → pat@portal.test', '2027-02-23 review.due d7 → pat@portal.test']);
  });

  it('tells the owner and the reviewers once when a submitted questionnaire has waited 5 days', async () => {
    expect(await decisions(ctx, ids.s4)).toEqual(['2026-03-07 assessment.waiting_review once → dana@portal.test', '2026-03-07 assessment.waiting_review once → rui@portal.test']);
  });

  it('sends nothing about an archived vendor or a cancelled questionnaire', async () => {
    for (const id of [ids.a2, ids.c2, ids.a3]) expect(await decisions(ctx, id)).toEqual([]);
    const v2cycles = await ctx.dataSource.getRepository(ReviewCycleEntity).find({ where: { vendorId: ids.v2 } });
    expect(v2cycles.every((c) => c.state === 'cancelled')).toBe(true);
    for (const c of v2cycles) expect(await decisions(ctx, c.id)).toEqual([]);
  });

  it('stops the reminders of a contract once it is terminated', async () => {
    expect(await decisions(ctx, ids.c4)).toEqual(['2026-03-07 contract.notice d60 → dana@portal.test', '2026-04-06 contract.notice d30 → dana@portal.test', '2026-04-29 contract.notice d7 → dana@portal.test']);
    const cycle = await ctx.dataSource.getRepository(ReviewCycleEntity).findOneByOrFail({ subjectId: ids.c4 });
    expect(cycle.state).toBe('cancelled');
  });

  it("groups a digest user's reminders into one mail a day, after the digest hour", async () => {
    const rows = (await ctx.dataSource.getRepository(ReminderOutboxEntity).find({ where: { userId: d.id }, order: { decidedAt: 'ASC', key: 'ASC' } })).filter(isReminder);
    const digests = rows.filter((x) => x.rule === 'digest');
    expect(digests.map((x) => [new Date(x.decidedAt).toISOString(), x.status])).toEqual([
      ['2026-03-07T09:00:00.000Z', 'sent'],
      ['2026-04-06T09:00:00.000Z', 'sent'],
      ['2026-04-29T09:00:00.000Z', 'sent'],
    ]);
    const items = rows.filter((x) => x.rule !== 'digest');
    expect(items.every((x) => x.status === 'sent' && x.digestId !== null)).toBe(true);
    expect(items.filter((x) => x.digestId === digests[0].id).map((x) => x.rule).sort()).toEqual(['assessment.waiting_review', 'contract.notice']);
    const mails = outbox(ctx.config.dataDir).filter((m) => m.to.some((t) => t.includes('dana@portal.test')) && parseMail(m.raw).header('x-reminder-key'));
    expect(mails).toHaveLength(3);
    expect(mails[0].subject).toBe('Your vendor reminders: 2 item(s)');
    expect(mails[0].text).toContain('Digest Logistics: submitted on');
    expect(mails[0].text).toContain('Digest Logistics: notice deadline for "Digest DPA" on May 6, 2026');
  });

  it('sends every decided reminder exactly once, in the language of its recipient', async () => {
    const all = await ctx.dataSource.getRepository(ReminderOutboxEntity).find();
    // The invitations, receipts and notices went out too, through the same outbox.
    expect(all.filter((x) => x.status !== 'sent')).toEqual([]);
    const rows = all.filter(isReminder);
    const mails = outbox(ctx.config.dataDir).filter((m) => parseMail(m.raw).header('x-reminder-key'));
    const keys = mails.map((m) => parseMail(m.raw).header('x-reminder-key'));
    expect(new Set(keys).size).toBe(keys.length);
    // One mail per row sent on its own, one per digest.
    expect(keys.length).toBe(rows.filter((x) => x.digestId === null).length);
    const contact = mails.filter((m) => m.to.some((t) => t.includes('li.wei@paylane.example')));
    expect(contact).toHaveLength(5);
    expect(contact[0].subject).toMatch(/^提醒：Paylane 的安全问卷将于 2026年3月20日 到期$/);
  });
});
