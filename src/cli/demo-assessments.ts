/**
 * Demo assessments for `npm run demo`: one questionnaire still with its vendor (its link is
 * printed and in the outbox), one submitted and waiting for review, one reviewed and completed
 * with findings. Answers are made through the real portal and review services, so scores,
 * findings and audit entries are exactly what the product would produce.
 */
import type { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuditActor } from '../audit/audit-context';
import { AssessmentEntity } from '../assessments/assessment.entity';
import { AssessmentErrorCode, AssessmentException } from '../assessments/assessment.exception';
import { AssessmentsService } from '../assessments/assessments.service';
import { Clock } from '../clock/clock';
import { addDays, toIsoDate } from '../common/dates';
import { PortalService } from '../portal/portal.service';
import type { PortalContext } from '../portal/portal-context';
import type { QuestionDefinition } from '../questionnaires/questionnaire-module';
import { ReviewsService } from '../reviews/reviews.service';
import { VendorEntity } from '../vendors/vendor.entity';

export interface DemoAssessment {
  vendor: string;
  stage: 'sent' | 'submitted' | 'completed';
  /** Every n-th question gets an unfavourable answer, so findings and a band below strong appear. */
  failEvery?: number;
}

export const DEMO_ASSESSMENTS: readonly DemoAssessment[] = [
  { vendor: 'Paycrest Payments', stage: 'completed', failEvery: 5 },
  { vendor: 'Mailwren', stage: 'submitted', failEvery: 8 },
  { vendor: '云途物流 Yuntu Logistics', stage: 'sent' },
];

const VENDOR_ACTOR: AuditActor = { actorId: null, actorLabel: 'demo vendor', ip: null, requestId: null };
/** A small valid PDF, attached as evidence. */
const DEMO_PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);

export interface DemoAssessmentSummary {
  created: Array<{ vendor: string; stage: string; link?: string }>;
  skipped: string[];
}

export async function loadDemoAssessments(
  app: INestApplicationContext,
  actors: { sender: AuditActor; reviewer: AuditActor },
  log: (line: string) => void,
): Promise<DemoAssessmentSummary> {
  const assessments = app.get(AssessmentsService);
  const portal = app.get(PortalService);
  const reviews = app.get(ReviewsService);
  const clock = app.get(Clock);
  const ds = app.get(DataSource);
  const summary: DemoAssessmentSummary = { created: [], skipped: [] };

  for (const plan of DEMO_ASSESSMENTS) {
    const vendor = await ds.getRepository(VendorEntity).findOneBy({ name: plan.vendor });
    if (!vendor || vendor.archivedAt) continue;
    if (await ds.getRepository(AssessmentEntity).existsBy({ vendorId: vendor.id })) {
      summary.skipped.push(plan.vendor);
      log(`  assessment for ${plan.vendor} exists, skipped`);
      continue;
    }
    const dueDate = addDays(toIsoDate(clock.now()), 30);
    const { assessment, link } = await assessments.create({ vendorId: vendor.id, dueDate, message: 'Demo questionnaire.' }, actors.sender);
    if (plan.stage === 'sent') {
      summary.created.push({ vendor: plan.vendor, stage: 'sent', link: link?.url });
      log(`  assessment for ${plan.vendor}: sent, due ${dueDate}`);
      continue;
    }
    const ctx: PortalContext = { assessmentId: assessment.id, sessionId: 'demo', csrfToken: '', via: 'bearer' };
    await answerEverything(portal, assessments, ctx, plan.failEvery ?? 0);
    await portal.submit(ctx, VENDOR_ACTOR);
    if (plan.stage === 'completed') {
      const state = await assessments.state(assessment.id);
      for (const e of state.evidence.filter((f, i, all) => all.findIndex((g) => g.questionKey === f.questionKey) === i)) {
        await reviews.reviewAnswer(assessment.id, e.questionKey, { decision: 'accepted', note: 'Document read; it covers the question.' }, actors.reviewer);
      }
      await reviews.complete(assessment.id, {}, actors.reviewer);
    }
    const final = await assessments.getEntity(assessment.id);
    summary.created.push({ vendor: plan.vendor, stage: final.status });
    log(`  assessment for ${plan.vendor}: ${final.status}, score ${final.scoreX100 === null ? '–' : final.scoreX100 / 100}, residual risk ${final.residualRisk ?? '–'}`);
  }
  return summary;
}

/** Answers every visible question (conditions may reveal more after each pass), attaching evidence where asked. */
async function answerEverything(portal: PortalService, assessments: AssessmentsService, ctx: PortalContext, failEvery: number): Promise<void> {
  let n = 0;
  for (let pass = 0; pass < 6; pass++) {
    const state = await assessments.state(ctx.assessmentId);
    const todo = state.progress.visible.filter((key) => !state.answers.get(key)?.answeredAt && !state.evidence.some((e) => e.questionKey === key));
    if (todo.length === 0) return;
    for (const key of todo) {
      const q = state.questionnaire.questions.get(key)!.question;
      n++;
      const fail = failEvery > 0 && n % failEvery === 0;
      if (q.type === 'file') {
        await portal.addEvidence(ctx, key, { filename: 'evidence.pdf', data: DEMO_PDF }, VENDOR_ACTOR);
        continue;
      }
      try {
        await portal.saveAnswer(ctx, key, { value: demoValue(q, fail), comment: fail ? 'Planned for next quarter.' : null, baseVersion: state.answers.get(key)?.version ?? 0 }, VENDOR_ACTOR);
      } catch (err) {
        // An earlier answer of this pass hid the question: it no longer needs one.
        if (err instanceof AssessmentException && err.code === AssessmentErrorCode.QuestionHidden) continue;
        throw err;
      }
      if (!fail && q.evidence === 'required' && n % 2 === 0) await portal.addEvidence(ctx, key, { filename: `${key}.pdf`, data: DEMO_PDF }, VENDOR_ACTOR);
    }
  }
}

function demoValue(q: QuestionDefinition, fail: boolean): string | string[] | number {
  switch (q.type) {
    case 'yes_no':
    case 'yes_no_na': {
      const good = q.expected ?? 'yes';
      return fail ? (good === 'yes' ? 'no' : 'yes') : good;
    }
    case 'single_choice': {
      const sorted = [...(q.options ?? [])].sort((a, b) => b.score - a.score);
      return (fail ? sorted[sorted.length - 1] : sorted[0]).key;
    }
    case 'multi_choice': {
      const sorted = [...(q.options ?? [])].sort((a, b) => b.score - a.score);
      return fail ? [sorted[sorted.length - 1].key] : sorted.filter((o) => o.score > 0).slice(0, 3).map((o) => o.key);
    }
    case 'number':
      return 12;
    case 'date':
      return '2026-01-15';
    default:
      return 'Described in our information security policy, section 4; reviewed every year by our security officer.';
  }
}
