import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkClauseSetSource, ClauseLibraryError, loadClauseLibrary } from './clause-library-loader';

/** A well-formed set: line 1 is `set: bp`. */
const good = `set: bp
title: { en: Good practice, zh-CN: 良好实践 }
source: { en: Our own practice, zh-CN: 我们的做法 }
appliesWhen: { personalData: true }
clauses:
  - key: bp.breach_window
    title: { en: Breach window, zh-CN: 泄露通知时限 }
    explanation: { en: The vendor tells us of a breach within a set number of hours., zh-CN: 供应商在约定小时数内通知我们。 }
    source: Good practice
    severity: high
    params:
      - key: notify_hours
        type: integer
        unit: hours
        label: { en: Hours to notify, zh-CN: 通知小时数 }
        required: true
        min: 1
        weakAbove: 48
        gapAbove: 72
      - key: in_writing
        type: boolean
        label: { en: In writing, zh-CN: 书面形式 }
        expected: true
      - key: contact
        type: text
        label: { en: Contact point, zh-CN: 联系人 }
  - key: bp.security_annex
    title: { en: Security annex, zh-CN: 安全附件 }
    explanation: { en: The measures are listed in an annex., zh-CN: 安全措施列在附件中。 }
    source: Good practice
    severity: medium
    appliesWhen: { minTier: medium }
`;

/** Replaces exactly one occurrence, so that a broken fixture cannot pass unnoticed. */
const edit = (src: string, from: string, to: string): string => {
  const at = src.indexOf(from);
  if (at < 0 || src.indexOf(from, at + 1) >= 0) throw new Error(`fixture: '${from}' must occur exactly once`);
  return src.slice(0, at) + to + src.slice(at + from.length);
};

/** A minimal valid set with the given set key and clause keys. */
const minimal = (set: string, ...keys: string[]) =>
  [
    `set: ${set}`,
    `title: { en: ${set}, zh-CN: ${set} }`,
    `source: { en: Law ${set}, zh-CN: 法 ${set} }`,
    'appliesWhen: {}',
    'clauses:',
    ...keys.flatMap((k) => [`  - key: ${k}`, `    title: { en: ${k}, zh-CN: ${k} }`, `    explanation: { en: About ${k}, zh-CN: 关于 ${k} }`, '    source: Art. 1', '    severity: low']),
    '',
  ].join('\n');

describe('checkClauseSetSource', () => {
  it('accepts a well-formed set', () => {
    const r = checkClauseSetSource('bp.yaml', good);
    expect(r.problems).toEqual([]);
    expect(r.set!.set).toBe('bp');
    expect(r.set!.clauses.map((c) => c.key)).toEqual(['bp.breach_window', 'bp.security_annex']);
    expect(r.set!.clauses[0].params![0]).toEqual({
      key: 'notify_hours',
      type: 'integer',
      unit: 'hours',
      label: { en: 'Hours to notify', 'zh-CN': '通知小时数' },
      required: true,
      min: 1,
      weakAbove: 48,
      gapAbove: 72,
    });
  });

  it('accepts the minimal fixture', () => {
    expect(checkClauseSetSource('x.yaml', minimal('x', 'x.one', 'x.two')).problems).toEqual([]);
  });

  it.each([
    ['a repeated map key', edit(good, '    source: Good practice\n    severity: high', '    source: Good practice\n    source: Again\n    severity: high'), 10],
    ['a tab used for indentation', edit(good, '    severity: high', '\tseverity: high'), 10],
    ['a mapping inside a plain value', edit(good, 'source: Good practice\n    severity: medium', 'source: Good: practice\n    severity: medium'), 30],
  ])('reports a YAML syntax error (%s) with its line, and no set', (_name, src, line) => {
    const r = checkClauseSetSource('bp.yaml', src);
    expect(r.set).toBeUndefined();
    expect(r.problems.length).toBeGreaterThan(0);
    expect(r.problems[0]).toMatch(new RegExp(`^bp\\.yaml: line ${line}: \\S`));
  });

  it.each<[string, string, string[]]>([
    ['an unknown property on a clause', edit(good, '    severity: high', '    severity: high\n    colour: red'), ["bp.yaml: clauses[0]: unknown property 'colour'"]],
    ['an unknown property on a parameter', edit(good, '        expected: true', '        expected: true\n        default: false'), ["bp.yaml: clauses[0].params[1]: unknown property 'default'"]],
    ['an unknown property in a rule', edit(good, '{ minTier: medium }', '{ minTier: medium, region: EU }'), ["bp.yaml: clauses[1].appliesWhen: unknown property 'region'"]],
    ['a bad severity', edit(good, 'severity: high', 'severity: severe'), ['bp.yaml: clauses[0].severity: must be one of "low", "medium", "high", "critical"']],
    ['a bad parameter type', edit(good, 'type: boolean', 'type: bool'), ['bp.yaml: clauses[0].params[1].type: must be one of "integer", "number", "boolean", "text"']],
    ['a bad tier in a rule', edit(good, 'minTier: medium', 'minTier: huge'), ['bp.yaml: clauses[1].appliesWhen.minTier: must be one of "low", "medium", "high", "critical"']],
    ['a bad unit', edit(good, 'unit: hours', 'unit: weeks'), ['bp.yaml: clauses[0].params[0].unit: must be one of "hours", "days", "months", "years", "percent", "multiple", "amount"']],
    ['a missing translation', edit(good, '{ en: Good practice, zh-CN: 良好实践 }', '{ en: Good practice }'), ["bp.yaml: title: must have required property 'zh-CN'"]],
  ])('reports %s with file and path', (_name, src, expected) => {
    const r = checkClauseSetSource('bp.yaml', src);
    expect(r.set).toBeUndefined();
    expect(r.problems).toEqual(expected);
  });

  it.each<[string, string, string[]]>([
    [
      'a clause key outside its set',
      edit(good, 'key: bp.security_annex', 'key: gdpr.security_annex'),
      ["bp.yaml: clauses[1].key: 'gdpr.security_annex' must start with the set's key 'bp.'"],
    ],
    ['a clause key that only shares a prefix with the set', edit(good, 'key: bp.security_annex', 'key: bpx.security_annex'), ["bp.yaml: clauses[1].key: 'bpx.security_annex' must start with the set's key 'bp.'"]],
    ['a duplicate clause key', edit(good, 'key: bp.security_annex', 'key: bp.breach_window'), ["bp.yaml: clauses[1].key: duplicate clause key 'bp.breach_window'"]],
    ['a duplicate parameter key', edit(good, 'key: contact', 'key: in_writing'), ["bp.yaml: clauses[0].params[2].key: duplicate parameter key 'in_writing'"]],
    [
      'a threshold on a text parameter',
      edit(good, '        label: { en: Contact point, zh-CN: 联系人 }', '        label: { en: Contact point, zh-CN: 联系人 }\n        gapAbove: 3'),
      ['bp.yaml: clauses[0].params[2]: gapAbove: only numeric parameters have limits and thresholds'],
    ],
    [
      'limits and a unit on a boolean parameter',
      edit(good, '        expected: true', '        expected: true\n        min: 0\n        weakBelow: 1\n        unit: days'),
      ['bp.yaml: clauses[0].params[1]: min, weakBelow: only numeric parameters have limits and thresholds', 'bp.yaml: clauses[0].params[1]: unit: only numeric parameters have a unit'],
    ],
    ['weakAbove above gapAbove', edit(good, 'weakAbove: 48', 'weakAbove: 80'), ['bp.yaml: clauses[0].params[0]: weakAbove: must not exceed gapAbove']],
    [
      'weakBelow under gapBelow',
      edit(good, '        weakAbove: 48\n        gapAbove: 72', '        weakBelow: 5\n        gapBelow: 10'),
      ['bp.yaml: clauses[0].params[0]: weakBelow: must not be under gapBelow'],
    ],
    ['min above max', edit(good, 'min: 1', 'min: 10\n        max: 5'), ['bp.yaml: clauses[0].params[0]: min: is above max']],
    [
      'both above and below thresholds',
      edit(good, 'gapAbove: 72', 'gapAbove: 72\n        weakBelow: 2'),
      ['bp.yaml: clauses[0].params[0]: thresholds: a parameter is either better low (…Above) or better high (…Below), not both'],
    ],
    ['an expected value on a non-boolean parameter', edit(good, 'min: 1', 'min: 1\n        expected: true'), ['bp.yaml: clauses[0].params[0]: expected: only boolean parameters have an expected value']],
    [
      'several problems at once, each listed',
      edit(edit(good, 'key: bp.security_annex', 'key: gdpr.security_annex'), 'weakAbove: 48', 'weakAbove: 80'),
      ['bp.yaml: clauses[0].params[0]: weakAbove: must not exceed gapAbove', "bp.yaml: clauses[1].key: 'gdpr.security_annex' must start with the set's key 'bp.'"],
    ],
  ])('reports %s', (_name, src, expected) => {
    const r = checkClauseSetSource('bp.yaml', src);
    expect(r.set).toBeUndefined();
    expect(r.problems).toEqual(expected);
  });

  it('accepts thresholds where equal weak and gap values meet', () => {
    expect(checkClauseSetSource('bp.yaml', edit(good, 'weakAbove: 48', 'weakAbove: 72')).problems).toEqual([]);
  });
});

describe('loadClauseLibrary', () => {
  const dirs: string[] = [];
  const dirWith = (files: Record<string, string>): string => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clause-library-'));
    dirs.push(dir);
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text, 'utf8');
    return dir;
  };
  afterAll(() => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** The problems of a library that must not load. */
  const problemsOf = (dir: string): string[] => {
    let thrown: unknown;
    let loaded: unknown;
    try {
      loaded = loadClauseLibrary(dir);
    } catch (e) {
      thrown = e;
    }
    expect(loaded).toBeUndefined();
    expect(thrown).toBeInstanceOf(ClauseLibraryError);
    const err = thrown as ClauseLibraryError;
    expect(err.name).toBe('ClauseLibraryError');
    for (const p of err.problems) expect(err.message).toContain(`  - ${p}`);
    return err.problems;
  };

  it('loads every *.yaml and *.yml file, sets in file-name order, and ignores other files', () => {
    const dir = dirWith({ 'b.yaml': minimal('b', 'b.one'), 'a.yml': minimal('a', 'a.one', 'a.two'), 'README.md': 'not a clause set: [' });
    const lib = loadClauseLibrary(dir);
    expect(lib.sets.map((s) => s.set)).toEqual(['a', 'b']);
    expect(lib.clauses.map((c) => [c.key, c.set])).toEqual([
      ['a.one', 'a'],
      ['a.two', 'a'],
      ['b.one', 'b'],
    ]);
    expect([...lib.byKey.keys()]).toEqual(['a.one', 'a.two', 'b.one']);
  });

  it('refuses an empty folder', () => {
    const dir = dirWith({});
    expect(problemsOf(dir)).toEqual([`${dir}: no clause files (*.yaml)`]);
  });

  it('refuses a folder without YAML files', () => {
    const dir = dirWith({ 'notes.txt': 'hello', 'gdpr.json': '{}' });
    expect(problemsOf(dir)).toEqual([`${dir}: no clause files (*.yaml)`]);
  });

  it('refuses two files with the same set key', () => {
    const dir = dirWith({ 'a.yaml': minimal('bp', 'bp.one'), 'b.yaml': minimal('bp', 'bp.two') });
    expect(problemsOf(dir)).toEqual(["b.yaml: set: set key 'bp' is also used by a.yaml"]);
  });

  it('refuses a clause key defined in two files', () => {
    // A clause key starts with its set's key, so two files can only share one by sharing the set.
    const dir = dirWith({ 'a.yaml': minimal('bp', 'bp.one', 'bp.two'), 'b.yaml': minimal('bp', 'bp.three', 'bp.two') });
    expect(problemsOf(dir)).toEqual(["b.yaml: set: set key 'bp' is also used by a.yaml", "b.yaml: clause 'bp.two' is also defined in a.yaml"]);
  });

  it('lists every problem of every file, and loads nothing when one file is bad', () => {
    const dir = dirWith({
      'a.yaml': minimal('a', 'a.one'),
      'b.yaml': edit(good, 'severity: high', 'severity: severe'),
      'c.yaml': minimal('c', 'c.one', 'd.two'),
      'd.yaml': 'set: d\nset: e\n',
      'e.yaml': minimal('a', 'a.one'),
    });
    const problems = problemsOf(dir);
    expect(problems).toEqual([
      'b.yaml: clauses[0].severity: must be one of "low", "medium", "high", "critical"',
      "c.yaml: clauses[1].key: 'd.two' must start with the set's key 'c.'",
      expect.stringMatching(/^d\.yaml: line 2: \S/),
      "e.yaml: set: set key 'a' is also used by a.yaml",
      "e.yaml: clause 'a.one' is also defined in a.yaml",
    ]);
  });
});
