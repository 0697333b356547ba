import { CONTROL_AREAS } from './control-areas';
import { loadModules } from './module-loader';

/** The modules we ship: every one passes the schema and the checks, and covers what it promises. */
describe('shipped questionnaire modules', () => {
  const modules = loadModules();
  const byKey = new Map(modules.map((m) => [m.module.key, m.module]));
  const questionsOf = (key: string) => byKey.get(key)!.sections.flatMap((s) => s.questions);

  it('ships the five modules', () => {
    expect([...byKey.keys()].sort()).toEqual(['baseline', 'baseline-lite', 'cloud-hosting', 'payment-processor', 'privacy-processor']);
  });

  it('covers every control area of domain.md §1 in baseline, with about 60 questions', () => {
    const areas = new Set(questionsOf('baseline').map((q) => q.refs!.area));
    expect([...areas].sort((a, b) => a - b)).toEqual(CONTROL_AREAS.map((a) => a.id));
    expect(questionsOf('baseline').length).toBeGreaterThanOrEqual(55);
    expect(questionsOf('baseline').length).toBeLessThanOrEqual(70);
  });

  it('covers the starred areas in baseline-lite, with about 20 questions', () => {
    const areas = new Set(questionsOf('baseline-lite').map((q) => q.refs!.area));
    for (const area of CONTROL_AREAS.filter((a) => a.lite)) expect(areas).toContain(area.id);
    expect(questionsOf('baseline-lite').length).toBeGreaterThanOrEqual(16);
    expect(questionsOf('baseline-lite').length).toBeLessThanOrEqual(25);
  });

  it('gives every shipped question a control area of domain.md §1 (imported modules may leave refs out)', () => {
    const areaIds = CONTROL_AREAS.map((a) => a.id);
    for (const { module } of modules) {
      for (const q of module.sections.flatMap((s) => s.questions)) {
        expect([`${module.key}:${q.key}`, q.refs?.area]).toEqual([`${module.key}:${q.key}`, expect.any(Number)]);
        expect(areaIds).toContain(q.refs!.area);
      }
    }
  });

  it('gives every critical question a high or critical finding', () => {
    for (const { module } of modules) {
      for (const q of module.sections.flatMap((s) => s.questions).filter((x) => x.critical)) {
        expect([`${module.key}:${q.key}`, q.finding?.severity]).toEqual([`${module.key}:${q.key}`, expect.stringMatching(/^(high|critical)$/)]);
      }
    }
  });

  it('references PCI DSS in payment-processor, GDPR and PIPL in privacy-processor', () => {
    expect(questionsOf('payment-processor').filter((q) => q.refs?.pci?.length).length).toBeGreaterThanOrEqual(10);
    const privacy = questionsOf('privacy-processor');
    expect(privacy.some((q) => q.refs?.gdpr?.some((r) => r.startsWith('Art. 28')))).toBe(true);
    expect(privacy.some((q) => q.refs?.pipl?.includes('Art. 21'))).toBe(true);
  });
});
