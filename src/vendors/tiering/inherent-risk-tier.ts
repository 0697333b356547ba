/**
 * Inherent risk tier at onboarding, from the points table of domain.md §2.
 * Pure: plain data in, plain data out. The table is data so that the breakdown
 * shown to users ("why this tier") is the same table the score came from.
 */
import type {
  AccessLevel,
  Criticality,
  DataCategory,
  Tier,
  VolumeBand,
} from '../vendor.enums';

export interface DataProfile {
  dataCategories: readonly DataCategory[];
  volumeBand: VolumeBand;
  accessLevel: AccessLevel;
  criticality: Criticality;
  crossBorder: boolean;
}

/** Sensitive personal information in the sense of PIPL Art. 28. */
export const SENSITIVE_CATEGORIES: readonly DataCategory[] = [
  'financial_account',
  'payment_card',
  'health',
  'biometric',
  'precise_location',
  'minors',
  'government_id',
];
const BASIC_CATEGORIES: readonly DataCategory[] = ['identity', 'contact'];

export type PersonalDataLevel = 'none' | 'basic' | 'transactional' | 'sensitive';

export const TIER_POINTS = {
  personalData: { none: 0, basic: 2, transactional: 3, sensitive: 5 } as Record<PersonalDataLevel, number>,
  volume: { under_1k: 0, '1k_100k': 1, '100k_1m': 2, over_1m: 3 } as Record<VolumeBand, number>,
  access: { none: 0, file_exchange: 1, api: 2, network_admin: 3 } as Record<AccessLevel, number>,
  criticality: { low: 0, moderate: 1, high: 3 } as Record<Criticality, number>,
  crossBorder: 1,
} as const;

/** Lowest total for each tier, highest first. */
export const TIER_THRESHOLDS: ReadonlyArray<{ tier: Tier; min: number }> = [
  { tier: 'critical', min: 10 },
  { tier: 'high', min: 7 },
  { tier: 'medium', min: 4 },
  { tier: 'low', min: 0 },
];

export const TIER_RANK: Record<Tier, number> = { low: 0, medium: 1, high: 2, critical: 3 };

export type TierFactor = 'personalData' | 'volume' | 'access' | 'criticality' | 'crossBorder';

export interface TierBreakdownLine {
  factor: TierFactor;
  /** The answer the points came from, e.g. `sensitive`, `100k_1m`, `api`, `true`. */
  value: string;
  points: number;
}

export interface TierResult {
  score: number;
  /** The tier after floors (payment card data makes it at least high). */
  tier: Tier;
  /** The tier the points alone give. */
  pointsTier: Tier;
  breakdown: TierBreakdownLine[];
  /** Rules that raised the tier above its points, by key. */
  floors: Array<{ rule: 'payment_card_min_high'; tier: Tier }>;
}

export function personalDataLevel(categories: readonly DataCategory[]): PersonalDataLevel {
  if (categories.some((c) => SENSITIVE_CATEGORIES.includes(c))) return 'sensitive';
  if (categories.some((c) => !BASIC_CATEGORIES.includes(c))) return 'transactional';
  if (categories.length > 0) return 'basic';
  return 'none';
}

export function tierForScore(score: number): Tier {
  return TIER_THRESHOLDS.find((t) => score >= t.min)!.tier;
}

export function maxTier(a: Tier, b: Tier): Tier {
  return TIER_RANK[a] >= TIER_RANK[b] ? a : b;
}

export function computeInherentTier(profile: DataProfile): TierResult {
  const level = personalDataLevel(profile.dataCategories);
  const breakdown: TierBreakdownLine[] = [
    { factor: 'personalData', value: level, points: TIER_POINTS.personalData[level] },
    { factor: 'volume', value: profile.volumeBand, points: TIER_POINTS.volume[profile.volumeBand] },
    { factor: 'access', value: profile.accessLevel, points: TIER_POINTS.access[profile.accessLevel] },
    { factor: 'criticality', value: profile.criticality, points: TIER_POINTS.criticality[profile.criticality] },
    { factor: 'crossBorder', value: String(profile.crossBorder), points: profile.crossBorder ? TIER_POINTS.crossBorder : 0 },
  ];
  const score = breakdown.reduce((sum, line) => sum + line.points, 0);
  const pointsTier = tierForScore(score);
  const floors: TierResult['floors'] = [];
  let tier = pointsTier;
  if (profile.dataCategories.includes('payment_card') && TIER_RANK[tier] < TIER_RANK.high) {
    floors.push({ rule: 'payment_card_min_high', tier: 'high' });
    tier = 'high';
  }
  return { score, tier, pointsTier, breakdown, floors };
}

export interface ReviewCadence {
  /** Months between re-assessments per tier. */
  months: Record<Tier, number>;
}

export const DEFAULT_REVIEW_CADENCE: ReviewCadence = {
  months: { critical: 12, high: 12, medium: 24, low: 36 },
};

/** Months until the next review; payment-card vendors at least yearly (PCI DSS 12.8.4). */
export function reviewIntervalMonths(
  tier: Tier,
  dataCategories: readonly DataCategory[],
  cadence: ReviewCadence = DEFAULT_REVIEW_CADENCE,
): number {
  const months = cadence.months[tier];
  return dataCategories.includes('payment_card') ? Math.min(months, 12) : months;
}
