/** The status a review shows: its stored state with the dates applied. Pure. */
import { daysBetween } from '../contracts/contract-terms';
import type { ReviewState } from './review-cycle.entity';

export const REVIEW_STATUSES = ['scheduled', 'due', 'in_progress', 'overdue', 'done', 'cancelled'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

/** A review is "due" this many days before its due date. */
export const REVIEW_DUE_WITHIN_DAYS = 30;

/** Done and cancelled stay so; an open review past its due date is overdue, even once started. */
export function reviewStatus(state: ReviewState, dueDate: string, today: string): ReviewStatus {
  if (state === 'done' || state === 'cancelled') return state;
  if (dueDate < today) return 'overdue';
  if (state === 'in_progress') return 'in_progress';
  return daysBetween(today, dueDate) <= REVIEW_DUE_WITHIN_DAYS ? 'due' : 'scheduled';
}
