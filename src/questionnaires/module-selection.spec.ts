import { loadModules } from './module-loader';
import { defaultModules, moduleApplies } from './module-selection';

describe('default module selection', () => {
  const modules = loadModules().map((m) => m.module);
  const pick = (tier: string, category: string, dataCategories: string[]) => defaultModules(modules, { tier, category, dataCategories } as never).sort();

  it.each([
    ['payment processor', 'critical', 'payment', ['identity', 'payment_card'], ['baseline', 'payment-processor', 'privacy-processor']],
    ['cloud host of the CRM', 'critical', 'cloud_hosting', ['identity', 'transaction'], ['baseline', 'cloud-hosting', 'privacy-processor']],
    ['email marketing service', 'high', 'marketing', ['contact'], ['baseline', 'privacy-processor']],
    ['courier', 'medium', 'logistics', ['contact'], ['baseline', 'privacy-processor']],
    ['office cleaner', 'low', 'other', [], ['baseline-lite']],
    ['low-tier shop holding card data', 'low', 'saas', ['payment_card'], ['baseline-lite', 'payment-processor']],
  ])('%s', (_name, tier, category, data, expected) => {
    expect(pick(tier, category, data)).toEqual(expected);
  });

  it('proposes nothing for a module without a rule, and follows tier and kind rules', () => {
    expect(moduleApplies({}, { tier: 'high', category: 'saas', dataCategories: [] })).toBe(false);
    const rule = { appliesTo: { tiers: ['high'], categories: ['saas'], dataCategories: ['health'] } };
    expect(moduleApplies(rule, { tier: 'high', category: 'saas', dataCategories: [] })).toBe(true);
    expect(moduleApplies(rule, { tier: 'high', category: 'other', dataCategories: ['health'] })).toBe(true);
    expect(moduleApplies(rule, { tier: 'high', category: 'other', dataCategories: ['contact'] })).toBe(false);
    expect(moduleApplies(rule, { tier: 'low', category: 'saas', dataCategories: [] })).toBe(false);
  });
});
