/** The shape of the clause library as written in `contracts/*.yaml`. */
import type { LocalizedText, Severity } from '../questionnaires/questionnaire-module';
import type { DataCategory, Jurisdiction, Tier, VendorCategory, VolumeBand } from '../vendors/vendor.enums';

/**
 * When a clause applies, over the vendor's data profile. Every condition given must hold (AND);
 * `any` holds when one of its rules does, `not` when its rule does not. An empty rule always holds.
 */
export interface ApplicabilityRule {
  /** Holds personal information of any category. */
  personalData?: boolean;
  /** Data subjects in any of these jurisdictions. */
  jurisdictions?: Jurisdiction[];
  /** Holds payment card data (the `payment_card` data category). */
  paymentCard?: boolean;
  /** Holds any of these data categories. */
  dataCategories?: DataCategory[];
  /** Personal information leaves the country. */
  crossBorder?: boolean;
  /** The vendor's tier is at least this. */
  minTier?: Tier;
  /** The vendor holds one of these record volumes. */
  volumeBands?: VolumeBand[];
  categories?: VendorCategory[];
  any?: ApplicabilityRule[];
  not?: ApplicabilityRule;
}

export const PARAM_TYPES = ['integer', 'number', 'boolean', 'text'] as const;
export type ParamType = (typeof PARAM_TYPES)[number];
export const PARAM_UNITS = ['hours', 'days', 'months', 'years', 'percent', 'multiple', 'amount'] as const;
export type ParamUnit = (typeof PARAM_UNITS)[number];

/**
 * A value a clause takes (a notification window, an audit interval). For numbers, thresholds
 * say when the value is weak or a gap: `weakAbove: 48, gapAbove: 72` for "notify within N hours",
 * `weakBelow`/`gapBelow` where more is better. A boolean has the value the clause expects.
 */
export interface ClauseParam {
  key: string;
  type: ParamType;
  unit?: ParamUnit;
  label: LocalizedText;
  help?: LocalizedText;
  /** A clause recorded as present without this value is a gap ("not stated"). */
  required?: boolean;
  /** Accepted range of input, for numbers. */
  min?: number;
  max?: number;
  weakAbove?: number;
  gapAbove?: number;
  weakBelow?: number;
  gapBelow?: number;
  /** For booleans: the value the law or practice expects; the other one is a gap. */
  expected?: boolean;
}

export interface ClauseDefinition {
  /** Stable key of domain.md §4, e.g. `gdpr.dpa.written`. */
  key: string;
  title: LocalizedText;
  /** What the clause must say, in plain language (our own words). */
  explanation: LocalizedText;
  /** The legal source, e.g. "GDPR Art. 28(3)(a)". */
  source: string;
  /** Severity of the gap when an applicable clause is missing from every active contract. */
  severity: Severity;
  /** Narrows the set's rule: both must hold. */
  appliesWhen?: ApplicabilityRule;
  params?: ClauseParam[];
}

/** One file of `contracts/`: the clauses of one law or of good practice. */
export interface ClauseSet {
  /** e.g. `gdpr`; every clause key of the set starts with it and a dot. */
  set: string;
  /** Position of the set in lists and reports, lower first (ties keep the files' order); 100 when left out. */
  order?: number;
  title: LocalizedText;
  /** The law or standard, named in full. */
  source: LocalizedText;
  appliesWhen: ApplicabilityRule;
  clauses: ClauseDefinition[];
}

/** A clause with the set it belongs to, as the rest of the app reads it. */
export interface LibraryClause extends ClauseDefinition {
  set: string;
  /** The set's rule and the clause's own, both of which must hold. */
  rules: ApplicabilityRule[];
}

export interface ClauseLibrary {
  sets: ClauseSet[];
  /** Every clause: sets by `order`, clauses in file order. */
  clauses: LibraryClause[];
  byKey: ReadonlyMap<string, LibraryClause>;
}

export function buildLibrary(unordered: ClauseSet[]): ClauseLibrary {
  const sets = [...unordered].sort((a, b) => (a.order ?? 100) - (b.order ?? 100));
  const clauses = sets.flatMap((s) => s.clauses.map((c) => ({ ...c, set: s.set, rules: c.appliesWhen ? [s.appliesWhen, c.appliesWhen] : [s.appliesWhen] })));
  return { sets, clauses, byKey: new Map(clauses.map((c) => [c.key, c])) };
}
