/**
 * Which questionnaire modules a vendor gets by default, from each module's `appliesTo`:
 * the vendor's tier must be listed (when tiers are given), and its category or one of its
 * data categories must be listed (when either list is given). Staff can change the choice.
 * Pure.
 */
import type { DataCategory, Tier, VendorCategory } from '../vendors/vendor.enums';
import type { QuestionnaireModule } from './questionnaire-module';

export interface SelectionTarget {
  tier: Tier;
  category: VendorCategory;
  dataCategories: readonly DataCategory[];
}

export function moduleApplies(module: Pick<QuestionnaireModule, 'appliesTo'>, vendor: SelectionTarget): boolean {
  const rule = module.appliesTo;
  if (!rule) return false;
  if (rule.tiers && !rule.tiers.includes(vendor.tier)) return false;
  const byCategory = rule.categories?.includes(vendor.category) ?? false;
  const byData = rule.dataCategories?.some((c) => vendor.dataCategories.includes(c as DataCategory)) ?? false;
  const hasKindRule = Boolean(rule.categories?.length || rule.dataCategories?.length);
  return !hasKindRule || byCategory || byData;
}

/** Keys of the modules proposed for a vendor, in the order the modules are given. */
export function defaultModules(modules: ReadonlyArray<Pick<QuestionnaireModule, 'key' | 'appliesTo'>>, vendor: SelectionTarget): string[] {
  return modules.filter((m) => moduleApplies(m, vendor)).map((m) => m.key);
}
