import { checkModuleObject, checkModuleSource, loadModules } from '../module-loader';
import type { QuestionnaireModule } from '../questionnaire-module';
import {
  AnswerExportInput,
  answersToTable,
  defaultFinding,
  MODULE_COLUMNS,
  moduleToTable,
  readTable,
  slugify,
  Table,
  TableRow,
  tableToModule,
  writeCsv,
  writeXlsx,
} from './module-table';

const shipped = loadModules().map((l) => l.module);
const byKey = (key: string) => shipped.find((m) => m.key === key)!;
const metaOf = (m: QuestionnaireModule) => ({ key: m.key, version: m.version, title: m.title, description: m.description, appliesTo: m.appliesTo });
const META = { key: 'imported', version: '1.0.0', title: { en: 'Imported' } };

/** Rows as `readTable` gives them, from CSV text (header on line 1). */
async function rowsOf(csv: string): Promise<TableRow[]> {
  const { rows, problems } = await readTable(Buffer.from(csv, 'utf8'), 'csv');
  expect(problems).toEqual([]);
  return rows;
}

const HEADER = 'key,section,text,type,options,weight,critical';

describe('module → table → module', () => {
  it.each(shipped.map((m) => [m.key, m] as const))('gives back %s unchanged through CSV', async (_key, original) => {
    const { rows, problems } = await readTable(writeCsv(moduleToTable(original)), 'csv');
    expect(problems).toEqual([]);
    const imported = tableToModule(rows, metaOf(original));
    expect(imported.problems).toEqual([]);
    expect(imported.module).toStrictEqual(original);
  });

  it.each(shipped.map((m) => [m.key, m] as const))('gives back %s unchanged through XLSX', async (_key, original) => {
    const { rows, problems } = await readTable(await writeXlsx(moduleToTable(original), original.key), 'xlsx');
    expect(problems).toEqual([]);
    expect(tableToModule(rows, metaOf(original))).toStrictEqual({ module: original, problems: [] });
  });

  it('loses only the description and appliesTo, which come from meta (the description defaults to the title)', async () => {
    const original = byKey('baseline-lite');
    const rows = await rowsOf(writeCsv(moduleToTable(original)).toString('utf8'));
    const { module } = tableToModule(rows, { key: original.key, version: original.version, title: original.title });
    const { description: _d, appliesTo: _a, ...rest } = original;
    expect(module).toStrictEqual({ ...rest, description: original.title });
  });

  it('writes one row per question with every column', () => {
    const table = moduleToTable(byKey('baseline-lite'));
    expect(table.header).toEqual([...MODULE_COLUMNS]);
    const row = (key: string) => Object.fromEntries(table.header.map((h, i) => [h, table.rows.find((r) => r[0] === key)![i]]));
    expect(table.rows).toHaveLength(byKey('baseline-lite').sections.flatMap((s) => s.questions).length);
    expect(row('access.leavers')).toMatchObject({
      section: 'Who can log in',
      section_key: 'access',
      section_zh: '登录与访问',
      type: 'single_choice',
      options: 'same_day=1:On their last day or earlier|within_week=0.5:Within a week|no_rule=0:No fixed rule',
      options_zh: 'same_day=最后工作日当天或更早|within_week=一周内|no_rule=没有固定做法',
      weight: '',
      critical: '',
      area: '4',
      iso27001: 'A.5.18, A.6.5',
      severity: 'medium',
    });
    expect(row('access.mfa')).toMatchObject({ weight: '2', critical: 'true', evidence: 'optional', type: 'yes_no', options: '' });
    expect(row('incident.notify_us')).toMatchObject({ gdpr: 'Art. 33(2)', pipl: 'Art. 57' });
  });

  it('neutralises formulas in exported module text and restores them on import', async () => {
    const original = structuredClone(byKey('baseline-lite'));
    original.sections[0].questions[0].text.en = '=HYPERLINK("http://evil.example","click")';
    original.sections[0].questions[0].help!.en = '+1 call us';
    const csv = writeCsv(moduleToTable(original));
    expect(csv.toString('utf8')).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
    expect(csv.toString('utf8')).toContain(`'+1 call us`);
    const xlsxRows = (await readTable(await writeXlsx(moduleToTable(original), 'm'), 'xlsx')).rows;
    for (const rows of [await rowsOf(csv.toString('utf8')), xlsxRows]) {
      expect(tableToModule(rows, metaOf(original)).module).toStrictEqual(original);
    }
  });
});

describe('table → module', () => {
  it('builds sections in first-appearance order, with slugged keys, defaults and fallbacks', async () => {
    const rows = await rowsOf(
      [
        `${HEADER},text_zh,required,expected,evidence,condition,area,section_weight,section_zh`,
        'uses_vpn,Remote Access & VPN,Do you use a VPN?,yes_no,,,Y,,,no,required,,4,2,远程访问',
        'notes,Général,Anything else?,text,,,,,n,,,,,,',
        'vpn_kind,Remote Access & VPN,Which VPN?,single_choice,"wireguard=1:WireGuard; modern|ipsec=0,5:IPsec: older|other=0",3,no,哪种？,,,optional,uses_vpn,,,',
        'sleepy,Général,Only steers,yes_no,,0,,,,,,,,,',
      ].join('\n'),
    );
    const { module, problems } = tableToModule(rows, META);
    expect(problems).toEqual([]);
    expect(module).toStrictEqual({
      key: 'imported',
      version: '1.0.0',
      title: { en: 'Imported', 'zh-CN': 'Imported' },
      description: { en: 'Imported', 'zh-CN': 'Imported' },
      sections: [
        {
          key: 'remote_access_vpn',
          title: { en: 'Remote Access & VPN', 'zh-CN': '远程访问' },
          weight: 2,
          questions: [
            {
              key: 'uses_vpn',
              type: 'yes_no',
              text: { en: 'Do you use a VPN?', 'zh-CN': 'Do you use a VPN?' },
              critical: true,
              expected: 'no',
              evidence: 'required',
              refs: { area: 4 },
              finding: defaultFinding('uses_vpn', true),
            },
            {
              key: 'vpn_kind',
              type: 'single_choice',
              text: { en: 'Which VPN?', 'zh-CN': '哪种？' },
              options: [
                { key: 'wireguard', label: { en: 'WireGuard; modern', 'zh-CN': 'WireGuard; modern' }, score: 1 },
                { key: 'ipsec', label: { en: 'IPsec: older', 'zh-CN': 'IPsec: older' }, score: 0.5 },
                { key: 'other', label: { en: 'other', 'zh-CN': 'other' }, score: 0 },
              ],
              weight: 3,
              critical: false,
              evidence: 'optional',
              condition: 'uses_vpn',
              finding: { severity: 'medium', recommendation: defaultFinding('vpn_kind', false).recommendation },
            },
          ],
        },
        {
          key: 'general',
          title: { en: 'Général', 'zh-CN': 'Général' },
          questions: [
            { key: 'notes', type: 'text', text: { en: 'Anything else?', 'zh-CN': 'Anything else?' }, required: false },
            { key: 'sleepy', type: 'yes_no', text: { en: 'Only steers', 'zh-CN': 'Only steers' }, weight: 0 },
          ],
        },
      ],
    });
    // The loader's own checks accept it, refs-less questions included.
    expect(checkModuleObject(module).problems).toEqual([]);
  });

  it('writes a default finding that names the question, in both languages', () => {
    expect(defaultFinding('access.mfa', true)).toEqual({
      severity: 'high',
      recommendation: {
        en: 'Review the answer to question "access.mfa" with the vendor and agree on corrective actions, with an owner and a deadline, until the control it asks about is in place.',
        'zh-CN': '请与供应商复核问题“access.mfa”的回答，商定整改措施并明确责任人和完成期限，直至该问题所涉及的控制措施落实到位。',
      },
    });
    expect(defaultFinding('x', false).severity).toBe('medium');
  });

  it('keeps a given severity or recommendation and fills in the other one', async () => {
    const rows = await rowsOf(
      [`${HEADER},severity,recommendation,recommendation_zh`, 'a,S,A?,yes_no,,,,LOW,Fix it,修复', 'b,S,B?,yes_no,,,true,,Do it,', 'c,S,C?,text,,,,critical,,'].join('\n'),
    );
    const questions = tableToModule(rows, META).module!.sections[0].questions;
    expect(questions.map((q) => q.finding)).toEqual([
      { severity: 'low', recommendation: { en: 'Fix it', 'zh-CN': '修复' } },
      { severity: 'high', recommendation: { en: 'Do it', 'zh-CN': 'Do it' } },
      { severity: 'critical', recommendation: defaultFinding('c', false).recommendation },
    ]);
  });

  it('reads escaped | and \\ in option labels, and zh-CN labels by option key', async () => {
    const rows = await rowsOf([`${HEADER},options_zh`, 'q,S,Q?,multi_choice,"a=0.5:A \\| B|b=0.5:C:\\\\D= E|c=0",,,"b=乙|a=甲"'].join('\n'));
    const { module, problems } = tableToModule(rows, META);
    expect(problems).toEqual([]);
    expect(module!.sections[0].questions[0].options).toEqual([
      { key: 'a', label: { en: 'A | B', 'zh-CN': '甲' }, score: 0.5 },
      { key: 'b', label: { en: 'C:\\D= E', 'zh-CN': '乙' }, score: 0.5 },
      { key: 'c', label: { en: 'c', 'zh-CN': 'c' }, score: 0 },
    ]);
    const table = moduleToTable(module!);
    expect(table.rows[0][table.header.indexOf('options')]).toBe('a=0.5:A \\| B|b=0.5:C:\\\\D= E|c=0:c');
  });

  it('accepts every spelling of a boolean', async () => {
    const values = ['true', 'FALSE', 'Yes', 'no', 'Y', 'n', '1', '0', ''];
    const rows = await rowsOf([`${HEADER},required`, ...values.map((v, i) => `q${i},S,Q?,text,,,,${v}`)].join('\n'));
    const questions = tableToModule(rows, META).module!.sections[0].questions;
    expect(questions.map((q) => q.required)).toEqual([true, false, true, false, true, false, true, false, undefined]);
  });

  it('uses section_key when given and reports a duplicate slug at the section', async () => {
    const rows = await rowsOf([HEADER, 'a,Access!,A?,text,,,', 'b,access,B?,text,,,'].join('\n'));
    expect(tableToModule(rows, META).problems).toEqual([
      { line: 3, column: 'section', message: "duplicate section key 'access', made from the title 'access'; set section_key to choose another" },
    ]);
    expect(slugify('  Über  Zugriff (2FA) ', 'x')).toBe('uber_zugriff_2fa');
    expect(slugify('2FA', 'x')).toBe('s_2fa');
    expect(slugify('访问控制', 'section_3')).toBe('section_3');
  });

  it('reports every bad row with its line and column, lines counted after a multi-line cell', async () => {
    const csv = [
      `${HEADER},condition,area,severity,iso27001,section_weight,required`,
      /* 2-3 */ 'ok,Access,"Two\nlines",yes_no,,,,,4,,,,',
      /* 4 */ 'bad_type,Access,T?,yesno,,,,,,,,,',
      /* 5 */ 'bad_weight,Access,W?,yes_no,,heavy,,,,,,,',
      /* 6 */ 'ok,Access,Dup?,yes_no,,,,,,,,,',
      /* 7 */ 'no_score,Access,O?,single_choice,a|b=1,,,,,,,,',
      /* 8 */ 'big_score,Access,O?,single_choice,a=2|b=1,,,,,,,,',
      /* 9 */ 'bad_bool,Access,B?,yes_no,,,sometimes,,,,,,',
      /* 10 */ 'bad_cond,Access,C?,yes_no,,,,ok ==,,,,,',
      /* 11 */ 'unknown_ref,Access,R?,yes_no,,,,nope == \'yes\',,,,,',
      /* 12 */ 'bad_value,Access,V?,yes_no,,,,ok == \'maybe\',,,,,',
      /* 13 */ 'bad_area,Access,A?,yes_no,,,,,15,,,,',
      /* 14 */ 'bad_sev,Access,S?,yes_no,,,,,,urgent,,,',
      /* 15 */ 'refs_no_area,Access,R?,yes_no,,,,,,,A.5.1,,',
      /* 16 */ 'bad_iso,Access,I?,yes_no,,,,,3,,A5.1,,',
      /* 17 */ 'Bad Key,Access,K?,text,,,,,,,,,',
      /* 18 */ 'opts_on_yes_no,Access,Y?,yes_no,a=1|b=0,,,,,,,,',
      /* 19 */ 'no_opts,Access,N?,single_choice,,,,,,,,,',
      /* 20 */ 'bad_opt_key,Access,N?,single_choice,A B=1|b=0,,,,,,,,',
      /* 21 */ 'weight_conflict,Access,W?,text,,,,,,,,1,',
      /* 22 */ 'weight_conflict2,Access,W?,text,,,,,,,,2,',
      /* 23 */ ',,,,,,,,,,,,maybe',
      /* 24 */ 'crit_text,Other,C?,text,,,true,,,,,,',
    ].join('\n');
    const rows = await rowsOf(csv);
    const { module, problems } = tableToModule(rows, META);
    expect(module).toBeUndefined();
    expect(problems).toEqual([
      { line: 4, column: 'type', message: "unknown question type 'yesno'; the types are yes_no, yes_no_na, single_choice, multi_choice, text, number, date, file" },
      { line: 5, column: 'weight', message: "the weight 'heavy' must be a number from 0 to 100" },
      { line: 6, column: 'key', message: "duplicate question key 'ok' (first on line 2)" },
      { line: 7, column: 'options', message: "option 1 'a' is not key=score:label" },
      { line: 8, column: 'options', message: "option 'a': the score '2' must be a number from 0 to 1" },
      { line: 9, column: 'critical', message: "'sometimes' is not true or false (also yes/no, y/n, 1/0)" },
      { line: 10, column: 'condition', message: 'value expected at position 4 in "ok =="' },
      { line: 11, column: 'condition', message: "refers to unknown question 'nope'" },
      { line: 12, column: 'condition', message: "'ok' is answered yes, no, not 'maybe'" },
      { line: 13, column: 'area', message: "the control area '15' must be a whole number from 1 to 14" },
      { line: 14, column: 'severity', message: "'urgent' must be one of low, medium, high, critical" },
      { line: 15, column: 'area', message: 'references (iso27001) need a control area' },
      { line: 16, column: 'iso27001', message: 'refs.iso27001[0]: must match pattern "^A\\.[5-8]\\.\\d{1,2}$"' },
      { line: 17, column: 'key', message: 'must match pattern "^[a-z][a-z0-9_]*(?:[.-][a-z0-9_]+)*$"' },
      { line: 18, column: 'options', message: 'only single_choice and multi_choice questions have options' },
      { line: 19, column: 'options', message: 'a single_choice question needs options' },
      { line: 20, column: 'options', message: 'options[0].key: must match pattern "^[a-z][a-z0-9_]*(?:[.-][a-z0-9_]+)*$"' },
      { line: 22, column: 'section_weight', message: "section 'Access' has section_weight '1' on line 21 and '2' here" },
      { line: 23, column: 'key', message: 'a question key is required' },
      { line: 23, column: 'type', message: 'a question type is required: yes_no, yes_no_na, single_choice, multi_choice, text, number, date, file' },
      { line: 23, column: 'text', message: 'the English question text is required' },
      { line: 23, column: 'required', message: "'maybe' is not true or false (also yes/no, y/n, 1/0)" },
      { line: 23, column: 'section', message: 'a section title is required' },
      { line: 24, column: 'critical', message: 'only scored yes/no and choice questions can be critical' },
    ]);
  });

  it('reports unknown columns once, in the header, and refuses a table without a required column', async () => {
    const rows = await rowsOf([`${HEADER},colour,Notes`, 'a,S,A?,text,,,,red,x', 'b,S,B?,text,,,,blue,y'].join('\n'));
    expect(tableToModule(rows, META).problems).toEqual([
      { line: 1, column: 'colour', message: `unknown column 'colour'; the columns are ${MODULE_COLUMNS.join(', ')}` },
      { line: 1, column: 'notes', message: `unknown column 'notes'; the columns are ${MODULE_COLUMNS.join(', ')}` },
    ]);
    const missing = await rowsOf(['key,section,text,type,options', 'a,S,A?,text,'].join('\n'));
    expect(tableToModule(missing, META)).toEqual({
      problems: [
        { line: 1, column: 'weight', message: "the required column 'weight' is missing" },
        { line: 1, column: 'critical', message: "the required column 'critical' is missing" },
      ],
    });
  });

  it('reports bad options_zh, help_zh without help, and bad module settings', async () => {
    const rows = await rowsOf(
      [`${HEADER},options_zh,help_zh,text_zh`, 'a,S,A?,single_choice,x=1|y=0,,,x=甲|z=丙,帮助,', 'b,S,B?,text,,,,y=乙,,' + 'x'.repeat(2001)].join('\n'),
    );
    expect(tableToModule(rows, { key: 'Bad Key', version: 'v1', title: { en: 'T' } }).problems).toEqual([
      { line: 2, column: 'help_zh', message: 'help_zh needs the English help text in help' },
      { line: 2, column: 'options_zh', message: "'z' is not an option of this question" },
      { line: 3, column: 'options_zh', message: 'options_zh needs the options in options' },
      { line: 3, column: 'text_zh', message: 'must NOT have more than 2000 characters' },
      { line: null, message: 'module key: must match pattern "^[a-z][a-z0-9_]*(?:[.-][a-z0-9_]+)*$"' },
      { line: null, message: 'module version: must match pattern "^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)$"' },
    ]);
  });

  it('refuses an empty table', () => {
    expect(tableToModule([], META)).toEqual({ problems: [{ line: null, message: 'the table holds no questions' }] });
  });

  it('checks module objects exactly as the YAML loader does', () => {
    expect(checkModuleObject(byKey('baseline')).problems).toEqual([]);
    const broken = structuredClone(byKey('baseline-lite'));
    broken.sections[1].questions[0].weight = 500;
    expect(checkModuleObject(broken).problems).toEqual([{ path: 'sections[1].questions[0].weight', message: 'must be <= 100' }]);
    const yaml = 'key: k\nversion: 1.0.0\ntitle: { en: T, zh-CN: T }\ndescription: { en: D, zh-CN: D }\nsections:\n  - key: s\n    title: { en: S, zh-CN: S }\n    questions:\n      - { key: q, type: text, text: { en: Q, zh-CN: Q } }\n';
    expect(checkModuleSource('k.yaml', yaml).problems).toEqual([]);
    expect(checkModuleSource('k.yaml', yaml.replace('type: text', 'type: text, condition: "q2"')).problems).toEqual(["k.yaml: sections[0].questions[0].condition: refers to unknown question 'q2'"]);
  });
});

describe('answersToTable', () => {
  const input = (lang: AnswerExportInput['lang']): AnswerExportInput => ({
    modules: [byKey('baseline-lite')],
    lang,
    answers: {
      'scope.categories': { value: '=cmd|" /C calc"!A0', comment: null, evidence: [], reviewStatus: null, reviewNote: null },
      'scope.inventory': { value: 'yes', comment: 'A spreadsheet', evidence: [{ name: 'inventory.xlsx', sha256: 'ab'.repeat(32) }], reviewStatus: 'accepted', reviewNote: 'Fine' },
      'encryption.at_rest': { value: 'na', comment: null, evidence: [], reviewStatus: null, reviewNote: null },
      'access.leavers': { value: 'within_week', comment: null, evidence: [], reviewStatus: 'rejected', reviewNote: '-1 for vagueness' },
      'backup.practices': {
        value: ['encrypted', 'restore_tested'],
        comment: null,
        evidence: [
          { name: 'restore.pdf', sha256: '01'.repeat(32) },
          { name: 'keys.png', sha256: 'ff'.repeat(32) },
        ],
        reviewStatus: null,
        reviewNote: null,
      },
    },
    scores: {
      'scope.categories': { score: null, rule: 'awaiting_reviewer_score', applicable: true },
      'scope.inventory': { score: 1, rule: 'matches_expected', applicable: true },
      'encryption.at_rest': { score: null, rule: 'not_applicable', applicable: false },
      'access.leavers': { score: 0.5, rule: 'option_score', applicable: true },
      'backup.practices': { score: 0.5, rule: 'options_sum_capped', applicable: true },
      'incident.window': { score: 0, rule: 'unanswered_required', applicable: true },
    },
  });
  const rowOf = (table: Table, key: string) => table.rows.find((r) => r[2] === key);

  it('lists every question with the answer in English', () => {
    const table = answersToTable(input('en'));
    expect(table.header).toEqual(['Module', 'Section', 'Question key', 'Question', 'Type', 'Answer', 'Comment', 'Evidence', 'Score', 'Rule', 'Review status', 'Reviewer note']);
    expect(table.rows).toHaveLength(byKey('baseline-lite').sections.flatMap((s) => s.questions).length);
    expect(rowOf(table, 'scope.inventory')).toEqual([
      'Baseline security check (short form)',
      'Information you hold for us',
      'scope.inventory',
      byKey('baseline-lite').sections[0].questions[1].text.en,
      'Yes / no',
      'Yes',
      'A spreadsheet',
      `inventory.xlsx (sha256 ${'ab'.repeat(32)})`,
      '1',
      'Matches the expected answer: 1',
      'Accepted',
      'Fine',
    ]);
    expect(rowOf(table, 'access.leavers')!.slice(4)).toEqual(['Single choice', 'Within a week', '', '', '0.5', "The chosen option's own score", 'Rejected', '-1 for vagueness']);
    expect(rowOf(table, 'backup.practices')!.slice(5, 8)).toEqual([
      'They are encrypted; We have restored from them successfully in the last 12 months',
      '',
      `restore.pdf (sha256 ${'01'.repeat(32)})\nkeys.png (sha256 ${'ff'.repeat(32)})`,
    ]);
    expect(rowOf(table, 'encryption.at_rest')!.slice(5, 10)).toEqual(['Not applicable', '', '', '', 'Answered “not applicable”: left out']);
    expect(rowOf(table, 'incident.window')!.slice(5, 10)).toEqual(['', '', '', '0', 'Required and unanswered: scores 0']);
    expect(rowOf(table, 'incident.contact')!.slice(5)).toEqual(['', '', '', '', '', '', '']);
  });

  it('lists every question with the answer in Chinese', () => {
    const table = answersToTable(input('zh-CN'));
    expect(table.header).toEqual(['模块', '章节', '问题编号', '问题', '题型', '回答', '备注', '证明材料', '得分', '计分规则', '审核状态', '审核意见']);
    expect(rowOf(table, 'scope.inventory')!.slice(0, 6)).toEqual([
      '基础安全检查（简版）',
      '贵公司为我方持有的信息',
      'scope.inventory',
      byKey('baseline-lite').sections[0].questions[1].text['zh-CN'],
      '是 / 否',
      '是',
    ]);
    expect(rowOf(table, 'access.leavers')!.slice(4, 11)).toEqual(['单选', '一周内', '', '', '0.5', '按所选选项的分值计分', '驳回']);
    expect(rowOf(table, 'backup.practices')![5]).toBe('备份已加密; 过去 12 个月内曾成功地从备份中恢复数据');
    expect(rowOf(table, 'encryption.at_rest')![5]).toBe('不适用');
  });

  it("neutralises a vendor's formula in CSV and XLSX, and reading strips it back", async () => {
    const table = answersToTable(input('en'));
    const csv = writeCsv(table).toString('utf8');
    expect(csv).toContain(`"'=cmd|"" /C calc""!A0"`);
    expect(csv).toContain(`'-1 for vagueness`);
    for (const rows of [(await readTable(writeCsv(table), 'csv')).rows, (await readTable(await writeXlsx(table, 'Answers'), 'xlsx')).rows]) {
      const cells = rows.find((r) => r.cells['question key'] === 'scope.categories')!.cells;
      expect(cells.answer).toBe('=cmd|" /C calc"!A0');
      expect(rows.find((r) => r.cells['question key'] === 'access.leavers')!.cells['reviewer note']).toBe('-1 for vagueness');
    }
  });
});
