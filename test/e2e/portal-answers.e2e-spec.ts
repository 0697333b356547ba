import {
  answerFavourably,
  auditActions,
  createAssessment,
  openPortal,
  portalView,
  snapshot,
  submitAssessment,
  submittedAssessment,
} from '../support/assessment-factory';
import { outbox, portalLinks } from '../support/mail-capture';
import { bearer, errorPaths, expectProblem, StaffUser, TestContext } from '../support/test-app';

/** The answers of a vendor through the portal API, on the cloud-hosting module (every answer type but file is in it). */
describe('portal answers', () => {
  let ctx: TestContext;
  let procurement: StaffUser;
  let reviewer: StaffUser;
  let vendorId: string;
  let assessmentId: string;
  let session: string;

  beforeAll(async () => {
    ctx = await TestContext.create();
    procurement = await ctx.newUser('procurement');
    reviewer = await ctx.newUser('reviewer');
    vendorId = await ctx.newVendor(procurement.id, { name: 'Answers Test Cloud' });
    const sent = await createAssessment(ctx, procurement.token, vendorId, { modules: ['cloud-hosting'] });
    assessmentId = sent.id;
    session = await openPortal(ctx, sent.token);
  });
  afterAll(async () => ctx.close());

  const save = (key: string, body: object, s = session) => ctx.http.put(`/api/portal/answers/${key}`).set(bearer(s)).send(body);
  const question = async (key: string, s = session) => (await portalView(ctx, s)).questions.get(key)!;

  describe('concurrent saves', () => {
    it('refuses a save based on an older version with 409 and the newer answer; the newer answer stays', async () => {
      // Two tabs open the question at version 0; the first save wins.
      expect((await save('cloud.key_control', { value: 'external', baseVersion: 0 })).body).toMatchObject({ value: 'external', version: 1 });
      const before = await snapshot(ctx);
      const stale = expectProblem(await save('cloud.key_control', { value: 'provider_managed', baseVersion: 0 }), 409, 'assessment.answer_conflict');
      expect(stale.current).toEqual({ key: 'cloud.key_control', value: 'external', comment: null, version: 1 });
      expect(await snapshot(ctx)).toEqual(before);

      // A second change from version 1 wins; the other tab, still at version 1, loses against it.
      expect((await save('cloud.key_control', { value: 'customer_managed', comment: 'Keys in our own KMS account.', baseVersion: 1 })).body).toMatchObject({
        value: 'customer_managed',
        comment: 'Keys in our own KMS account.',
        version: 2,
      });
      const lost = expectProblem(await save('cloud.key_control', { value: 'provider_managed', baseVersion: 1 }), 409, 'assessment.answer_conflict');
      expect(lost.current).toEqual({ key: 'cloud.key_control', value: 'customer_managed', comment: 'Keys in our own KMS account.', version: 2 });
      // Nor may a save claim a version from the future.
      expectProblem(await save('cloud.key_control', { value: 'provider_managed', baseVersion: 7 }), 409, 'assessment.answer_conflict');

      expect(await question('cloud.key_control')).toMatchObject({ value: 'customer_managed', comment: 'Keys in our own KMS account.', version: 2 });
    });

    it('saves answers to different questions of one assessment at the same time, as autosave does (no deadlock on MariaDB)', async () => {
      const other = await createAssessment(ctx, procurement.token, vendorId, { modules: ['baseline-lite'] });
      const s = await openPortal(ctx, other.token);
      const { questions } = await portalView(ctx, s);
      const yesNo = [...questions.values()].filter((q) => q.visible && q.type === 'yes_no').slice(0, 8);
      expect(yesNo).toHaveLength(8);
      const results = await Promise.all(yesNo.map((q) => save(q.key, { value: 'yes', baseVersion: 0 }, s)));
      expect(results.map((r) => r.status)).toEqual(yesNo.map(() => 200));
      const view = await portalView(ctx, s);
      expect(yesNo.map((q) => view.questions.get(q.key)!.value)).toEqual(yesNo.map(() => 'yes'));
      expect(view.body.progress.answered).toBe(8);
    });
  });

  describe('answers that do not fit the question: 400 assessment.invalid_answer on `value`, nothing saved', () => {
    const cases: Array<[label: string, key: string, value: unknown]> = [
      ['a number for yes/no', 'cloud.tenant_isolation', 1],
      ['a boolean for yes/no', 'cloud.tenant_isolation', true],
      ["'na' where N/A is not offered", 'cloud.tenant_isolation', 'na'],
      ['an unknown option', 'cloud.rpo', 'weekly'],
      ['a list for a single choice', 'cloud.rpo', ['minutes']],
      ['an unknown option in a multiple choice', 'cloud.certifications', ['iso27001', 'iso9001']],
      ['an option twice in a multiple choice', 'cloud.certifications', ['iso27001', 'iso27001']],
      ['an object for a multiple choice', 'cloud.certifications', { iso27001: true }],
      ['text over 10,000 characters', 'cloud.staff_access_countries', 'x'.repeat(10_001)],
      ['a number for text', 'cloud.staff_access_countries', 42],
      ['words for a number', 'cloud.rto_hours', 'four hours'],
      ['a list for a number', 'cloud.rto_hours', [4]],
    ];

    it.each(cases)('refuses %s', async (_label, key, value) => {
      const before = await snapshot(ctx);
      const problem = expectProblem(await save(key, { value, baseVersion: 0 }), 400, 'assessment.invalid_answer');
      expect(problem.errors[0]).toMatchObject({ path: 'value', message: expect.any(String) });
      expect(await snapshot(ctx)).toEqual(before);
    });

    it.each([
      ['a date that does not exist', '2026-02-30'],
      ['a date in another format', '30/03/2026'],
      ['a date with a time', '2026-03-30T10:00:00Z'],
    ])('refuses %s for a date question', async (_label, value) => {
      // cloud.dr_test_date shows once cloud.dr_tested is 'yes'.
      const dr = await question('cloud.dr_tested');
      if (dr.value !== 'yes') await save('cloud.dr_tested', { value: 'yes', baseVersion: dr.version }).expect(200);
      const before = await snapshot(ctx);
      const problem = expectProblem(await save('cloud.dr_test_date', { value, baseVersion: 0 }), 400, 'assessment.invalid_answer');
      expect(errorPaths({ body: problem } as never)).toEqual(['value']);
      expect(await snapshot(ctx)).toEqual(before);
    });

    it('takes the limits themselves: 10,000 characters of text, a real date, a number given as text', async () => {
      expect((await save('cloud.staff_access_countries', { value: 'y'.repeat(10_000), baseVersion: 0 })).status).toBe(200);
      expect((await save('cloud.dr_test_date', { value: '2026-02-28', baseVersion: 0 })).body).toMatchObject({ value: '2026-02-28', version: 1 });
      expect((await save('cloud.rto_hours', { value: '4', baseVersion: 0 })).body).toMatchObject({ value: 4, version: 1 });
    });

    it('refuses a comment over 4,000 characters on `comment`', async () => {
      const before = await snapshot(ctx);
      const problem = expectProblem(await save('cloud.multi_zone', { value: 'yes', comment: 'c'.repeat(4_001), baseVersion: 0 }), 400);
      expect(errorPaths({ body: problem } as never)).toEqual(['comment']);
      expect(await snapshot(ctx)).toEqual(before);
    });
  });

  describe('requests that name no question, or are malformed', () => {
    it('answers 409 assessment.question_hidden for a question its condition hides', async () => {
      // cloud.region_stays shows only once cloud.region_choice is 'yes'.
      expect((await question('cloud.region_stays')).visible).toBe(false);
      const before = await snapshot(ctx);
      expectProblem(await save('cloud.region_stays', { value: 'yes', baseVersion: 0 }), 409, 'assessment.question_hidden');
      expect(await snapshot(ctx)).toEqual(before);

      const shown = await save('cloud.region_choice', { value: 'yes', baseVersion: 0 }).expect(200);
      expect(shown.body.visible).toContain('cloud.region_stays');
      expect((await save('cloud.region_stays', { value: 'yes', baseVersion: 0 })).status).toBe(200);

      // Hidden again by a changed answer: it no longer applies, and cannot be changed.
      const hidden = await save('cloud.region_choice', { value: 'no', baseVersion: 1 }).expect(200);
      expect(hidden.body.visible).not.toContain('cloud.region_stays');
      expectProblem(await save('cloud.region_stays', { value: 'no', baseVersion: 1 }), 409, 'assessment.question_hidden');
    });

    it.each([
      ['a key of no module sent', 'policy.written'],
      ['an unknown key', 'cloud.nonexistent'],
      ['a malformed key', 'Cloud..X'],
      ['a key with a path', '..%2F..%2Fetc'],
    ])('answers 404 assessment.unknown_question for %s', async (_label, key) => {
      const before = await snapshot(ctx);
      expectProblem(await save(key, { value: 'yes', baseVersion: 0 }), 404, 'assessment.unknown_question');
      expect(await snapshot(ctx)).toEqual(before);
    });

    it.each([
      ['an unknown field', { value: 'yes', baseVersion: 0, score: 1 }, 'score'],
      ['no baseVersion', { value: 'yes' }, 'baseVersion'],
      ['a negative baseVersion', { value: 'yes', baseVersion: -1 }, 'baseVersion'],
      ['a baseVersion as text', { value: 'yes', baseVersion: '0' }, 'baseVersion'],
    ])('answers 400 common.validation for %s', async (_label, body, path) => {
      const before = await snapshot(ctx);
      const res = await save('cloud.hsm', body);
      expectProblem(res, 400, 'common.validation');
      expect(errorPaths(res)).toContain(path);
      expect(await snapshot(ctx)).toEqual(before);
    });
  });

  describe('submitting', () => {
    it('refuses to submit while required questions are unanswered, naming them', async () => {
      const before = await snapshot(ctx);
      const problem = expectProblem(await ctx.http.post('/api/portal/submit').set(bearer(session)), 409, 'assessment.missing_answers');
      expect(problem.missing).toEqual(expect.arrayContaining(['cloud.responsibility_model', 'cloud.tenant_isolation']));
      expect(problem.missing).not.toContain('cloud.key_control');
      // Answered, or hidden by their condition: not missing.
      expect(problem.missing).not.toContain('cloud.region_stays');
      expect(problem.missing).not.toContain('cloud.assurance_report');
      expect(await snapshot(ctx)).toEqual(before);
    });

    it('freezes the answers once submitted: 409 assessment.not_editable', async () => {
      await answerFavourably(ctx, session, procurement.token);
      await submitAssessment(ctx, session);
      const before = await snapshot(ctx);
      const problem = expectProblem(await save('cloud.key_control', { value: 'external', baseVersion: 2 }), 409, 'assessment.not_editable');
      expect(problem.status).toBe(409);
      expectProblem(await ctx.http.post('/api/portal/submit').set(bearer(session)), 409, 'assessment.invalid_transition');
      expect(await snapshot(ctx)).toEqual(before);
      // Still readable by the vendor, marked as not editable.
      const view = await portalView(ctx, session);
      expect(view.body).toMatchObject({ editable: false, assessment: { status: 'submitted', id: assessmentId } });
      expect(view.questions.get('cloud.key_control')).toMatchObject({ editable: false, value: 'customer_managed', version: 2 });
    });
  });

  describe('clarification', () => {
    let id: string;
    let vendorSession: string;

    beforeAll(async () => {
      const s = await submittedAssessment(ctx, procurement.token, vendorId, { modules: ['baseline-lite'] });
      id = s.id;
      vendorSession = s.session;
    });

    it('refuses unknown questions and changes nothing', async () => {
      const before = await snapshot(ctx);
      const problem = expectProblem(
        await ctx.http.post(`/api/assessments/${id}/clarification`).set(bearer(reviewer.token)).send({ questionKeys: ['policy.owner', 'cloud.tenant_isolation'], message: 'Please explain.' }),
        404,
        'assessment.unknown_question',
      );
      expect(errorPaths({ body: problem } as never)).toEqual(['questionKeys.1']);
      expect(await snapshot(ctx)).toEqual(before);
    });

    it('reopens only the chosen questions, and mails a fresh link', async () => {
      const mails = outbox(ctx.config.dataDir).length;
      const res = await ctx.http
        .post(`/api/assessments/${id}/clarification`)
        .set(bearer(reviewer.token))
        .send({ questionKeys: ['policy.owner', 'access.leavers'], message: 'Who is the owner, and what does "within a week" mean in practice?' })
        .expect(200);
      expect(res.body).toMatchObject({ status: 'clarification_requested', clarificationMessage: 'Who is the owner, and what does "within a week" mean in practice?' });
      const sent = outbox(ctx.config.dataDir);
      expect(sent).toHaveLength(mails + 1);
      const mail = sent.find((m) => m.subject === 'Questions about the answers of Answers Test Cloud')!;
      expect(portalLinks(mail.text)).toHaveLength(1);

      // The open session carries on, and the new link opens one too.
      const fresh = await openPortal(ctx, portalLinks(mail.text)[0].split('/').pop()!);
      const view = await portalView(ctx, fresh);
      expect(view.body).toMatchObject({ editable: true, assessment: { status: 'clarification_requested' } });
      expect(view.questions.get('policy.owner')).toMatchObject({ editable: true, clarification: 'Who is the owner, and what does "within a week" mean in practice?' });
      expect(view.questions.get('policy.written')).toMatchObject({ editable: false, clarification: null });

      const owner = view.questions.get('policy.owner')!;
      expect((await save('policy.owner', { value: 'yes', comment: 'Our CTO, Li Wei.', baseVersion: owner.version }, vendorSession)).status).toBe(200);
      const leavers = view.questions.get('access.leavers')!;
      expect((await save('access.leavers', { value: 'same_day', baseVersion: leavers.version }, fresh)).status).toBe(200);

      const before = await snapshot(ctx);
      const other = view.questions.get('access.own_accounts')!;
      expectProblem(await save('access.own_accounts', { value: 'no', baseVersion: other.version }, vendorSession), 409, 'assessment.not_editable');
      expectProblem(await ctx.http.post('/api/portal/answers/policy.written/evidence').set(bearer(vendorSession)).attach('file', Buffer.from('%PDF-1.4\n%%EOF\n'), 'late.pdf'), 409, 'assessment.not_editable');
      expect(await snapshot(ctx)).toEqual(before);
    });

    it('closes them again when the vendor resubmits', async () => {
      const res = await ctx.http.post('/api/portal/submit').set(bearer(vendorSession)).expect(200);
      expect(res.body.status).toBe('submitted');
      const view = await portalView(ctx, vendorSession);
      expect(view.body).toMatchObject({ editable: false, assessment: { status: 'submitted', clarificationMessage: null } });
      expect(view.questions.get('policy.owner')).toMatchObject({ editable: false, clarification: null, value: 'yes', comment: 'Our CTO, Li Wei.' });
      const before = await snapshot(ctx);
      expectProblem(await save('policy.owner', { value: 'no', baseVersion: view.questions.get('policy.owner')!.version }, vendorSession), 409, 'assessment.not_editable');
      expect(await snapshot(ctx)).toEqual(before);
      const actions = await auditActions(ctx, id);
      expect(actions.slice(-2)).toEqual(['assessment.clarification_request', 'assessment.submit']);
    });
  });
});
