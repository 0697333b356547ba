import ICAL from 'ical.js';
import { ReminderEngine } from '../../src/reminders/reminder-engine.service';
import { createAssessment } from '../support/assessment-factory';
import { newContract } from '../support/contract-factory';
import { bearer, expectProblem, PROFILES, StaffUser, TestContext } from '../support/test-app';

describe('reminder settings and the calendar feed', () => {
  let ctx: TestContext;
  let admin: StaffUser;
  let owner: StaffUser;
  let other: StaffUser;

  beforeAll(async () => {
    ctx = await TestContext.create();
    admin = await ctx.admin();
    owner = await ctx.newUser('procurement', { name: 'Olga Owner' });
    other = await ctx.newUser('procurement', { name: 'Someone Else' });
    const mine = await ctx.newVendor(owner.id, { name: 'Mine, Ltd; "Cloud"', category: 'payment', profile: PROFILES.paymentProcessor });
    await createAssessment(ctx, admin.token, mine, { modules: ['baseline-lite'], dueDate: '2026-04-15' });
    await newContract(ctx, admin.token, mine, { title: 'Mine MSA', ownerId: owner.id, expiryDate: '2026-12-31', noticeDays: 90 });
    const theirs = await ctx.newVendor(other.id, { name: 'Not Mine' });
    await createAssessment(ctx, admin.token, theirs, { modules: ['baseline-lite'], dueDate: '2026-04-16' });
    await ctx.app.get(ReminderEngine).run({ deliver: false }); // schedules the review cycles
  });
  afterAll(async () => ctx.close());

  it('switches delivery to a daily digest and back, audited, and refuses an unknown choice', async () => {
    expect((await ctx.http.get('/api/me/reminders').set(bearer(owner.token)).expect(200)).body).toEqual({ delivery: 'immediate', calendarFeed: false, digestHour: 7 });
    expect((await ctx.http.put('/api/me/reminders').set(bearer(owner.token)).send({ delivery: 'digest' }).expect(200)).body.delivery).toBe('digest');
    const before = await ctx.counts();
    expectProblem(await ctx.http.put('/api/me/reminders').set(bearer(owner.token)).send({ delivery: 'weekly' }), 400, 'common.validation');
    expect(await ctx.counts()).toEqual(before);
    expect((await ctx.http.put('/api/me/reminders').set(bearer(owner.token)).send({ delivery: 'immediate' }).expect(200)).body.delivery).toBe('immediate');
    expectProblem(await ctx.http.put('/api/me/reminders').send({ delivery: 'digest' }), 401);
  });

  it("serves the owner's dates as an iCalendar feed behind a secret URL that parses", async () => {
    const { url } = (await ctx.http.post('/api/me/calendar').set(bearer(owner.token)).expect(200)).body;
    expect(url).toMatch(/^http:\/\/portal\.test\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
    const res = await ctx.http.get(new URL(url).pathname).expect(200);
    expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(res.text.split('\r\n').every((line) => Buffer.byteLength(line) <= 75)).toBe(true);
    const cal = new ICAL.Component(ICAL.parse(res.text));
    const events = cal.getAllSubcomponents('vevent').map((e) => ({ summary: String(e.getFirstPropertyValue('summary')), date: String(e.getFirstPropertyValue('dtstart')) }));
    expect(events).toEqual([
      { summary: 'Questionnaire due: Mine, Ltd; "Cloud"', date: '2026-04-15' },
      { summary: 'Notice deadline: Mine MSA (Mine, Ltd; "Cloud")', date: '2026-10-02' },
      { summary: 'Contract ends: Mine MSA (Mine, Ltd; "Cloud")', date: '2026-12-31' },
      { summary: 'Review due: Mine, Ltd; "Cloud" (contract renewal)', date: '2026-10-02' },
      { summary: 'Review due: Mine, Ltd; "Cloud" (yearly re-assessment)', date: '2027-03-02' },
    ].sort((a, b) => a.date.localeCompare(b.date) || 0));
    expect((await ctx.http.get('/api/me/reminders').set(bearer(owner.token)).expect(200)).body.calendarFeed).toBe(true);
  });

  it('ends the old URL when a new one is made, and refuses wrong or disabled secrets without echoing them', async () => {
    const first = (await ctx.http.post('/api/me/calendar').set(bearer(owner.token)).expect(200)).body.url as string;
    const second = (await ctx.http.post('/api/me/calendar').set(bearer(owner.token)).expect(200)).body.url as string;
    const gone = await ctx.http.get(new URL(first).pathname);
    const body = expectProblem(gone, 404, 'common.not_found');
    expect(body.instance).toBe('/calendar/[redacted]');
    expect(JSON.stringify(body)).not.toContain(new URL(first).pathname.split('/')[2].slice(0, 20));
    await ctx.http.get(new URL(second).pathname).expect(200);
    expectProblem(await ctx.http.get('/calendar/not-a-secret.ics'), 404);
    expectProblem(await ctx.http.get(`/calendar/${'A'.repeat(43)}.ics`), 404);
    await ctx.http.delete('/api/me/calendar').set(bearer(owner.token)).expect(204);
    expectProblem(await ctx.http.get(new URL(second).pathname), 404);
  });

  it('writes the feed in the language of its user', async () => {
    await ctx.dataSource.query("UPDATE users SET locale = 'zh-CN' WHERE id = ?", [owner.id]);
    const { url } = (await ctx.http.post('/api/me/calendar').set(bearer(owner.token)).expect(200)).body;
    const text = (await ctx.http.get(new URL(url).pathname).expect(200)).text;
    expect(new ICAL.Component(ICAL.parse(text)).getFirstPropertyValue('x-wr-calname')).toBe('供应商提醒（Olga Owner）');
    expect(text.replace(/\r\n /g, '')).toContain('问卷到期：Mine\\, Ltd\\; "Cloud"');
  });
});
