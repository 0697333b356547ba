import { checkModuleSource } from './module-loader';

const good = `
key: sample
version: 1.0.0
title: { en: Sample, zh-CN: 示例 }
description: { en: A sample module, zh-CN: 示例模块 }
sections:
  - key: access
    title: { en: Access, zh-CN: 访问 }
    weight: 2
    questions:
      - key: remote
        type: yes_no
        text: { en: Remote access?, zh-CN: 远程访问？ }
        refs: { area: 4 }
        finding: { severity: low, recommendation: { en: Fine, zh-CN: 好 } }
      - key: vpn
        type: single_choice
        text: { en: How?, zh-CN: 如何？ }
        condition: "remote == 'yes'"
        options:
          - { key: vpn, label: { en: VPN, zh-CN: VPN }, score: 1 }
          - { key: none, label: { en: Open, zh-CN: 开放 }, score: 0 }
        refs: { area: 4, iso27001: [A.8.5], gdpr: [Art. 32], pipl: [Art. 51], pci: [8.4.2] }
        finding: { severity: high, recommendation: { en: Use a VPN, zh-CN: 使用 VPN } }
`;

const problemsOf = (src: string) => checkModuleSource('sample.yaml', src).problems;

describe('questionnaire module checks', () => {
  it('accepts a well-formed module and parses its conditions', () => {
    const r = checkModuleSource('sample.yaml', good);
    expect(r.problems).toEqual([]);
    expect(r.loaded!.conditions.get('vpn')).toEqual({ kind: 'compare', key: 'remote', op: '==', value: 'yes' });
  });

  it('accepts a weight-0 steering question without a finding, but not as critical', () => {
    const steering = good.replace(/\s+finding: \{ severity: low.*\n/, '\n        weight: 0\n');
    expect(problemsOf(steering)).toEqual([]);
    expect(problemsOf(steering.replace('weight: 0', 'weight: 0\n        critical: true')).join('\n')).toMatch(/critical: only scored/);
  });

  it.each([
    ['a YAML syntax error', good.replace('key: sample', 'key: [sample'), /sample\.yaml: line \d+:/],
    ['a missing translation', good.replace('{ en: Sample, zh-CN: 示例 }', '{ en: Sample }'), /sample\.yaml: title: must have required property 'zh-CN'/],
    ['an unknown property', good.replace('weight: 2', 'weight: 2\n    colour: red'), /sections\[0\]: unknown property 'colour'/],
    ['a bad type', good.replace('type: yes_no', 'type: yesno'), /sections\[0\]\.questions\[0\]\.type: must be one of/],
    ['a bad version', good.replace('version: 1.0.0', 'version: v1'), /version: must match pattern/],
    ['an area outside §1', good.replace('refs: { area: 4 }', 'refs: { area: 15 }'), /questions\[0\]\.refs\.area: must be <= 14/],
    ['a malformed ISO reference', good.replace('A.8.5', 'A8.5'), /refs\.iso27001\[0\]: must match pattern/],
    ['a duplicate question key', good.replace('- key: vpn\n', '- key: remote\n'), /duplicate question key 'remote'/],
    ['a condition on an unknown question', good.replace("remote == 'yes'", "remot == 'yes'"), /refers to unknown question 'remot'/],
    ['a condition that does not parse', good.replace("remote == 'yes'", 'remote &&'), /condition: expression expected/],
    ['a yes/no compared to a non-answer', good.replace("remote == 'yes'", "remote == 'maybe'"), /'remote' is answered yes, no, not 'maybe'/],
    [
      'a choice without options',
      good.replace("        options:\n          - { key: vpn, label: { en: VPN, zh-CN: VPN }, score: 1 }\n          - { key: none, label: { en: Open, zh-CN: 开放 }, score: 0 }\n", ''),
      /a single_choice question needs options/,
    ],
    ['a scored question without a finding', good.replace(/\s+finding: \{ severity: low.*\n/, '\n'), /questions\[0\]\.finding: a scored question needs/],
    ['a score above 1', good.replace('score: 1 }', 'score: 2 }'), /options\[0\]\.score: must be <= 1/],
  ])('reports %s with file and path', (_name, src, pattern) => {
    const problems = problemsOf(src);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join('\n')).toMatch(pattern);
  });
});
