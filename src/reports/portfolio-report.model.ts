/**
 * The portfolio report as plain data: what the reports service reads about all active vendors,
 * and the same in one language, ready to draw. Pure.
 */
import { tr } from '../contracts/clause-wording';
import type { Locale } from '../i18n/i18n';
import { TIERS, type Tier } from '../vendors/vendor.enums';
import { formatDate, formatDateTime } from './report-format';
import { forTypeface, type SeverityKey } from './vendor-report.model';

export interface Listed<T> {
  /** How many there are in all; `rows` holds the first of them. */
  total: number;
  rows: T[];
}

export interface PortfolioFacts {
  generatedAt: Date;
  /** Active vendors by inherent tier, then by residual risk (`none` before a first completed assessment). */
  heat: Record<Tier, Record<Tier | 'none', number>>;
  overdue: Listed<{ vendor: string; tier: Tier; owner: string; due: string }>;
  upcoming: Listed<{ date: string; kind: string; vendor: string; subject: string | null }>;
  findings: Listed<{ vendor: string; title: string; severity: SeverityKey; status: string; owner: string; due: string | null }>;
  clauseGaps: Listed<{ vendor: string; tier: Tier; required: number; missing: number; partial: number; paramGaps: number }>;
}

export interface PortfolioReport {
  locale: Locale;
  title: string;
  generatedAt: Date;
  generatedText: string;
  headline: string;
  tiers: Array<{ tier: Tier; label: string }>;
  heat: Record<Tier, Record<Tier | 'none', number>>;
  unassessed: string;
  overdue: { more: string | null; rows: string[][] };
  upcoming: { more: string | null; rows: string[][] };
  findings: { more: string | null; rows: Array<{ severity: SeverityKey; cells: string[] }> };
  clauseGaps: { more: string | null; rows: string[][] };
}

export function buildPortfolioReport(f: PortfolioFacts, locale: Locale): PortfolioReport {
  return forTypeface(reportOf(f, locale), locale);
}

function reportOf(f: PortfolioFacts, locale: Locale): PortfolioReport {
  const t = tr(locale);
  const today = f.generatedAt.toISOString().slice(0, 10);
  const active = TIERS.reduce((n, tier) => n + Object.values(f.heat[tier]).reduce((a, b) => a + b, 0), 0);
  const unassessedByTier = TIERS.map((tier) => [tier, f.heat[tier].none] as const).filter(([, n]) => n > 0);
  const unassessed = unassessedByTier.reduce((n, [, c]) => n + c, 0);
  const more = (l: Listed<unknown>) => (l.total > l.rows.length ? t('report.portfolio.more', { shown: l.rows.length, total: l.total }) : null);
  const days = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);
  return {
    locale,
    title: t('report.portfolio.title'),
    generatedAt: f.generatedAt,
    generatedText: t('report.generated', { time: formatDateTime(f.generatedAt, locale) }),
    headline: t('report.portfolio.headline', { active, unassessed, overdue: f.overdue.total, findings: f.findings.total, gaps: f.clauseGaps.total }),
    tiers: [...TIERS].reverse().map((tier) => ({ tier, label: t('tier.' + tier) })),
    heat: f.heat,
    unassessed: unassessed
      ? t('report.portfolio.unassessed', { n: unassessed, list: unassessedByTier.map(([tier, n]) => `${t('tier.' + tier)} ${n}`).join(t('report.list_separator')) })
      : t('report.portfolio.all_assessed'),
    overdue: {
      more: more(f.overdue),
      rows: f.overdue.rows.map((r) => [r.vendor, t('tier.' + r.tier), r.owner, formatDate(r.due, locale), t('report.portfolio.days', { n: days(r.due, today) })]),
    },
    upcoming: {
      more: more(f.upcoming),
      rows: f.upcoming.rows.map((r) => [formatDate(r.date, locale), t('report.portfolio.kind.' + r.kind), r.vendor, r.subject ?? '—']),
    },
    findings: {
      more: more(f.findings),
      rows: f.findings.rows.map((r) => ({
        severity: r.severity,
        cells: [t('severity.' + r.severity), r.title, r.vendor, t('finding.status.' + r.status), r.owner, r.due ? formatDate(r.due, locale) : '—'],
      })),
    },
    clauseGaps: {
      more: more(f.clauseGaps),
      rows: f.clauseGaps.rows.map((r) => [r.vendor, t('tier.' + r.tier), String(r.required), String(r.missing), String(r.partial), String(r.paramGaps)]),
    },
  };
}
