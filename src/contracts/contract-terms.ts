/**
 * A contract's dates as pure functions: the current term (automatic renewals rolled forward),
 * the notice deadline, the status shown, and the checks a contract's dates must pass.
 */
import { addDays, addMonths } from '../common/dates';

export const CONTRACT_TYPES = ['msa', 'dpa', 'sow', 'nda', 'order_form'] as const;
export type ContractType = (typeof CONTRACT_TYPES)[number];

/** What staff set: a draft, a contract in force, or one ended early. */
export const CONTRACT_STATES = ['draft', 'active', 'terminated'] as const;
export type ContractState = (typeof CONTRACT_STATES)[number];

/** What is shown: the state, with `active` split by the dates. */
export const CONTRACT_STATUSES = ['draft', 'active', 'expiring', 'expired', 'terminated'] as const;
export type ContractStatus = (typeof CONTRACT_STATUSES)[number];

/** A contract is "expiring" this many days before its decision date (end of term, or notice deadline when it renews by itself). */
export const EXPIRING_WITHIN_DAYS = 60;
export const MAX_RENEWAL_MONTHS = 120;

export interface ContractTerms {
  state: ContractState;
  effectiveDate: string;
  /** End of the first term; null for a contract without an end date. */
  expiryDate: string | null;
  autoRenewal: boolean;
  /** Length of each automatic renewal. */
  renewalMonths: number | null;
  /** Days before the end of a term by which notice must be given (not to renew, or to end it). */
  noticeDays: number | null;
}

const DAY_MS = 86_400_000;
export const daysBetween = (from: string, to: string): number => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);

/**
 * The end of the `k`-th renewal of a term that ended on `expiryDate`. A renewal term starts the
 * day after the old one ends and ends the day before the same day `months` later: 2026-06-30
 * renewed by 6 months ends 2026-12-31 (not 12-30), 2026-02-28 by 10 months 2026-12-31. Each is
 * counted from the first renewal's start, so month ends never drift.
 */
export function renewalEnd(expiryDate: string, months: number, k = 1): string {
  return addDays(addMonths(addDays(expiryDate, 1), k * months), -1);
}

/**
 * The end of the term running on `today`: the expiry date, or for a contract that renews by
 * itself, the first renewal end on or after `today`. Null without an end date.
 */
export function currentTermEnd(t: ContractTerms, today: string): string | null {
  if (!t.expiryDate) return null;
  if (!t.autoRenewal || !t.renewalMonths || t.expiryDate >= today) return t.expiryDate;
  // Jump close by arithmetic, then step: at most a couple of iterations.
  const monthsLate = Math.max(0, Math.floor(daysBetween(t.expiryDate, today) / 31));
  let k = Math.max(1, Math.floor(monthsLate / t.renewalMonths));
  let end = renewalEnd(t.expiryDate, t.renewalMonths, k);
  while (end < today) end = renewalEnd(t.expiryDate, t.renewalMonths, ++k);
  return end;
}

/** The last day to give notice in the current term, or null when there is no end date or no notice period. */
export function noticeDeadline(t: ContractTerms, today: string): string | null {
  const end = currentTermEnd(t, today);
  return end && t.noticeDays !== null ? addDays(end, -t.noticeDays) : null;
}

/**
 * The status shown. A contract in force is `expiring` when its decision date is at most
 * `EXPIRING_WITHIN_DAYS` away: the notice deadline of one that renews by itself (after it, the
 * next term is committed, so it is `active` again), otherwise the end of its term. It is
 * `expired` after the end of a term that does not renew.
 */
export function contractStatus(t: ContractTerms, today: string, withinDays = EXPIRING_WITHIN_DAYS): ContractStatus {
  if (t.state !== 'active') return t.state;
  const end = currentTermEnd(t, today);
  if (end === null) return 'active';
  if (end < today) return 'expired';
  const deadline = t.autoRenewal ? noticeDeadline(t, today) : end;
  if (deadline === null || deadline < today) return 'active';
  return daysBetween(today, deadline) <= withinDays ? 'expiring' : 'active';
}

/**
 * Days in the shortest renewal term: terms differ with the months they span (a one-month term
 * from 1 February is 28 days). Four years of terms cover every month and a leap year.
 */
function shortestRenewalDays(expiryDate: string, renewalMonths: number): number {
  let shortest = Infinity;
  for (let k = 0; k * renewalMonths < 48 || k < 1; k++) {
    shortest = Math.min(shortest, daysBetween(renewalEnd(expiryDate, renewalMonths, k), renewalEnd(expiryDate, renewalMonths, k + 1)));
  }
  return shortest;
}

export interface TermProblem {
  path: string;
  message: string;
  rule: string;
}

/** What a contract's dates must satisfy; each problem names its field. */
export function termProblems(t: ContractTerms): TermProblem[] {
  const out: TermProblem[] = [];
  if (t.expiryDate && t.expiryDate < t.effectiveDate) out.push({ path: 'expiryDate', message: 'must not be before the effective date', rule: 'minDate' });
  if (t.autoRenewal && !t.expiryDate) out.push({ path: 'autoRenewal', message: 'needs an expiry date: the first term must end to renew', rule: 'requires' });
  if (t.autoRenewal && !t.renewalMonths) out.push({ path: 'renewalMonths', message: 'is required when the contract renews automatically', rule: 'required' });
  if (!t.autoRenewal && t.renewalMonths) out.push({ path: 'renewalMonths', message: 'applies only to a contract that renews automatically', rule: 'forbidden' });
  if (t.noticeDays !== null) {
    if (!t.expiryDate) out.push({ path: 'noticeDays', message: 'needs an expiry date to count back from', rule: 'requires' });
    else if (t.expiryDate >= t.effectiveDate && t.noticeDays > daysBetween(t.effectiveDate, t.expiryDate)) {
      out.push({ path: 'noticeDays', message: 'is longer than the contract term', rule: 'max' });
    } else if (t.autoRenewal && t.renewalMonths && t.noticeDays > shortestRenewalDays(t.expiryDate, t.renewalMonths)) {
      out.push({ path: 'noticeDays', message: 'is longer than a renewal term', rule: 'max' });
    }
  }
  return out;
}
