import { AnswerEntity, newAnswerRow } from '../../src/assessments/answer.entity';
import { AssessmentEntity } from '../../src/assessments/assessment.entity';
import { AssessmentsService } from '../../src/assessments/assessments.service';
import { SYSTEM_ACTOR } from '../../src/audit/audit-context';
import { AuditEventEntity } from '../../src/audit/audit-event.entity';
import { insertInStatements } from '../../src/database/statement-size';
import { FindingEntity } from '../../src/reviews/finding.entity';
import { AUDIT_LISTED } from '../../src/reviews/reviews.service';
import { bearer, StaffUser, TestContext } from '../support/test-app';

/**
 * A customer's own questionnaire may hold thousands of questions (an import reads up to 5,000
 * rows). Writing one row per question in one INSERT went past SQLite's 32,766 bound parameters
 * ("too many SQL variables"): carrying the answers over to a re-assessment, and raising the
 * findings of a review, failed; on MySQL/MariaDB, the review's audit entry listing every finding
 * went past its 64 KB column.
 */
describe('a very long imported questionnaire', () => {
  const QUESTIONS = 3_400;
  let ctx: TestContext;
  let admin: StaffUser;
  let vendor: string;
  let firstId: string;

  beforeAll(async () => {
    ctx = await TestContext.create();
    admin = await ctx.admin();
    const csv = ['key,section,text,type,options,weight,critical', ...Array.from({ length: QUESTIONS }, (_, n) => `long.q${n},Controls,Is control ${n} in place?,yes_no,,1,false`)].join('\r\n');
    await ctx.http
      .post('/api/questionnaires/import')
      .set(bearer(admin.token))
      .field('key', 'long')
      .field('version', '1.0.0')
      .field('titleEn', 'A very long questionnaire')
      .attach('file', Buffer.from(csv), 'long.csv')
      .expect(201);
    vendor = await ctx.newVendor(admin.id, { name: 'Long Answers Ltd' });
    const first = await ctx.http.post('/api/assessments').set(bearer(admin.token)).send({ vendorId: vendor, modules: ['long'], dueDate: '2026-04-01', send: false }).expect(201);
    firstId = first.body.assessment.id;
    // Every question answered "no": each one fails and raises its finding.
    const rows = Array.from({ length: QUESTIONS }, (_, n) => newAnswerRow(firstId, `long.q${n}`, { value: 'no', comment: `Control ${n} is planned.`, version: 1, answeredAt: new Date('2026-03-01T10:00:00.000Z') }));
    await ctx.dataSource.transaction((m) => insertInStatements(m, AnswerEntity, rows));
  });
  afterAll(async () => ctx.close());

  it('completes the review, raising a finding for each failed question', async () => {
    await ctx.dataSource.getRepository(AssessmentEntity).update({ id: firstId }, { status: 'submitted', submittedAt: new Date('2026-03-02T10:00:00.000Z') });
    const reviewer = await ctx.newUser('reviewer');
    const res = await ctx.http.post(`/api/assessments/${firstId}/complete`).set(bearer(reviewer.token)).send({});
    expect(res.status).toBe(200);
    expect(res.body.findings).toHaveLength(QUESTIONS);
    expect(await ctx.dataSource.getRepository(FindingEntity).countBy({ assessmentId: firstId })).toBe(QUESTIONS);
    // The audit entry names the first findings and counts them all (their ids overflowed MySQL's TEXT).
    const entry = await ctx.dataSource.getRepository(AuditEventEntity).findOneByOrFail({ action: 'assessment.complete', targetId: firstId });
    expect(entry.details).toMatchObject({ criticalFailures: [], findingsTotal: QUESTIONS });
    expect(entry.details!.findings).toEqual(res.body.findings.slice(0, AUDIT_LISTED).map((f: { id: string }) => f.id));
  });

  it("carries every answer over to the vendor's next assessment", async () => {
    const { assessment } = await ctx.app
      .get(AssessmentsService)
      .create({ vendorId: vendor, modules: ['long'], dueDate: '2027-04-01', send: false }, SYSTEM_ACTOR, { prefillFrom: firstId });
    const carried = await ctx.dataSource.getRepository(AnswerEntity).find({ where: { assessmentId: assessment.id, prefilledFrom: firstId } });
    expect(carried).toHaveLength(QUESTIONS);
    expect(carried.find((a) => a.questionKey === 'long.q3399')).toMatchObject({ value: 'no', comment: 'Control 3399 is planned.', previousValue: 'no', version: 1, confirmedAt: null });
  });
});
