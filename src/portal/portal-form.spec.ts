import {
  answerError,
  changedAnswers,
  choicesOf,
  displayValue,
  postedAnswers,
  questionAnchor,
  questionsByKey,
  sameValue,
  sectionAnchor,
  sectionDomId,
  withPosted,
} from './portal-form';
import type { PortalQuestionView, PortalView } from './portal-view';

function question(key: string, type: PortalQuestionView['type'], extra: Partial<PortalQuestionView> = {}): PortalQuestionView {
  return {
    key,
    type,
    text: key,
    help: null,
    required: true,
    evidence: 'none',
    options: [],
    condition: null,
    visible: true,
    value: null,
    comment: null,
    version: 0,
    files: [],
    editable: true,
    clarification: null,
    carriedOver: false,
    ...extra,
  };
}

const options = [
  { key: 'encrypted', label: 'Encrypted' },
  { key: 'offline', label: 'One copy offline' },
];

function view(questions: PortalQuestionView[]): PortalView {
  return {
    assessment: {
      id: 'a',
      status: 'in_progress',
      dueDate: '2026-04-01',
      vendorName: 'V',
      recipientName: 'R',
      language: 'en',
      message: null,
      clarificationMessage: null,
      submittedAt: null,
    },
    modules: [],
    sections: [{ id: 'm/s', moduleKey: 'm', key: 's', title: 'S', visible: questions.length, answered: 0, questions }],
    progress: { visible: questions.length, answered: 0, missingRequired: [], missingEvidence: [], unconfirmed: [] },
    editable: true,
  };
}

const t = (key: string) => ({ 'portal.answer.yes': 'Yes', 'portal.answer.no': 'No', 'portal.answer.na': 'Not applicable' })[key] ?? key;

describe('postedAnswers', () => {
  const qs = questionsByKey(
    view([
      question('a.mfa', 'yes_no'),
      question('a.practices', 'multi_choice', { options }),
      question('a.notes', 'text'),
      question('a.staff', 'number'),
      question('a.policy', 'file'),
      question('a.unposted', 'date'),
    ]),
  );

  it('reads one answer per question that carries a version field, normalized as stored', () => {
    const posted = postedAnswers(
      {
        'value.a.mfa': 'yes',
        'comment.a.mfa': '  ',
        'version.a.mfa': '3',
        'value.a.practices': ['encrypted', '', 'offline'],
        'version.a.practices': '0',
        'value.a.notes': 'line one\r\nline two\r',
        'comment.a.notes': 'why\r\nnot',
        'version.a.notes': '1',
        'value.a.staff': ' 12 ',
        'version.a.staff': 'x',
        'value.a.policy': 'ignored',
        'comment.a.policy': 'see file',
        'version.a.policy': '2',
        'value.a.unposted': '2026-01-01',
      },
      qs,
    );
    expect(posted).toEqual([
      { key: 'a.mfa', baseVersion: 3, value: 'yes', comment: null },
      { key: 'a.practices', baseVersion: 0, value: ['encrypted', 'offline'], comment: undefined },
      { key: 'a.notes', baseVersion: 1, value: 'line one\nline two\n', comment: 'why\nnot' },
      // A malformed version can never match a saved answer.
      { key: 'a.staff', baseVersion: -1, value: '12', comment: undefined },
      { key: 'a.policy', baseVersion: 2, value: undefined, comment: 'see file' },
    ]);
  });

  it('reads an unchecked radio or checkbox group and an emptied text as a cleared answer', () => {
    const posted = postedAnswers({ 'version.a.mfa': '1', 'version.a.practices': '1', 'value.a.notes': ' \r\n ', 'version.a.notes': '1' }, qs);
    expect(posted.map((p) => p.value)).toEqual([null, null, null]);
  });
});

describe('changedAnswers', () => {
  const qs = questionsByKey(
    view([
      question('a.mfa', 'yes_no', { value: 'yes', comment: 'keys', version: 2 }),
      question('a.practices', 'multi_choice', { options, value: ['encrypted', 'offline'], version: 1 }),
      question('a.staff', 'number', { value: 12, version: 4 }),
      question('a.notes', 'text', { value: 'a\r\nb', version: 1 }),
      question('a.policy', 'file', { comment: null, version: 0 }),
    ]),
  );

  it('skips answers that did not change, whatever their spelling', () => {
    expect(
      changedAnswers(
        [
          { key: 'a.mfa', baseVersion: 2, value: 'yes', comment: 'keys' },
          { key: 'a.practices', baseVersion: 1, value: ['offline', 'encrypted'], comment: undefined },
          { key: 'a.staff', baseVersion: 4, value: '12.0', comment: null },
          { key: 'a.notes', baseVersion: 1, value: 'a\nb', comment: null },
          { key: 'a.policy', baseVersion: 0, value: undefined, comment: null },
          { key: 'a.unknown', baseVersion: 0, value: 'x', comment: null },
        ],
        qs,
      ),
    ).toEqual([]);
  });

  it('sends only the parts that changed, with the version the page showed', () => {
    expect(
      changedAnswers(
        [
          { key: 'a.mfa', baseVersion: 2, value: 'yes', comment: null },
          { key: 'a.practices', baseVersion: 1, value: ['encrypted'], comment: undefined },
          { key: 'a.staff', baseVersion: 3, value: 'twelve', comment: null },
          { key: 'a.policy', baseVersion: 0, value: undefined, comment: 'see the file' },
        ],
        qs,
      ),
    ).toEqual([
      { key: 'a.mfa', input: { baseVersion: 2, comment: null } },
      { key: 'a.practices', input: { baseVersion: 1, value: ['encrypted'] } },
      { key: 'a.staff', input: { baseVersion: 3, value: 'twelve' } },
      { key: 'a.policy', input: { baseVersion: 0, comment: 'see the file' } },
    ]);
  });
});

describe('sameValue', () => {
  it('compares by question type', () => {
    expect(sameValue({ type: 'number' }, 2.5, '2.50')).toBe(true);
    expect(sameValue({ type: 'number' }, 2.5, '2,5')).toBe(false);
    expect(sameValue({ type: 'multi_choice' }, ['a', 'b'], ['b', 'a'])).toBe(true);
    expect(sameValue({ type: 'multi_choice' }, ['a', 'b'], ['a'])).toBe(false);
    expect(sameValue({ type: 'yes_no' }, null, null)).toBe(true);
    expect(sameValue({ type: 'yes_no' }, 'no', null)).toBe(false);
    expect(sameValue({ type: 'date' }, '2026-01-01', '2026-01-01')).toBe(true);
  });
});

describe('withPosted', () => {
  it('shows the vendor’s input again and, after a conflict, carries the newer version', () => {
    const q = question('a.notes', 'text', { value: 'saved', comment: 'c', version: 2 });
    expect(withPosted(q, { key: 'a.notes', baseVersion: 1, value: 'mine', comment: undefined }, { value: 'theirs', comment: null, version: 3 })).toMatchObject({
      value: 'mine',
      comment: 'c',
      version: 3,
    });
    expect(withPosted(q, { key: 'a.notes', baseVersion: 2, value: null, comment: 'new' })).toMatchObject({ value: null, comment: 'new', version: 2 });
  });
});

describe('displayValue and choicesOf', () => {
  it('shows option labels and translated yes/no, and null for no answer', () => {
    expect(displayValue({ type: 'yes_no_na', options: [] }, 'na', t)).toBe('Not applicable');
    expect(displayValue({ type: 'multi_choice', options }, ['offline', 'encrypted'], t)).toBe('One copy offline, Encrypted');
    expect(displayValue({ type: 'single_choice', options }, 'gone', t)).toBe('gone');
    expect(displayValue({ type: 'number', options: [] }, 0, t)).toBe('0');
    expect(displayValue({ type: 'text', options: [] }, '', t)).toBeNull();
    expect(displayValue({ type: 'multi_choice', options }, [], t)).toBeNull();
  });

  it('offers yes, no and n/a as choices of yes/no questions', () => {
    expect(choicesOf({ type: 'yes_no', options: [] }, t)).toEqual([
      { key: 'yes', label: 'Yes' },
      { key: 'no', label: 'No' },
    ]);
    expect(choicesOf({ type: 'yes_no_na', options: [] }, t).map((c) => c.key)).toEqual(['yes', 'no', 'na']);
    expect(choicesOf({ type: 'single_choice', options }, t)).toBe(options);
  });
});

describe('answerError', () => {
  it('names a translated message for known rules, else keeps the English one', () => {
    expect(answerError([{ path: 'value', message: 'must be a number', rule: 'isNumber' }], 'x')).toEqual({ field: 'value', message: 'portal.error.isNumber' });
    expect(answerError([{ path: 'comment', message: 'too long', rule: 'maxLength' }], 'x')).toEqual({ field: 'comment', message: 'portal.error.comment_maxLength' });
    expect(answerError([{ path: 'value', message: 'is odd', rule: 'somethingNew' }], 'x')).toEqual({ field: 'value', message: 'is odd' });
    expect(answerError(undefined, 'The answer is odd.')).toEqual({ field: 'value', message: 'The answer is odd.' });
  });
});

describe('anchors', () => {
  it('builds fragment ids only from keys and sections that look right', () => {
    expect(sectionDomId('baseline/access')).toBe('s-baseline--access');
    expect(questionAnchor('access.mfa')).toBe('#q-access.mfa');
    expect(questionAnchor('"><script>')).toBe('');
    expect(questionAnchor(['access.mfa'])).toBe('');
    const v = view([question('a.mfa', 'yes_no')]);
    expect(sectionAnchor('m/s', v)).toBe('#s-m--s');
    expect(sectionAnchor('m/other', v)).toBe('');
  });
});
