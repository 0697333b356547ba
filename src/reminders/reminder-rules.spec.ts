import { addDays } from '../common/dates';
import { afterDeadline, beforeDeadline, DEFAULT_SCHEDULE, questionnaireReminders, reviewReminders, waitingReviewReminder } from './reminder-rules';

/** The reminders due on each day from `from` to `to`, as `day occurrence` lines. */
function calendar(from: string, to: string, due: (today: string) => Array<{ rule: string; occurrence: string }>): string[] {
  const out: string[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) for (const r of due(day)) out.push(`${day} ${r.rule} ${r.occurrence}`);
  return out;
}

/** Keeps the first day of each occurrence: what the outbox keys make of daily sweeps. */
const firsts = (lines: string[]) => lines.filter((l, i) => lines.findIndex((x) => x.slice(11) === l.slice(11)) === i);

describe('reminder windows', () => {
  it.each([
    ['2026-05-02', null],
    ['2026-05-03', 'd60'],
    ['2026-06-01', 'd60'],
    ['2026-06-02', 'd30'],
    ['2026-06-24', 'd30'],
    ['2026-06-25', 'd7'],
    ['2026-07-01', 'd7'],
    ['2026-07-02', null],
    ['2026-07-03', null],
  ])('a notice deadline of 2026-07-02 with 60/30/7 days: on %s the window is %s', (today, occurrence) => {
    expect(beforeDeadline('contract.notice', '2026-07-02', today, [7, 60, 30])?.occurrence ?? null).toBe(occurrence);
  });

  it('ignores repeated and non-positive offsets', () => {
    expect(beforeDeadline('risk.expiring', '2026-07-02', '2026-07-01', [30, 30, 0, -5])).toEqual({ rule: 'risk.expiring', occurrence: 'd30', date: '2026-07-02', daysLeft: 1 });
  });

  it.each([
    ['2026-03-20', null],
    ['2026-03-21', 'o0'],
    ['2026-03-23', 'o0'],
    ['2026-03-24', 'o1'],
    ['2026-03-27', 'o2'],
    ['2026-03-29', 'o2'],
    ['2026-03-30', null],
  ])('overdue every 3 days, 3 times, after 2026-03-20: on %s %s', (today, occurrence) => {
    expect(afterDeadline('questionnaire.overdue', '2026-03-20', today, 3, 3)?.occurrence ?? null).toBe(occurrence);
  });

  it('repeats without end when no count is given', () => {
    expect(afterDeadline('review.overdue', '2026-01-01', '2027-01-01', 7, null)).toEqual({ rule: 'review.overdue', occurrence: 'o52', date: '2026-01-01', daysLeft: -365 });
  });

  it('gives a questionnaire due on 20 March its six reminders on their days', () => {
    expect(firsts(calendar('2026-03-01', '2026-05-01', (d) => questionnaireReminders('2026-03-20', d, DEFAULT_SCHEDULE)))).toEqual([
      '2026-03-13 questionnaire.due d7',
      '2026-03-19 questionnaire.due d1',
      '2026-03-21 questionnaire.overdue o0',
      '2026-03-24 questionnaire.overdue o1',
      '2026-03-27 questionnaire.overdue o2',
      '2026-03-30 questionnaire.escalation once',
    ]);
  });

  it('follows configured offsets: 14 and 3 days before, twice every 5 days, then escalation', () => {
    const s = { ...DEFAULT_SCHEDULE, questionnaireDueDays: [3, 14], questionnaireOverdueEveryDays: 5, questionnaireOverdueTimes: 2 };
    expect(firsts(calendar('2026-03-01', '2026-05-01', (d) => questionnaireReminders('2026-03-20', d, s)))).toEqual([
      '2026-03-06 questionnaire.due d14',
      '2026-03-17 questionnaire.due d3',
      '2026-03-21 questionnaire.overdue o0',
      '2026-03-26 questionnaire.overdue o1',
      '2026-03-31 questionnaire.escalation once',
    ]);
  });

  it('reminds of a review 30 and 7 days ahead, then weekly while overdue', () => {
    expect(firsts(calendar('2026-01-01', '2026-04-01', (d) => reviewReminders('2026-03-02', d, DEFAULT_SCHEDULE)))).toEqual([
      '2026-01-31 review.due d30',
      '2026-02-23 review.due d7',
      '2026-03-03 review.overdue o0',
      '2026-03-10 review.overdue o1',
      '2026-03-17 review.overdue o2',
      '2026-03-24 review.overdue o3',
      '2026-03-31 review.overdue o4',
    ]);
  });

  it('tells once that a submitted questionnaire has waited five days', () => {
    expect(waitingReviewReminder('2026-03-02', '2026-03-06', DEFAULT_SCHEDULE)).toBeNull();
    expect(waitingReviewReminder('2026-03-02', '2026-03-07', DEFAULT_SCHEDULE)).toEqual({ rule: 'assessment.waiting_review', occurrence: 'once', date: '2026-03-02', daysLeft: -5 });
  });
});
