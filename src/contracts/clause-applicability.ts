/**
 * Which clauses of the library a vendor's contracts must carry, and why: a pure function of the
 * vendor's data profile. Each applicable clause comes with the facts that made it apply, so a
 * page can say "applies because it holds personal data of people in the EU".
 */
import type { DataCategory, Jurisdiction, Tier, VendorCategory, VolumeBand } from '../vendors/vendor.enums';
import { TIERS } from '../vendors/vendor.enums';
import type { ApplicabilityRule, ClauseLibrary, LibraryClause } from './clause-library';

export interface DataProfile {
  dataCategories: readonly DataCategory[];
  jurisdictions: readonly Jurisdiction[];
  crossBorder: boolean;
  tier: Tier;
  volumeBand: VolumeBand;
  category: VendorCategory;
}

/** A fact of the profile that a rule relied on; `values` are the matching ones. */
export type Reason =
  | { factor: 'personalData'; holds: boolean }
  | { factor: 'paymentCard'; holds: boolean }
  | { factor: 'crossBorder'; holds: boolean }
  | { factor: 'jurisdictions'; values: Jurisdiction[] }
  | { factor: 'dataCategories'; values: DataCategory[] }
  | { factor: 'minTier'; tier: Tier; minimum: Tier }
  | { factor: 'volumeBands'; values: VolumeBand[] }
  | { factor: 'categories'; values: VendorCategory[] }
  | { factor: 'not'; reasons: Reason[] };

export interface RuleResult {
  holds: boolean;
  /** When it holds: the facts it rests on (without repeats). When not: the fact that failed (each branch's, for `any`). */
  reasons: Reason[];
}

const tierRank = (t: Tier) => TIERS.indexOf(t);

/** The simple conditions of a rule, each as [whether it holds, the fact it rests on]; absent ones left out. */
function conditions(rule: ApplicabilityRule, p: DataProfile): Array<[boolean, Reason]> {
  const out: Array<[boolean, Reason]> = [];
  const personal = p.dataCategories.length > 0;
  const card = p.dataCategories.includes('payment_card');
  if (rule.personalData !== undefined) out.push([personal === rule.personalData, { factor: 'personalData', holds: personal }]);
  if (rule.paymentCard !== undefined) out.push([card === rule.paymentCard, { factor: 'paymentCard', holds: card }]);
  if (rule.crossBorder !== undefined) out.push([p.crossBorder === rule.crossBorder, { factor: 'crossBorder', holds: p.crossBorder }]);
  if (rule.jurisdictions) {
    const values = p.jurisdictions.filter((j) => rule.jurisdictions!.includes(j));
    out.push([values.length > 0, { factor: 'jurisdictions', values }]);
  }
  if (rule.dataCategories) {
    const values = p.dataCategories.filter((c) => rule.dataCategories!.includes(c));
    out.push([values.length > 0, { factor: 'dataCategories', values }]);
  }
  if (rule.minTier) out.push([tierRank(p.tier) >= tierRank(rule.minTier), { factor: 'minTier', tier: p.tier, minimum: rule.minTier }]);
  if (rule.volumeBands) out.push([rule.volumeBands.includes(p.volumeBand), { factor: 'volumeBands', values: [p.volumeBand] }]);
  if (rule.categories) out.push([rule.categories.includes(p.category), { factor: 'categories', values: [p.category] }]);
  return out;
}

/** Evaluates one rule over a profile. */
export function evaluateRule(rule: ApplicabilityRule, p: DataProfile): RuleResult {
  const reasons: Reason[] = [];
  for (const [holds, reason] of conditions(rule, p)) {
    if (!holds) return { holds: false, reasons: [reason] };
    reasons.push(reason);
  }
  if (rule.any) {
    const results = rule.any.map((r) => evaluateRule(r, p));
    const first = results.find((r) => r.holds);
    if (!first) return { holds: false, reasons: results.flatMap((r) => r.reasons) };
    reasons.push(...first.reasons);
  }
  if (rule.not) {
    const inner = evaluateRule(rule.not, p);
    if (inner.holds) return { holds: false, reasons: [{ factor: 'not', reasons: inner.reasons }] };
    reasons.push({ factor: 'not', reasons: inner.reasons });
  }
  return { holds: true, reasons: dedupe(reasons) };
}

function dedupe(reasons: Reason[]): Reason[] {
  const seen = new Set<string>();
  return reasons.filter((r) => {
    const key = JSON.stringify(r);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export interface ClauseApplicability {
  clause: LibraryClause;
  applies: boolean;
  reasons: Reason[];
}

/** Whether one clause applies: its set's rule and its own must both hold. */
export function clauseApplicability(clause: LibraryClause, profile: DataProfile): ClauseApplicability {
  const reasons: Reason[] = [];
  for (const rule of clause.rules) {
    const r = evaluateRule(rule, profile);
    if (!r.holds) return { clause, applies: false, reasons: r.reasons };
    reasons.push(...r.reasons);
  }
  return { clause, applies: true, reasons: dedupe(reasons) };
}

/** Every clause of the library with whether it applies to the profile, in library order. */
export function applicableClauses(library: ClauseLibrary, profile: DataProfile): ClauseApplicability[] {
  return library.clauses.map((c) => clauseApplicability(c, profile));
}
