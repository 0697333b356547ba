/**
 * A vendor's risk summary as plain data, in one language, ready to draw: built by a pure
 * function from the facts the reports service reads. Everything a reader sees is decided here
 * (order, wording, what is provisional); the PDF renderer only lays it out.
 */
import type { Gap, GapReport } from '../contracts/contract-gaps';
import { gapText, tr } from '../contracts/clause-wording';
import type { Locale } from '../i18n/i18n';
import type { ReviewSheet } from '../reviews/review-sheet';
import type { TierBreakdownLine } from '../vendors/tiering/inherent-risk-tier';
import type { Tier } from '../vendors/vendor.enums';
import { formatDate, formatDateTime, formatScore, plural } from './report-format';

export type SeverityKey = 'low' | 'medium' | 'high' | 'critical';

/** What the reports service reads for one vendor (and one of its assessments); no wording yet. */
export interface VendorReportFacts {
  generatedAt: Date;
  vendor: {
    id: string;
    name: string;
    legalEntity: string | null;
    category: string;
    country: string;
    ownerName: string;
    tier: Tier;
    tierScore: number;
    tierBreakdown: TierBreakdownLine[];
    tierFloors: Array<{ rule: string; tier: Tier }>;
    tierOverride: { tier: Tier; reason: string } | null;
    residualRisk: Tier | null;
    lastReviewDate: string | null;
    nextReviewDate: string;
    archived: boolean;
  };
  assessment: {
    id: string;
    status: string;
    modules: Array<{ key: string; version: string; title: Record<Locale, string> }>;
    sentAt: Date | null;
    submittedAt: Date | null;
    completedAt: Date | null;
    dueDate: string;
    reviewerName: string | null;
    residualRisk: Tier | null;
    answeredCount: number;
    questionCount: number;
  } | null;
  /** The assessment's review sheet in the report's language (scores, answers, evidence). */
  sheet: ReviewSheet | null;
  /** Section scores of the vendor's previous completed assessment, by section id, and its completion date. */
  previous: { completedAt: Date; sections: Record<string, number | null> } | null;
  findings: Array<{
    id: string;
    questionKey: string | null;
    title: string;
    recommendation: string;
    severity: SeverityKey;
    status: string;
    ownerName: string | null;
    dueDate: string | null;
    riskAcceptedUntil: string | null;
  }>;
  contracts: { list: Array<{ title: string; status: string; expiryDate: string | null }>; gaps: GapReport } | null;
}

export interface SummaryFinding {
  severity: SeverityKey;
  severityLabel: string;
  status: string;
  title: string;
  owner: string;
  due: string;
  recommendation: string;
  critical: boolean;
  overdue: boolean;
  /** Open or in remediation. */
  open: boolean;
}

export interface SummaryClause {
  key: string;
  title: string;
  source: string;
  coverage: 'present' | 'partial' | 'missing';
  coverageLabel: string;
  gaps: string[];
}

export interface VendorSummary {
  locale: Locale;
  title: string;
  provisional: boolean;
  generatedAt: Date;
  generatedText: string;
  vendor: { name: string; facts: Array<[string, string]> };
  tier: { tier: Tier; label: string; reasons: string[] };
  residual: { tier: Tier | null; label: string };
  score: { value: number | null; text: string; band: string | null; bandLabel: string };
  assessmentFacts: Array<[string, string]>;
  summary: string;
  sections: Array<{ title: string; score: number | null; previous: number | null; changeText: string }>;
  previousLabel: string | null;
  findings: SummaryFinding[];
  contracts: { none: boolean; list: string[]; counts: { required: number; present: number; partial: number; missing: number }; clauses: SummaryClause[] } | null;
  evidence: Array<{ name: string; question: string; sha256: string }>;
  appendix: Array<{
    section: string;
    questions: Array<{ key: string; text: string; answer: string; comment: string | null; score: string; note: string | null }>;
  }> | null;
}

const SEVERITY_ORDER: SeverityKey[] = ['critical', 'high', 'medium', 'low'];
const OPEN_STATUSES = new Set(['open', 'in_remediation']);

export function buildVendorSummary(f: VendorReportFacts, locale: Locale, options: { appendix: boolean }): VendorSummary {
  return forTypeface(summaryOf(f, locale, options), locale);
}

/**
 * The report's typeface is a Chinese one, whose curly quotes are full-width: in an English
 * report they are set as straight quotes, which it draws at Latin width.
 */
export function forTypeface<T>(value: T, locale: Locale): T {
  if (locale !== 'en') return value;
  const fix = (v: unknown): unknown => {
    if (typeof v === 'string') return v.replace(/[‘’]/g, "'").replace(/[“”]/g, '"');
    if (Array.isArray(v)) return v.map(fix);
    if (v && typeof v === 'object' && !(v instanceof Date)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fix(x)]));
    return v;
  };
  return fix(value) as T;
}

function summaryOf(f: VendorReportFacts, locale: Locale, options: { appendix: boolean }): VendorSummary {
  const t = tr(locale);
  const today = f.generatedAt.toISOString().slice(0, 10);
  const sheet = f.sheet;
  const a = f.assessment;
  const provisional = a !== null && a.status !== 'completed';
  const questionText = new Map<string, string>();
  const questionSection = new Map<string, string>();
  for (const s of sheet?.sections ?? []) {
    for (const q of s.questions) {
      questionText.set(q.key, q.text);
      questionSection.set(q.key, s.title);
    }
  }
  const criticalKeys = new Set(sheet?.overall.criticalFailures ?? []);

  const tierReasons = f.vendor.tierBreakdown
    .filter((l) => l.points > 0)
    .map((l) => t('report.tier_reason', { factor: t('factor.' + l.factor), value: factorValue(t, l), points: l.points }));
  for (const floor of f.vendor.tierFloors) tierReasons.push(t('report.tier_floor.' + floor.rule, { tier: t('tier.' + floor.tier) }));
  if (f.vendor.tierOverride) tierReasons.push(t('report.tier_override', { tier: t('tier.' + f.vendor.tierOverride.tier), reason: f.vendor.tierOverride.reason }));

  const findings: SummaryFinding[] = f.findings
    .map((x) => {
      const overdue = OPEN_STATUSES.has(x.status) && x.dueDate !== null && x.dueDate < today;
      return {
        severity: x.severity,
        severityLabel: t('severity.' + x.severity),
        status: t('finding.status.' + x.status) + (x.status === 'risk_accepted' && x.riskAcceptedUntil ? ` (${t('report.until', { date: formatDate(x.riskAcceptedUntil, locale) })})` : ''),
        title: x.title,
        owner: x.ownerName ?? '—',
        due: x.dueDate ? formatDate(x.dueDate, locale) : '—',
        recommendation: x.recommendation,
        critical: x.questionKey !== null && criticalKeys.has(x.questionKey),
        overdue,
        open: OPEN_STATUSES.has(x.status),
      };
    })
    .sort((p, q) => SEVERITY_ORDER.indexOf(p.severity) - SEVERITY_ORDER.indexOf(q.severity) || Number(q.critical) - Number(p.critical));
  // Critical failures of an assessment still in progress have no finding yet: they are listed too.
  const raised = new Set(f.findings.map((x) => x.questionKey).filter((k): k is string => k !== null));
  const pendingCritical: SummaryFinding[] = [...criticalKeys]
    .filter((k) => !raised.has(k))
    .map((k) => ({
      severity: 'critical',
      severityLabel: t('report.critical_failure'),
      status: t('report.not_raised'),
      title: questionText.get(k) ?? k,
      owner: '—',
      due: '—',
      recommendation: sheet?.sections.flatMap((s) => s.questions).find((q) => q.key === k)?.finding?.recommendation ?? '',
      critical: true,
      overdue: false,
      open: false,
    }));

  const sections = (sheet?.sections ?? []).map((s) => {
    const previous = f.previous ? (f.previous.sections[s.id] ?? null) : null;
    const change = s.score !== null && previous !== null ? Math.round(s.score - previous) : null;
    return {
      title: s.title,
      score: s.score,
      previous,
      changeText: change === null ? (f.previous ? t('report.change.none') : '') : change === 0 ? t('report.change.same') : (change > 0 ? '+' : '−') + Math.abs(change),
    };
  });

  const contracts = f.contracts ? contractCoverage(f.contracts, locale) : null;
  const evidence = (sheet?.sections ?? []).flatMap((s) => s.questions.flatMap((q) => q.files.map((file) => ({ name: file.name, question: `${q.key} · ${q.text}`, sha256: file.sha256 }))));

  const score = sheet?.overall.score ?? null;
  const band = sheet?.overall.band ?? null;
  const residualTier = a ? (provisional ? (sheet?.residual.risk ?? null) : a.residualRisk) : f.vendor.residualRisk;

  return {
    locale,
    title: t('report.vendor.title', { vendor: f.vendor.name }),
    provisional,
    generatedAt: f.generatedAt,
    generatedText: t('report.generated', { time: formatDateTime(f.generatedAt, locale) }),
    vendor: {
      name: f.vendor.name,
      facts: [
        [t('report.field.legal_entity'), f.vendor.legalEntity ?? '—'],
        [t('report.field.category'), t('category.' + f.vendor.category)],
        [t('report.field.country'), f.vendor.country],
        [t('report.field.owner'), f.vendor.ownerName],
        ...(f.vendor.archived ? ([[t('report.field.status'), t('report.archived')]] as Array<[string, string]>) : []),
      ],
    },
    tier: { tier: f.vendor.tier, label: t('tier.' + f.vendor.tier), reasons: tierReasons },
    residual: { tier: residualTier, label: residualTier ? t('tier.' + residualTier) : t('report.not_assessed') },
    score: { value: score, text: score === null ? '—' : formatScore(score), band, bandLabel: band ? t('assessment.band.' + band) : '—' },
    assessmentFacts: a
      ? [
          [t('report.field.questionnaire'), a.modules.map((m) => `${m.title[locale]} ${m.version}`).join(', ')],
          [t('report.field.assessment_status'), t('assessment.status.' + a.status)],
          [t('report.field.sent'), a.sentAt ? formatDate(a.sentAt, locale) : '—'],
          [t('report.field.submitted'), a.submittedAt ? formatDate(a.submittedAt, locale) : '—'],
          [t('report.field.reviewed'), a.completedAt ? formatDate(a.completedAt, locale) : '—'],
          [t('report.field.reviewer'), a.reviewerName ?? '—'],
          [t('report.field.answered'), t('report.answered_of', { answered: a.answeredCount, total: a.questionCount })],
          [t('report.field.next_review'), formatDate(f.vendor.nextReviewDate, locale) + (f.vendor.nextReviewDate < today ? ` (${t('report.overdue')})` : '')],
        ]
      : [
          [t('report.field.assessment_status'), t('report.no_assessment')],
          [t('report.field.last_review'), f.vendor.lastReviewDate ? formatDate(f.vendor.lastReviewDate, locale) : '—'],
          [t('report.field.next_review'), formatDate(f.vendor.nextReviewDate, locale) + (f.vendor.nextReviewDate < today ? ` (${t('report.overdue')})` : '')],
        ],
    summary: summaryParagraph(f, locale, { questionText, findings, contracts, today }),
    sections,
    previousLabel: f.previous ? t('report.previous', { date: formatDate(f.previous.completedAt, locale) }) : null,
    findings: [...pendingCritical, ...findings],
    contracts,
    evidence,
    appendix: options.appendix && sheet
      ? sheet.sections.map((s) => ({
          section: s.title,
          questions: s.questions.map((q) => ({
            key: q.key,
            text: q.text,
            answer: q.answerLabel ?? t('report.unanswered'),
            comment: q.comment,
            score: !q.score.applicable ? t('report.score.not_applicable') : q.score.score === null ? t('report.score.not_scored') : formatScore(q.score.score * 100) + (q.score.reviewedScore !== null ? ` (${t('report.score.overridden')})` : ''),
            note: [q.review.decision ? t('report.decision.' + q.review.decision) : null, q.review.note, q.review.overrideReason].filter(Boolean).join(' — ') || null,
          })),
        }))
      : null,
  };
}

function factorValue(t: (k: string, p?: Record<string, string | number>) => string, l: TierBreakdownLine): string {
  switch (l.factor) {
    case 'personalData':
      return t('report.personal_data.' + l.value);
    case 'volume':
      return t('volume.' + l.value);
    case 'access':
      return t('access.' + l.value);
    case 'criticality':
      return t('criticality.' + l.value);
    case 'crossBorder':
      return t(l.value === 'true' ? 'report.yes' : 'report.no');
  }
}

function contractCoverage(c: NonNullable<VendorReportFacts['contracts']>, locale: Locale): NonNullable<VendorSummary['contracts']> {
  const t = tr(locale);
  const clauses: SummaryClause[] = c.gaps.clauses
    .filter((x) => x.coverage !== 'not_applicable')
    .map((x) => ({
      key: x.clause.key,
      title: x.clause.title[locale],
      source: x.clause.source,
      coverage: x.coverage as SummaryClause['coverage'],
      coverageLabel: t('report.coverage.' + x.coverage),
      gaps: x.gaps.map((g: Gap) => `${t('severity.' + g.severity)}: ${gapText(t, g, x.clause, locale)}`),
    }));
  return {
    none: c.list.length === 0,
    list: c.list.map((x) => `${x.title} (${t('contracts.status.' + x.status)}${x.expiryDate ? ', ' + t('report.until', { date: formatDate(x.expiryDate, locale) }) : ''})`),
    counts: { required: c.gaps.counts.required, present: c.gaps.counts.present, partial: c.gaps.counts.partial, missing: c.gaps.counts.missing },
    clauses,
  };
}

/** The plain-language paragraph under the cover block, from the facts alone. */
function summaryParagraph(
  f: VendorReportFacts,
  locale: Locale,
  ctx: { questionText: Map<string, string>; findings: SummaryFinding[]; contracts: VendorSummary['contracts']; today: string },
): string {
  const t = tr(locale);
  const sentences: string[] = [];
  const a = f.assessment;
  const sheet = f.sheet;
  sentences.push(t('report.summary.tier', { vendor: f.vendor.name, tier: t('tier.' + f.vendor.tier), category: t('category.' + f.vendor.category) }));
  if (!a || !sheet) {
    sentences.push(t('report.summary.no_assessment'));
  } else {
    const when = formatDate(a.completedAt ?? a.submittedAt ?? a.sentAt ?? f.generatedAt, locale);
    if (sheet.overall.score === null) sentences.push(t('report.summary.no_score', { date: when }));
    else
      sentences.push(
        t(a.status === 'completed' ? 'report.summary.score' : 'report.summary.score_provisional', {
          date: when,
          score: formatScore(sheet.overall.score),
          band: t('assessment.band.' + sheet.overall.band),
          risk: t('tier.' + (a.status === 'completed' ? (a.residualRisk ?? sheet.residual.risk) : sheet.residual.risk)),
        }),
      );
    const failed = sheet.overall.criticalFailures;
    if (failed.length) {
      const names = failed.slice(0, 3).map((k) => t('report.quoted', { text: shorten(ctx.questionText.get(k) ?? k, locale === 'zh-CN' ? 32 : 70) }));
      const list = names.join(t('report.list_separator')) + (failed.length > 3 ? t('report.summary.and_more', { n: failed.length - 3 }) : '');
      sentences.push(plural(t, 'report.summary.critical', failed.length, { list }));
    } else if (sheet.overall.score !== null) {
      sentences.push(t('report.summary.no_critical'));
    }
  }
  const open = ctx.findings.filter((x) => x.open);
  const serious = open.filter((x) => x.severity === 'critical' || x.severity === 'high').length;
  const overdue = open.filter((x) => x.overdue).length;
  if (open.length) sentences.push(plural(t, 'report.summary.findings', open.length, { serious, overdue }));
  const c = ctx.contracts;
  if (c) {
    if (c.counts.required === 0) sentences.push(t('report.summary.no_clauses_required'));
    else if (c.none) sentences.push(t('report.summary.no_contract', { required: c.counts.required }));
    else if (c.counts.missing + c.counts.partial === 0) sentences.push(t('report.summary.clauses_complete', { required: c.counts.required }));
    else sentences.push(t('report.summary.clauses_gaps', { missing: c.counts.missing, partial: c.counts.partial, required: c.counts.required }));
  }
  sentences.push(
    t(f.vendor.nextReviewDate < ctx.today ? 'report.summary.review_overdue' : 'report.summary.review_next', { date: formatDate(f.vendor.nextReviewDate, locale) }),
  );
  return sentences.join(locale === 'zh-CN' ? '' : ' ');
}

function shorten(text: string, max: number): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length <= max ? oneLine : oneLine.slice(0, max - 1).trimEnd() + '…';
}
