/**
 * How the pages say a clause's facts in words, in the page language: why it applies (its
 * reasons), its parameter values, and its gaps. Shared by the contract pages and the vendor
 * page's contracts block.
 */
import { Locale, LOCALES, translate } from '../i18n/i18n';
import { TIERS } from '../vendors/vendor.enums';
import type { Reason } from './clause-applicability';
import type { ApplicabilityRule, ClauseParam, LibraryClause } from './clause-library';
import type { Gap, ParamValue } from './contract-gaps';

export type Translate = (key: string, params?: Record<string, string | number>) => string;

export const tr =
  (locale: Locale): Translate =>
  (key, params) =>
    translate(locale, key, params);

/** The first list a rule (or a rule nested in it) gives for a factor, e.g. the jurisdictions a clause needs. */
function ruleList<K extends 'jurisdictions' | 'dataCategories' | 'volumeBands' | 'categories'>(rules: readonly ApplicabilityRule[], factor: K): ApplicabilityRule[K] | undefined {
  for (const r of rules) {
    if (r[factor]) return r[factor];
    const nested = ruleList([...(r.any ?? []), ...(r.not ? [r.not] : [])], factor);
    if (nested) return nested;
  }
  return undefined;
}

/**
 * One fact of the vendor's profile that made a clause apply or ruled it out, in words:
 * "personal data of people in: EU (GDPR)", "payment card data", "data leaves the country".
 */
export function reasonText(t: Translate, r: Reason, clause: LibraryClause): string {
  const list = (values: readonly string[], prefix: string) => values.map((v) => t(prefix + v)).join(t('contracts.list_separator'));
  switch (r.factor) {
    case 'personalData':
      return t(r.holds ? 'contracts.reason.personal_data' : 'contracts.reason.no_personal_data');
    case 'paymentCard':
      return t(r.holds ? 'contracts.reason.payment_card' : 'contracts.reason.no_payment_card');
    case 'crossBorder':
      return t(r.holds ? 'contracts.reason.cross_border' : 'contracts.reason.no_cross_border');
    case 'jurisdictions':
      return r.values.length
        ? t('contracts.reason.jurisdictions', { list: list(r.values, 'jurisdiction.') })
        : t('contracts.reason.no_jurisdictions', { list: list(ruleList(clause.rules, 'jurisdictions') ?? [], 'jurisdiction.') });
    case 'dataCategories':
      return r.values.length
        ? t('contracts.reason.data_categories', { list: list(r.values, 'dataCategory.') })
        : t('contracts.reason.no_data_categories', { list: list(ruleList(clause.rules, 'dataCategories') ?? [], 'dataCategory.') });
    case 'minTier':
      return t(TIERS.indexOf(r.tier) >= TIERS.indexOf(r.minimum) ? 'contracts.reason.min_tier' : 'contracts.reason.below_tier', { tier: t('tier.' + r.tier), minimum: t('tier.' + r.minimum) });
    case 'volumeBands': {
      const allowed = ruleList(clause.rules, 'volumeBands') ?? [];
      const band = list(r.values, 'volume.');
      return r.values.every((v) => allowed.includes(v)) ? t('contracts.reason.volume', { band }) : t('contracts.reason.volume_other', { band, list: list(allowed, 'volume.') });
    }
    case 'categories': {
      const allowed = ruleList(clause.rules, 'categories') ?? [];
      const category = list(r.values, 'category.');
      return r.values.every((v) => allowed.includes(v)) ? t('contracts.reason.category', { category }) : t('contracts.reason.category_other', { category, list: list(allowed, 'category.') });
    }
    case 'not':
      return r.reasons.map((x) => reasonText(t, x, clause)).join(t('contracts.list_separator'));
  }
}

/** The reasons worth showing for a clause that applies: "personal data" goes without saying beside a fact that implies it. */
export function shownReasons(reasons: readonly Reason[]): Reason[] {
  const implied = reasons.some((r) => ((r.factor === 'jurisdictions' || r.factor === 'dataCategories') && r.values.length > 0) || (r.factor === 'paymentCard' && r.holds));
  return implied ? reasons.filter((r) => !(r.factor === 'personalData' && r.holds)) : [...reasons];
}

/** A parameter's value as read: "96 h", "30 days", "yes". */
export function paramValueText(t: Translate, p: ClauseParam | undefined, value: ParamValue | number | boolean): string {
  if (typeof value === 'boolean') return t(value ? 'contracts.yes' : 'contracts.no');
  if (typeof value === 'number') return p?.unit ? t('contracts.unit.' + p.unit, { n: value }) : String(value);
  return value;
}

/** One gap in words: "Hours to notify us of a breach: 96 h; over 72 h is a gap". */
export function gapText(t: Translate, g: Gap, clause: LibraryClause | undefined, locale: Locale): string {
  if (g.kind === 'missing') return t('contracts.gap.missing');
  if (g.kind === 'partial') return t('contracts.gap.partial');
  const p = clause?.params?.find((x) => x.key === g.param);
  const param = p ? p.label[locale] : (g.param ?? '');
  if (g.kind === 'param_missing') return t('contracts.gap.param_missing', { param });
  const value = g.value === undefined ? '' : paramValueText(t, p, g.value);
  if (typeof g.threshold === 'boolean') return t('contracts.gap.param_expected', { param, value, expected: paramValueText(t, p, g.threshold) });
  const threshold = g.threshold === undefined ? '' : paramValueText(t, p, g.threshold);
  const below = p !== undefined && (g.kind === 'param_gap' ? p.gapBelow === g.threshold : p.weakBelow === g.threshold);
  return t(`contracts.gap.${g.kind === 'param_gap' ? 'gap' : 'weak'}_${below ? 'below' : 'above'}`, { param, value, threshold });
}

/** The same text in every page language, for data collected without a request (the vendor page's section). */
export function inEveryLocale(fn: (t: Translate, locale: Locale) => string): Record<Locale, string> {
  return Object.fromEntries(LOCALES.map((l) => [l, fn(tr(l), l)])) as Record<Locale, string>;
}
