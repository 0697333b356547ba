import { catalogueKeys, localeFromAcceptLanguage, translate } from './i18n';

describe('i18n catalogue', () => {
  it('has the same keys in English and Simplified Chinese', () => {
    expect(catalogueKeys('zh-CN').sort()).toEqual(catalogueKeys('en').sort());
  });

  it('has no empty text', () => {
    for (const locale of ['en', 'zh-CN'] as const) {
      const empty = catalogueKeys(locale).filter((k) => translate(locale, k).trim() === '');
      expect(empty).toEqual([]);
    }
  });

  it('fills placeholders and falls back to the key', () => {
    expect(translate('en', 'vendors.count', { count: 3 })).toContain('3');
    expect(translate('zh-CN', 'no.such.key')).toBe('no.such.key');
  });

  it('reads Accept-Language', () => {
    expect(localeFromAcceptLanguage('zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh-CN');
    expect(localeFromAcceptLanguage('en-GB,en;q=0.9')).toBe('en');
    expect(localeFromAcceptLanguage('fr-FR;q=0.9, zh-TW;q=0.5')).toBe('zh-CN');
    expect(localeFromAcceptLanguage('fr')).toBeUndefined();
    expect(localeFromAcceptLanguage(undefined)).toBeUndefined();
  });
});
