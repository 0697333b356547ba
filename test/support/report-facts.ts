import type { GapReport } from '../../src/contracts/contract-gaps';
import type { ReviewQuestion, ReviewSection, ReviewSheet } from '../../src/reviews/review-sheet';
import type { QuestionScore } from '../../src/scoring/scoring';
import type { VendorReportFacts } from '../../src/reports/vendor-report.model';

export interface SampleOptions {
  questions?: number;
  findings?: number;
  sections?: number;
  evidence?: number;
  /** Length of every comment (a 2,000-character comment is an extreme the layout must take). */
  commentLength?: number;
  vendorName?: string;
  withPrevious?: boolean;
  withContracts?: boolean;
  completed?: boolean;
  /** Questions and options in Chinese as well as English. */
  chinese?: boolean;
  generatedAt?: Date;
}

const LOREM =
  'We review access rights every quarter and remove leavers within one working day; exceptions are approved by the security lead and recorded in the ticketing system, which keeps them for seven years. ';
const LOREM_ZH = '我们每季度审查访问权限，并在一个工作日内删除离职人员的权限；例外情况由安全负责人批准并记录在工单系统中，保存七年。';

/** Review facts for a vendor, as the reports service would read them, at any size: for layout tests and the benchmark. */
export function sampleVendorFacts(o: SampleOptions = {}): VendorReportFacts {
  const questionCount = o.questions ?? 60;
  const sectionCount = o.sections ?? Math.min(12, Math.max(1, Math.ceil(questionCount / 10)));
  const generatedAt = o.generatedAt ?? new Date('2027-03-01T09:30:00Z');
  const comment = (i: number) => (o.commentLength ? (o.chinese ? LOREM_ZH : LOREM).repeat(Math.ceil(o.commentLength / 60)).slice(0, o.commentLength) : i % 3 === 0 ? 'Policy v4, approved March.' : null);
  const sections: ReviewSection[] = [];
  const criticalFailures: string[] = [];
  let evidenceLeft = o.evidence ?? Math.min(questionCount, 12);
  for (let s = 0; s < sectionCount; s++) {
    const questions: ReviewQuestion[] = [];
    for (let i = s; i < questionCount; i += sectionCount) {
      const key = `q${String(i + 1).padStart(3, '0')}`;
      const critical = i % 17 === 4;
      const failed = i % 5 === 1;
      if (critical && failed) criticalFailures.push(key);
      const score: QuestionScore = {
        key,
        section: `baseline/s${s}`,
        applicable: i % 11 !== 7,
        rule: 'yes_no' as QuestionScore['rule'],
        answerScore: failed ? 0 : 1,
        autoScore: failed ? 0 : 1,
        reviewedScore: null,
        score: failed ? 0 : 1,
        weight: 2,
        evidenceRule: 'none',
        unverified: false,
        critical,
        criticalFailure: critical && failed,
      };
      questions.push({
        key,
        sectionId: `baseline/s${s}`,
        type: 'yes_no',
        text: o.chinese ? `贵公司是否对所有远程访问和管理访问强制启用多因素认证（问题 ${i + 1}）？` : `Do you enforce multi-factor authentication for all remote and administrative access (question ${i + 1})?`,
        help: null,
        critical,
        evidenceRule: 'optional',
        options: [],
        expected: 'yes',
        answer: failed ? 'no' : 'yes',
        answerLabel: failed ? (o.chinese ? '否' : 'No') : o.chinese ? '是' : 'Yes',
        comment: comment(i),
        files:
          evidenceLeft-- > 0
            ? [{ id: `f${i}`, name: o.chinese ? `访问控制政策-${i}.pdf` : `access-control-policy-${i}.pdf`, size: 1000, mime: 'application/pdf', sha256: 'ab'.repeat(32), uploadedAt: generatedAt.toISOString() }]
            : [],
        score,
        review: { decision: i % 4 === 0 ? 'accepted' : null, note: i % 8 === 0 ? 'Checked against the policy document.' : null, overrideScore: null, overrideReason: null, reviewedBy: null, reviewedAt: null },
        clarification: { open: false, note: null },
        finding: { severity: critical ? 'critical' : 'medium', recommendation: o.chinese ? '为所有远程访问启用多因素认证。' : 'Require MFA for all remote access.' },
        carriedOver: null,
      });
    }
    const score = 50 + ((s * 37) % 50);
    sections.push({
      id: `baseline/s${s}`,
      moduleKey: 'baseline',
      title: o.chinese ? `第 ${s + 1} 部分：身份与访问管理` : `Section ${s + 1}: Identity and access management`,
      weight: 1,
      score,
      applicableCount: questions.length,
      weightedSum: 0,
      weightSum: 0,
      questions,
    });
  }
  const findingCount = o.findings ?? 8;
  const severities = ['critical', 'high', 'medium', 'low'] as const;
  const statuses = ['open', 'in_remediation', 'risk_accepted', 'open'] as const;
  const findings: VendorReportFacts['findings'] = Array.from({ length: findingCount }, (_, i) => ({
    id: `finding-${i}`,
    questionKey: criticalFailures[i] ?? null,
    title: o.chinese ? `访问权限审查不完整（第 ${i + 1} 项）` : `Access reviews are incomplete for privileged accounts (finding ${i + 1})`,
    recommendation: o.chinese ? '每季度审查特权账户，并记录审查结果。' : 'Review privileged accounts every quarter and keep a record of each review.',
    severity: severities[i % 4],
    status: statuses[i % 4],
    ownerName: 'Grace Hopper',
    dueDate: i % 3 === 0 ? '2027-01-15' : '2027-06-30',
    riskAcceptedUntil: statuses[i % 4] === 'risk_accepted' ? '2027-12-31' : null,
  }));
  return {
    generatedAt,
    vendor: {
      id: 'vendor-1',
      name: o.vendorName ?? 'Paycrest Payments Ltd',
      legalEntity: 'Paycrest Payments Limited',
      category: 'payment',
      country: 'GB',
      ownerName: 'Grace Hopper',
      tier: 'high',
      tierScore: 9,
      tierBreakdown: [
        { factor: 'personalData', value: 'sensitive', points: 5 },
        { factor: 'volume', value: '100k_1m', points: 2 },
        { factor: 'access', value: 'api', points: 2 },
        { factor: 'criticality', value: 'low', points: 0 },
        { factor: 'crossBorder', value: 'true', points: 1 },
      ],
      tierFloors: [{ rule: 'payment_card_min_high', tier: 'high' }],
      tierOverride: null,
      residualRisk: 'medium',
      lastReviewDate: '2027-02-20',
      nextReviewDate: '2028-02-20',
      archived: false,
    },
    assessment: {
      id: 'assessment-1',
      status: o.completed === false ? 'in_review' : 'completed',
      modules: [{ key: 'baseline', version: '1.0.0', title: { en: 'Baseline security', 'zh-CN': '基线安全' } }],
      sentAt: new Date('2027-01-10T10:00:00Z'),
      submittedAt: new Date('2027-02-01T10:00:00Z'),
      completedAt: o.completed === false ? null : new Date('2027-02-20T10:00:00Z'),
      dueDate: '2027-02-10',
      reviewerName: 'Ada Lovelace',
      residualRisk: 'medium',
      answeredCount: questionCount,
      questionCount,
    },
    sheet: {
      overall: { score: 78.4, band: 'adequate', weightedSum: 0, weightSum: 0, criticalFailures, unverified: [] },
      residual: { risk: 'high', fromMatrix: 'medium', raisedByCriticalFailure: criticalFailures.length > 0, inherentTier: 'high' },
      sections,
    } satisfies ReviewSheet,
    previous: o.withPrevious === false ? null : { completedAt: new Date('2026-02-18T10:00:00Z'), sections: Object.fromEntries(sections.map((s, i) => [s.id, i % 4 === 3 ? null : Math.max(0, (s.score ?? 0) - 10 + ((i * 7) % 20))])) },
    findings,
    contracts: o.withContracts === false ? { list: [], gaps: emptyGaps() } : { list: [{ title: 'Data processing agreement', status: 'active', expiryDate: '2028-01-31' }], gaps: emptyGaps() },
  };
}

function emptyGaps(): GapReport {
  return { clauses: [], gaps: [], counts: { required: 0, present: 0, partial: 0, missing: 0, notApplicable: 0, gaps: 0 }, notRequired: [] };
}
