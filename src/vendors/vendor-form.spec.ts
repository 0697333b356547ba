import { vendorFormToInput } from './vendor-form';

describe('vendorFormToInput', () => {
  it('maps dotted form fields to the nested DTO shape', () => {
    const input = vendorFormToInput({
      name: 'Acme',
      country: 'de',
      category: 'saas',
      ownerId: 'x',
      'contact.name': 'Jo',
      'contact.email': 'jo@acme.example',
      'contact.phone': '',
      'contact.language': 'zh-CN',
      'profile.dataCategories': ['contact', 'health'],
      'profile.volumeBand': 'under_1k',
      'profile.accessLevel': 'api',
      'profile.criticality': 'low',
      'profile.crossBorder': 'true',
      'profile.transferCountries': 'us, sg;CN',
      'profile.jurisdictions': 'EU',
    });
    expect(input).toMatchObject({
      name: 'Acme',
      legalEntity: undefined,
      contact: { name: 'Jo', phone: undefined, language: 'zh-CN' },
      profile: { dataCategories: ['contact', 'health'], crossBorder: true, transferCountries: ['us', 'sg', 'CN'], jurisdictions: ['EU'] },
    });
  });

  it('reads an unticked checkbox group as empty and no transfer as none', () => {
    const input = vendorFormToInput({ name: 'B' }) as { profile: Record<string, unknown> };
    expect(input.profile.dataCategories).toEqual([]);
    expect(input.profile.crossBorder).toBe(false);
    expect(input.profile).not.toHaveProperty('transferCountries');
  });
});
