/**
 * When reminders are due, as pure functions of dates. Each rule has windows: a reminder "N days
 * before" is due from that day until the next reminder's day (so a sweep that missed a day
 * still sends it, and never sends it twice: its occurrence names the window). The engine turns
 * each occurrence into one outbox row with a unique key.
 */
import { addDays } from '../common/dates';
import { daysBetween } from '../contracts/contract-terms';

export const REMINDER_RULES = [
  'questionnaire.due',
  'questionnaire.overdue',
  'questionnaire.escalation',
  'review.due',
  'review.overdue',
  'contract.notice',
  'risk.expiring',
  'assessment.waiting_review',
] as const;
export type ReminderRule = (typeof REMINDER_RULES)[number];

/** The day offsets of every rule; from configuration (`REMINDER_*`), these are the defaults. */
export interface ReminderSchedule {
  /** Days before a questionnaire's due date, to the vendor contact. */
  questionnaireDueDays: number[];
  /** After the due date: a reminder every N days… */
  questionnaireOverdueEveryDays: number;
  /** …this many times, then one escalation to the vendor's owner. */
  questionnaireOverdueTimes: number;
  /** Days before a review is due, to the owner. */
  reviewDueDays: number[];
  /** While a review is overdue: every N days. */
  reviewOverdueEveryDays: number;
  /** Days before a contract's notice deadline, to its owner. */
  contractNoticeDays: number[];
  /** Days before an accepted risk expires, to the finding's owner. */
  riskExpiryDays: number[];
  /** Days a submitted questionnaire may wait for review before its owner is reminded. */
  waitingReviewDays: number;
}

export const DEFAULT_SCHEDULE: ReminderSchedule = {
  questionnaireDueDays: [7, 1],
  questionnaireOverdueEveryDays: 3,
  questionnaireOverdueTimes: 3,
  reviewDueDays: [30, 7],
  reviewOverdueEveryDays: 7,
  contractNoticeDays: [60, 30, 7],
  riskExpiryDays: [30],
  waitingReviewDays: 5,
};

/** One reminder that is due: which window of its rule (`occurrence`), and the date it is about. */
export interface DueReminder {
  rule: ReminderRule;
  /** Names the window: `d7` (7 days before), `o2` (third overdue reminder), `once`. */
  occurrence: string;
  /** The deadline the reminder is about (due date, notice deadline, expiry, submission day). */
  date: string;
  /** Days from today to `date`: negative once it has passed. */
  daysLeft: number;
}

/**
 * The "N days before" reminder whose window holds `today`: offsets run from the largest down;
 * the window of one offset lasts until the next one's day, the last until the deadline.
 */
export function beforeDeadline(rule: ReminderRule, deadline: string, today: string, offsets: readonly number[]): DueReminder | null {
  const sorted = [...new Set(offsets)].filter((o) => o > 0).sort((a, b) => b - a);
  const daysLeft = daysBetween(today, deadline);
  for (let i = 0; i < sorted.length; i++) {
    const next = sorted[i + 1] ?? 0;
    if (daysLeft <= sorted[i] && daysLeft > next) return { rule, occurrence: `d${sorted[i]}`, date: deadline, daysLeft };
  }
  return null;
}

/**
 * Reminders after a deadline: the k-th is due from day 1 + k·every after it, for `times`
 * reminders (unbounded when `times` is null). Returns the one whose window holds `today`.
 */
export function afterDeadline(rule: ReminderRule, deadline: string, today: string, every: number, times: number | null): DueReminder | null {
  const late = daysBetween(deadline, today);
  if (late < 1 || every < 1) return null;
  const k = Math.floor((late - 1) / every);
  if (times !== null && k >= times) return null;
  return { rule, occurrence: `o${k}`, date: deadline, daysLeft: -late };
}

/** The questionnaire reminders due today, for one still waiting on its vendor. */
export function questionnaireReminders(dueDate: string, today: string, s: ReminderSchedule): DueReminder[] {
  const out: DueReminder[] = [];
  const before = beforeDeadline('questionnaire.due', dueDate, today, s.questionnaireDueDays);
  if (before) out.push(before);
  const after = afterDeadline('questionnaire.overdue', dueDate, today, s.questionnaireOverdueEveryDays, s.questionnaireOverdueTimes);
  if (after) out.push(after);
  // The escalation follows the last overdue reminder by one more interval.
  const escalateOn = addDays(dueDate, 1 + s.questionnaireOverdueTimes * s.questionnaireOverdueEveryDays);
  if (today >= escalateOn) out.push({ rule: 'questionnaire.escalation', occurrence: 'once', date: dueDate, daysLeft: daysBetween(today, dueDate) });
  return out;
}

/** The review reminders due today, for one open review. */
export function reviewReminders(dueDate: string, today: string, s: ReminderSchedule): DueReminder[] {
  const before = beforeDeadline('review.due', dueDate, today, s.reviewDueDays);
  const after = afterDeadline('review.overdue', dueDate, today, s.reviewOverdueEveryDays, null);
  return [before, after].filter((r): r is DueReminder => r !== null);
}

export function contractNoticeReminder(noticeDeadline: string, today: string, s: ReminderSchedule): DueReminder | null {
  return beforeDeadline('contract.notice', noticeDeadline, today, s.contractNoticeDays);
}

export function riskExpiryReminder(until: string, today: string, s: ReminderSchedule): DueReminder | null {
  return beforeDeadline('risk.expiring', until, today, s.riskExpiryDays);
}

/** Once, when a submitted questionnaire has waited `waitingReviewDays` for its review. */
export function waitingReviewReminder(submittedOn: string, today: string, s: ReminderSchedule): DueReminder | null {
  const waited = daysBetween(submittedOn, today);
  return waited >= s.waitingReviewDays ? { rule: 'assessment.waiting_review', occurrence: 'once', date: submittedOn, daysLeft: -waited } : null;
}

/** The decision a reminder belongs to: rule, target, the date it is about, and the window (one per recipient share it). */
export function decisionKey(r: DueReminder, targetId: string): string {
  return `${r.rule}|${targetId}|${r.date}|${r.occurrence}`;
}

/** The outbox key of one reminder: its decision and its recipient. */
export function reminderKey(r: DueReminder, targetId: string, recipient: string): string {
  return `${decisionKey(r, targetId)}|${recipient}`;
}
