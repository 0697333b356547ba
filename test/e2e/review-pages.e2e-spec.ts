import { pageGet, pagePost, sessionCookie } from '../support/page-client';
import { ReviewCyclesService } from '../../src/review-cycles/review-cycles.service';
import { createAssessment } from '../support/assessment-factory';
import { newContract } from '../support/contract-factory';
import { bearer, PROFILES, StaffUser, TestContext } from '../support/test-app';

interface Review {
  id: string;
  vendorId: string;
  kind: string;
  dueDate: string;
  status: string;
  version: number;
}

/** Server-rendered pages of the dashboard, the review cycles and the reminder settings, through the real app. */
describe('pages: dashboard, reviews and reminder settings', () => {
  let ctx: TestContext;
  let admin: StaffUser;
  let pat: StaffUser;
  let rita: StaffUser;
  let viewer: StaffUser;
  let payer: string;
  let courier: string;
  let payerTier: string;
  let courierTier: string;
  /** The payer's contract renewal (notice deadline 2026-04-01: due soon) and re-assessment; the courier's overdue renewal. */
  let renewal: Review;
  let reassessment: Review;
  let overdueRenewal: Review;

  const cookie = sessionCookie;
  const get = (u: StaffUser, path: string) => pageGet(ctx, u, path);
  const post = (u: StaffUser, path: string, fields: Record<string, string | string[]> = {}) => pagePost(ctx, u, path, fields);
  const reviews = async (query: Record<string, string>): Promise<Review[]> => (await ctx.http.get('/api/review-cycles').set(bearer(admin.token)).query(query).expect(200)).body.items;
  /** The count a dashboard card shows behind a link (hrefs are HTML-escaped). */
  const countLink = (href: string, n: number) => `<a href="${href.replace(/&/g, '&amp;')}"><span class="dash-num">${n}</span>`;
  /** The rows of a list page's table. */
  const rows = (html: string) => html.split('<tbody>')[1]?.split('</tbody>')[0].split('<tr>').slice(1) ?? [];
  /** The cell of one day in the calendar. */
  const dayCell = (html: string, date: string) => {
    const at = html.indexOf(`<time datetime="${date}"`);
    expect(at).toBeGreaterThan(-1);
    return html.slice(html.lastIndexOf('<td', at), html.indexOf('</td>', at));
  };

  beforeAll(async () => {
    ctx = await TestContext.create();
    admin = await ctx.admin();
    pat = await ctx.newUser('procurement', { name: 'Pat Buyer' });
    rita = await ctx.newUser('reviewer', { name: 'Rita Reviewer' });
    viewer = await ctx.newUser('viewer');
    payer = await ctx.newVendor(pat.id, { name: 'Page Payments', category: 'payment', profile: PROFILES.paymentProcessor });
    courier = await ctx.newVendor(admin.id, { name: 'Page Couriers' });
    payerTier = (await ctx.http.get(`/api/vendors/${payer}`).set(bearer(admin.token)).expect(200)).body.tier;
    courierTier = (await ctx.http.get(`/api/vendors/${courier}`).set(bearer(admin.token)).expect(200)).body.tier;
    await createAssessment(ctx, admin.token, payer, { modules: ['baseline-lite'], dueDate: '2026-04-01' });
    await createAssessment(ctx, admin.token, courier, { modules: ['baseline-lite'], dueDate: '2026-03-03' });
    await newContract(ctx, admin.token, payer, { title: 'Payments MSA', expiryDate: '2026-06-30', noticeDays: 90 });
    await newContract(ctx, admin.token, courier, { title: 'Courier terms', effectiveDate: '2025-01-01', expiryDate: '2026-03-31', noticeDays: 60 });
    for (const severity of ['high', 'low']) {
      await ctx.http.post('/api/findings').set(bearer(admin.token)).send({ vendorId: payer, title: `A ${severity} one`, severity, recommendation: 'Fix it.' }).expect(201);
    }
    // Two days on: the courier's questionnaire (due yesterday) is overdue.
    ctx.clock.set('2026-03-04T09:00:00Z');
    await ctx.app.get(ReviewCyclesService).schedule('2026-03-04');
    for (const user of [admin, pat, rita, viewer]) await ctx.relogin(user);
    [renewal] = await reviews({ vendorId: payer, kind: 'contract_renewal' });
    [reassessment] = await reviews({ vendorId: payer, kind: 'reassessment' });
    [overdueRenewal] = await reviews({ vendorId: courier, kind: 'contract_renewal' });
  });
  afterAll(async () => ctx.close());

  it('starts from a due renewal, an overdue one and a scheduled re-assessment', () => {
    expect([renewal.dueDate, renewal.status, overdueRenewal.status, reassessment.status]).toEqual(['2026-04-01', 'due', 'overdue', 'scheduled']);
  });

  describe('dashboard', () => {
    it('shows each count as a link to the list behind it, and the vendors by tier and residual risk', async () => {
      const res = await get(viewer, '/dashboard');
      expect(res.status).toBe(200);
      expect(res.text).toContain('What needs attention today');
      expect(res.text).toContain('As of 2026-03-04 (UTC).');
      expect(res.text).toContain(countLink('/assessments?queue=waiting', 2));
      expect(res.text).toContain(countLink('/assessments?queue=overdue', 1));
      expect(res.text).toContain(countLink('/assessments?status=submitted', 0));
      expect(res.text).toContain(countLink('/reviews?status=due', 1));
      expect(res.text).toContain(countLink('/reviews?status=overdue', 1));
      expect(res.text).toContain(countLink('/contracts?noticeWithinDays=60', 1));
      expect(res.text).toContain(countLink('/findings?status=open&severity=high', 1));
      expect(res.text).toContain(countLink('/findings?status=open&severity=low', 1));
      expect(res.text).toContain(countLink('/findings?status=open&severity=critical', 0));
      // An overdue count that is not zero stands out.
      expect(res.text).toMatch(/<li class="alarm"><a href="\/assessments\?queue=overdue">/);

      // The matrix: a caption, header cells with scope, a link in each cell that is not zero.
      expect(res.text).toContain('<caption>2 current vendor(s) by inherent tier and residual risk</caption>');
      expect(res.text).toContain('<th scope="col" class="num"><span class="visually-hidden">Residual risk: </span>Not assessed</th>');
      expect(res.text).toMatch(/<th scope="row"><span class="visually-hidden">Inherent tier: <\/span><span class="badge tier-critical">/);
      expect(res.text).toContain(`<a href="/vendors?tier=${payerTier}&amp;residualRisk=none">1</a>`);
      expect(res.text).toContain(`<a href="/vendors?tier=${courierTier}&amp;residualRisk=none">1</a>`);
      expect(res.text.match(/<a href="\/vendors\?tier=/g)).toHaveLength(2);
      expect((await ctx.http.get(`/vendors?tier=${payerTier}&residualRisk=none`).set('Cookie', cookie(viewer))).text).toContain('Page Payments');

      // "Dashboard" comes first in the main navigation, "Reviews" is there too.
      const nav = res.text.slice(res.text.indexOf('<nav class="mainnav"'), res.text.indexOf('</nav>'));
      expect(nav.indexOf('href="/dashboard" aria-current="page"')).toBeGreaterThan(-1);
      expect(nav.indexOf('href="/dashboard"')).toBeLessThan(nav.indexOf('href="/vendors"'));
      expect(nav).toContain('href="/reviews"');
    });

    it('counts only the vendors of the user with "Only my vendors", and keeps that in the review and vendor links', async () => {
      const res = await get(pat, '/dashboard?mine=true');
      expect(res.status).toBe(200);
      expect(res.text).toContain('<a href="/dashboard?mine=true" aria-current="page">Only my vendors</a>');
      expect(res.text).toContain(countLink('/assessments?queue=waiting', 1));
      expect(res.text).toContain(countLink('/assessments?queue=overdue', 0));
      expect(res.text).toContain(countLink(`/reviews?status=due&ownerId=${pat.id}`, 1));
      expect(res.text).toContain(countLink(`/reviews?status=overdue&ownerId=${pat.id}`, 0));
      expect(res.text).toContain('<caption>1 current vendor(s) by inherent tier and residual risk</caption>');
      expect(res.text).toContain(`<a href="/vendors?tier=${payerTier}&amp;residualRisk=none&amp;ownerId=${pat.id}">1</a>`);
      expect(res.text).toContain("The counts are for the vendors you own.");

      const all = await get(pat, '/dashboard');
      expect(all.text).toContain('<a href="/dashboard" aria-current="page">All vendors</a>');
      expect(all.text).toContain(countLink('/assessments?queue=waiting', 2));
      expect((await get(pat, '/dashboard?mine=maybe')).status).toBe(400);
      expect((await ctx.http.get('/dashboard')).status).toBe(303);
    });

    it('renders in Simplified Chinese', async () => {
      const res = await get(viewer, '/dashboard?lang=zh-CN');
      expect(res.status).toBe(200);
      expect(res.text).toContain('<html lang="zh-CN">');
      expect(res.text).toContain('<h1>今日待办</h1>');
      expect(res.text).toContain('>工作台</a>');
      expect(res.text).toContain('未评估');
      expect(res.text).not.toContain('dashboard.');
      const calendar = await get(viewer, '/reviews/calendar?month=2026-04&lang=zh-CN');
      expect(calendar.text).toContain('2026年4月的复核');
      expect(calendar.text).toContain('<th scope="col">周一</th>');
      expect(calendar.text).not.toContain('review_cycle.');
    });
  });

  describe('review list and calendar', () => {
    it('lists the open reviews with their vendor, kind, due date and status, and filters them', async () => {
      const res = await get(viewer, '/reviews');
      expect(res.status).toBe(200);
      expect(res.text).toContain('4 review(s)');
      const list = rows(res.text);
      expect(list).toHaveLength(4);
      // The earliest due first: the courier's overdue renewal.
      expect(list[0]).toContain(`<a href="/reviews/${overdueRenewal.id}">Contract renewal`);
      expect(list[0]).toContain(`<a href="/vendors/${courier}">Page Couriers</a>`);
      expect(list[0]).toContain('<time datetime="2026-01-30">2026-01-30</time>');
      expect(list[0]).toContain('<span class="pill review-overdue">Overdue</span>');
      expect(list[1]).toContain('<span class="pill review-due">Due soon</span>');
      expect(list[1]).toContain('Pat Buyer');

      const overdue = await get(viewer, '/reviews?status=overdue');
      expect(rows(overdue.text).map((r) => /href="\/reviews\/([0-9a-f-]{36})"/.exec(r)![1])).toEqual([overdueRenewal.id]);
      expect(overdue.text).toContain('<option value="overdue" selected>Overdue</option>');
      const renewals = await get(viewer, '/reviews?kind=contract_renewal');
      expect(rows(renewals.text)).toHaveLength(2);
      const mine = await get(pat, `/reviews?ownerId=${pat.id}`);
      expect(rows(mine.text).every((r) => r.includes('Page Payments'))).toBe(true);
      expect(rows(mine.text)).toHaveLength(2);
      expect(mine.text).toContain(`<option value="${pat.id}" selected>Only my vendors</option>`);
      const ofCourier = await get(viewer, `/reviews?vendorId=${courier}&kind=reassessment`);
      expect(rows(ofCourier.text)).toHaveLength(1);
      expect(rows(ofCourier.text)[0]).toContain('Re-assessment');

      const paged = await get(viewer, '/reviews?pageSize=1&page=2');
      expect(paged.text).toContain('Page 2 of 4');
      expect(paged.text).toContain('href="/reviews?page=3&amp;pageSize=1"');
      expect((await get(viewer, '/reviews?status=late')).status).toBe(400);
    });

    it('shows a month as weeks from Monday, each review on its due day, with the next and previous months', async () => {
      const res = await get(viewer, '/reviews/calendar?month=2026-04');
      expect(res.status).toBe(200);
      expect(res.text).toContain('<h1>Reviews in April 2026</h1>');
      expect(res.text).toContain('<th scope="col">Monday</th>');
      // April 2026 starts on a Wednesday: the grid starts on Monday 30 March and ends on Sunday 3 May.
      const grid = res.text.slice(res.text.indexOf('<tbody>'), res.text.indexOf('</tbody>'));
      expect(/<time datetime="(\d{4}-\d\d-\d\d)"/.exec(grid)![1]).toBe('2026-03-30');
      expect([...grid.matchAll(/<time datetime="(\d{4}-\d\d-\d\d)"/g)].pop()![1]).toBe('2026-05-03');
      expect(grid.match(/<tr>/g)).toHaveLength(5);
      const cell = dayCell(res.text, '2026-04-01');
      expect(cell).toContain(`<a href="/reviews/${renewal.id}">Page Payments</a>`);
      expect(cell).toContain('Contract renewal');
      expect(dayCell(res.text, '2026-04-02')).not.toContain('/reviews/');
      expect(res.text).toContain('href="/reviews/calendar?month=2026-03"');
      expect(res.text).toContain('href="/reviews/calendar?month=2026-05"');

      const january = await get(viewer, '/reviews/calendar?month=2026-01');
      expect(dayCell(january.text, '2026-01-30')).toContain('<span class="pill review-overdue">Overdue</span>');
      const now = await get(viewer, '/reviews/calendar');
      expect(now.text).toContain('<h1>Reviews in March 2026</h1>');
      expect(dayCell(now.text, '2026-03-04')).toContain('aria-current="date"');
      expect((await get(viewer, '/reviews/calendar?month=2026-13')).status).toBe(400);
      expect((await get(viewer, `/reviews/calendar?month=2027-03&ownerId=${admin.id}`)).text).not.toContain('Page Payments');
    });
  });

  describe('one review', () => {
    it('offers a viewer the facts and no forms, and refuses its posts', async () => {
      const res = await get(viewer, `/reviews/${renewal.id}`);
      expect(res.status).toBe(200);
      expect(res.text).toContain('Contract renewal of Page Payments');
      expect(res.text).toContain('<a href="/contracts/');
      expect(res.text).toContain('Payments MSA');
      expect(res.text).not.toContain('<form method="post" action="/reviews/');
      expect((await post(viewer, `/reviews/${renewal.id}/complete`, { version: String(renewal.version), note: 'Renewed for a year' })).status).toBe(403);
      expect((await post(viewer, `/reviews/${reassessment.id}/start`, { version: String(reassessment.version), dueDate: '2026-04-15', modules: 'baseline-lite' })).status).toBe(403);
      // A reviewer may complete a renewal but not send questionnaires.
      expect((await get(rita, `/reviews/${reassessment.id}`)).text).not.toContain('/start"');
      expect((await post(rita, `/reviews/${reassessment.id}/start`, { version: String(reassessment.version), dueDate: '2026-04-15', modules: 'baseline-lite' })).status).toBe(403);
      expect((await get(viewer, '/reviews/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    });

    it('completes a renewal with what was decided, explaining a short note and a stale version', async () => {
      const page = await get(rita, `/reviews/${renewal.id}`);
      expect(page.text).toContain(`action="/reviews/${renewal.id}/complete"`);
      expect(page.text).toContain(`name="version" value="${renewal.version}"`);

      const short = await post(rita, `/reviews/${renewal.id}/complete`, { version: String(renewal.version), note: 'ok' });
      expect(short.status).toBe(400);
      expect(short.text).toContain('Write what was decided, in 5 to 2,000 characters.');
      expect(short.text).toContain('aria-invalid="true"');

      const stale = await post(rita, `/reviews/${renewal.id}/complete`, { version: String(renewal.version + 1), note: 'Renewed on the same terms' });
      expect(stale.status).toBe(409);
      expect(stale.text).toContain('Someone changed this review since you opened it.');
      expect(stale.text).toContain('Renewed on the same terms</textarea>');
      expect(stale.text).toContain(`name="version" value="${renewal.version}"`);

      const done = await post(rita, `/reviews/${renewal.id}/complete`, { version: String(renewal.version), note: 'Renewed on the same terms' });
      expect(done.status).toBe(303);
      expect(done.headers.location).toBe(`/reviews/${renewal.id}?notice=completed`);
      const after = await get(rita, String(done.headers.location));
      expect(after.text).toContain('The review is completed.');
      expect(after.text).toContain('<span class="pill review-done">Done</span>');
      expect(after.text).toContain('<blockquote>Renewed on the same terms</blockquote>');
      expect(after.text).toContain('Rita Reviewer');
      expect(after.text).not.toContain(`action="/reviews/${renewal.id}/complete"`);

      const again = await post(rita, `/reviews/${renewal.id}/complete`, { version: String(renewal.version + 1), note: 'Once more, please' });
      expect(again.status).toBe(409);
      expect(again.text).toContain('This review cannot do that in its current state.');
    });

    it('starts a re-assessment: sends the questionnaire and shows its portal link once', async () => {
      const page = await get(pat, `/reviews/${reassessment.id}`);
      expect(page.text).toContain(`action="/reviews/${reassessment.id}/start"`);
      expect(page.text).toContain('id="start-dueDate" name="dueDate" type="date" required min="2026-03-04" value="2026-04-03"');
      // The modules proposed for the vendor are checked; the others are offered.
      expect(page.text).toMatch(/<input type="checkbox" id="module-baseline" name="modules" value="baseline" checked>/);
      expect(page.text).toMatch(/<input type="checkbox" id="module-baseline-lite" name="modules" value="baseline-lite">/);
      const before = (await ctx.http.get('/api/assessments').set(bearer(admin.token)).query({ vendorId: payer }).expect(200)).body.total;

      const none = await post(pat, `/reviews/${reassessment.id}/start`, { version: String(reassessment.version), dueDate: '2026-04-15' });
      expect(none.status).toBe(400);
      expect(none.text).toContain('Choose at least one module');
      const past = await post(pat, `/reviews/${reassessment.id}/start`, { version: String(reassessment.version), dueDate: '2026-03-01', modules: 'baseline-lite' });
      expect(past.status).toBe(400);
      expect(past.text).toContain('Enter a date that is today or later.');
      expect(past.text).toMatch(/value="baseline-lite" checked>/);

      const res = await post(pat, `/reviews/${reassessment.id}/start`, { version: String(reassessment.version), dueDate: '2026-04-15', modules: 'baseline-lite' });
      expect(res.status).toBe(201);
      const url = /id="portal-link"[^>]*value="([^"]+)"/.exec(res.text)?.[1] ?? '';
      expect(url).toMatch(/^http:\/\/portal\.test\/portal\/t\/[A-Za-z0-9_-]+$/);
      expect(res.text).toContain('this link is shown only this once');
      expect(res.text).toContain('The questionnaire is sent; the review is in progress.');
      expect(res.text).toContain('<span class="pill review-in_progress">In progress</span>');
      expect(res.text).not.toContain(`action="/reviews/${reassessment.id}/start"`);

      const assessments = (await ctx.http.get('/api/assessments').set(bearer(admin.token)).query({ vendorId: payer }).expect(200)).body;
      expect(assessments.total).toBe(before + 1);
      const review = (await ctx.http.get(`/api/review-cycles/${reassessment.id}`).set(bearer(admin.token)).expect(200)).body;
      expect(review).toMatchObject({ state: 'in_progress' });
      expect(assessments.items.map((a: { id: string }) => a.id)).toContain(review.assessmentId);

      const later = await get(pat, `/reviews/${reassessment.id}`);
      expect(later.text).not.toContain('/portal/t/');
      expect(later.text).toContain(`href="/assessments/${review.assessmentId}"`);
      const twice = await post(pat, `/reviews/${reassessment.id}/start`, { version: String(review.version), dueDate: '2026-04-15', modules: 'baseline-lite' });
      expect(twice.status).toBe(409);
      expect(twice.text).toContain('This review cannot do that in its current state.');
    });
  });

  describe('reminder settings on the account page', () => {
    it('switches delivery to a daily digest', async () => {
      const page = await get(pat, '/account');
      expect(page.status).toBe(200);
      expect(page.text).toContain('<h2 id="reminders-title">Reminders</h2>');
      expect(page.text).toMatch(/value="immediate" checked>/);
      expect(page.text).toContain('One email a day with all of them, from 07:00 UTC');

      const saved = await post(pat, '/account/reminders', { delivery: 'digest' });
      expect(saved.status).toBe(303);
      expect(saved.headers.location).toBe('/account?notice=reminders_saved#reminders');
      const after = await get(pat, '/account?notice=reminders_saved');
      expect(after.text).toContain('Your reminder settings are saved.');
      expect(after.text).toMatch(/value="digest" checked>/);
      expect((await ctx.http.get('/api/me/reminders').set(bearer(pat.token)).expect(200)).body.delivery).toBe('digest');

      const wrong = await post(pat, '/account/reminders', { delivery: 'weekly' });
      expect(wrong.status).toBe(400);
      expect(wrong.text).toContain('Choose one of the two ways.');
      expect((await ctx.http.post('/account/reminders').set('Cookie', cookie(pat)).type('form').send('delivery=immediate')).status).toBe(403);
    });

    it('creates a calendar link shown once, whose URL serves the calendar; a new link ends the old one; turning off ends both', async () => {
      const page = await get(pat, '/account');
      expect(page.text).toContain('You have no calendar link.');
      expect(page.text).toContain('Anyone who has the link sees these dates and the vendor names, without signing in.');
      expect(page.text).toContain('Create calendar link');

      const created = await post(pat, '/account/calendar');
      expect(created.status).toBe(200);
      expect(created.headers['cache-control']).toBe('no-store');
      const url = /id="calendar-link"[^>]*value="([^"]+)"/.exec(created.text)?.[1] ?? '';
      expect(url).toMatch(/^http:\/\/portal\.test\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
      expect(created.text).toContain('it is shown only this once');
      const feed = await ctx.http.get(new URL(url).pathname);
      expect(feed.status).toBe(200);
      expect(feed.headers['content-type']).toBe('text/calendar; charset=utf-8');
      expect(feed.text).toContain('BEGIN:VCALENDAR');
      expect(feed.text).toContain('Page Payments');

      const later = await get(pat, '/account');
      expect(later.text).not.toContain(new URL(url).pathname);
      expect(later.text).toContain('You have a calendar link.');
      expect(later.text).toContain('Make a new link');
      expect(later.text).toContain('action="/account/calendar/off"');

      const renewed = await post(pat, '/account/calendar');
      const second = /id="calendar-link"[^>]*value="([^"]+)"/.exec(renewed.text)![1];
      expect(second).not.toBe(url);
      expect((await ctx.http.get(new URL(url).pathname)).status).toBe(404);
      expect((await ctx.http.get(new URL(second).pathname)).status).toBe(200);

      const off = await post(pat, '/account/calendar/off');
      expect(off.status).toBe(303);
      expect(off.headers.location).toBe('/account?notice=calendar_off#reminders');
      expect((await ctx.http.get(new URL(second).pathname)).status).toBe(404);
      expect((await get(pat, '/account?notice=calendar_off')).text).toContain('The calendar feed is off; its link no longer works.');
    });
  });
});
