import { applicableClauses, DataProfile } from './clause-applicability';
import { loadClauseLibrary } from './clause-library-loader';

/** Every clause key of domain.md §4, written out: the library must hold each, and nothing else. */
const DOMAIN_KEYS = [
  'gdpr.dpa.written',
  'gdpr.dpa.scope',
  'gdpr.dpa.instructions',
  'gdpr.dpa.confidentiality',
  'gdpr.dpa.security',
  'gdpr.dpa.subprocessors',
  'gdpr.dpa.dsr_assist',
  'gdpr.dpa.assist_32_36',
  'gdpr.dpa.return_delete',
  'gdpr.dpa.audit',
  'gdpr.breach.processor',
  'gdpr.transfer.mechanism',
  'pipl.entrust.agreement',
  'pipl.entrust.scope_limit',
  'pipl.entrust.return_delete',
  'pipl.entrust.no_subentrust',
  'pipl.entrust.security_assist',
  'pipl.pia',
  'pipl.xborder.mechanism',
  'pipl.xborder.consent',
  'pipl.localization',
  'pipl.breach',
  'ccpa.k.limited_purposes',
  'ccpa.k.same_protection',
  'ccpa.k.oversight',
  'ccpa.k.notify_cannot_comply',
  'ccpa.k.stop_remediate',
  'ccpa.sp.no_sell_share',
  'ccpa.sp.purpose_only',
  'ccpa.sp.no_outside_relationship',
  'ccpa.sp.no_combining',
  'ccpa.sp.subcontract_flowdown',
  'pci.12.8.2',
  'pci.12.8.5',
  'bp.breach_window',
  'bp.security_annex',
  'bp.subprocessor_list',
  'bp.data_location',
  'bp.exit_assistance',
  'bp.liability_cap',
  'bp.cyber_insurance',
  'bp.audit_reports',
];

const library = loadClauseLibrary();
const profile = (p: Partial<DataProfile>): DataProfile => ({
  dataCategories: ['contact'],
  jurisdictions: [],
  crossBorder: false,
  tier: 'medium',
  volumeBand: '1k_100k',
  category: 'other',
  ...p,
});
const applying = (p: DataProfile) =>
  applicableClauses(library, p)
    .filter((a) => a.applies)
    .map((a) => a.clause.key);
const setsOf = (keys: string[]) => [...new Set(keys.map((k) => k.split('.')[0]))].sort();

describe('the shipped clause library', () => {
  it('holds every clause of domain.md §4, once, and no other', () => {
    expect(library.clauses.map((c) => c.key).sort()).toEqual([...DOMAIN_KEYS].sort());
  });

  it('gives every clause a legal source and both languages', () => {
    for (const c of library.clauses) {
      expect(c.source.trim()).not.toBe('');
      expect(c.title.en && c.title['zh-CN'] && c.explanation.en && c.explanation['zh-CN']).toBeTruthy();
      expect(c.explanation['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('asks a breach notice within 72 hours of a GDPR processor: over 48 is weak, over 72 a gap', () => {
    const p = library.byKey.get('bp.breach_window')!.params!.find((x) => x.key === 'notify_hours')!;
    expect([p.weakAbove, p.gapAbove]).toEqual([48, 72]);
    const g = library.byKey.get('gdpr.breach.processor')!.params!.find((x) => x.key === 'notify_hours')!;
    expect([g.weakAbove, g.gapAbove, g.required]).toEqual([48, 72, true]);
  });

  it.each([
    ['an EU and CN payment processor sending data abroad', profile({ dataCategories: ['identity', 'payment_card'], jurisdictions: ['EU', 'CN'], crossBorder: true, tier: 'critical', volumeBand: '100k_1m', category: 'payment' }), ['bp', 'gdpr', 'pci', 'pipl']],
    ['a domestic courier holding contact data', profile({ jurisdictions: ['other'], tier: 'medium', category: 'logistics' }), ['bp']],
    ['a Californian marketing service', profile({ dataCategories: ['contact', 'behavioural'], jurisdictions: ['US-CA'], tier: 'high', category: 'marketing' }), ['bp', 'ccpa']],
    ['a vendor holding no personal data', profile({ dataCategories: [], jurisdictions: ['EU'], tier: 'low' }), []],
  ])('applies the right sets to %s', (_label, p, sets) => {
    expect(setsOf(applying(p))).toEqual(sets);
  });

  it('asks transfer clauses only when data leaves the country', () => {
    const home = applying(profile({ jurisdictions: ['EU', 'CN'] }));
    const abroad = applying(profile({ jurisdictions: ['EU', 'CN'], crossBorder: true }));
    expect(home).not.toEqual(expect.arrayContaining(['gdpr.transfer.mechanism']));
    expect(home).not.toContain('pipl.xborder.mechanism');
    expect(abroad).toEqual(expect.arrayContaining(['gdpr.transfer.mechanism', 'pipl.xborder.mechanism', 'pipl.xborder.consent']));
  });

  it('leaves PCI out for a domestic courier and in for anyone holding card data', () => {
    expect(applying(profile({ category: 'logistics' })).filter((k) => k.startsWith('pci.'))).toEqual([]);
    expect(applying(profile({ dataCategories: ['payment_card'] })).filter((k) => k.startsWith('pci.'))).toEqual(['pci.12.8.2', 'pci.12.8.5']);
  });
});
