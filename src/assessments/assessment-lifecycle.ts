/**
 * The assessment state machine. Pure data and functions: services ask it whether a move is
 * allowed, and a refused move names the moves that are.
 */
export const ASSESSMENT_STATUSES = [
  'draft',
  'sent',
  'in_progress',
  'submitted',
  'in_review',
  'clarification_requested',
  'completed',
  'expired',
  'cancelled',
] as const;
export type AssessmentStatus = (typeof ASSESSMENT_STATUSES)[number];

const TRANSITIONS: Record<AssessmentStatus, readonly AssessmentStatus[]> = {
  draft: ['sent', 'cancelled'],
  sent: ['in_progress', 'submitted', 'expired', 'cancelled'],
  in_progress: ['submitted', 'expired', 'cancelled'],
  submitted: ['in_review', 'clarification_requested', 'cancelled'],
  in_review: ['clarification_requested', 'completed', 'cancelled'],
  clarification_requested: ['submitted', 'expired', 'cancelled'],
  // A lapsed questionnaire can be sent again, with a new link and due date.
  expired: ['sent', 'cancelled'],
  completed: [],
  cancelled: [],
};

export function allowedTransitions(from: AssessmentStatus): readonly AssessmentStatus[] {
  return TRANSITIONS[from];
}

export function canTransition(from: AssessmentStatus, to: AssessmentStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** States in which the vendor may change answers through the portal. */
export const VENDOR_EDITABLE: ReadonlySet<AssessmentStatus> = new Set(['sent', 'in_progress', 'clarification_requested']);
/** States in which the portal link can be opened at all (to answer, or to see the confirmation). */
export const PORTAL_OPEN: ReadonlySet<AssessmentStatus> = new Set(['sent', 'in_progress', 'clarification_requested', 'submitted', 'in_review', 'completed']);
/** States in which staff may (re)send the link. */
export const RESENDABLE: ReadonlySet<AssessmentStatus> = new Set(['sent', 'in_progress', 'clarification_requested', 'expired']);
/** States whose link may lapse: the vendor still owes answers. */
export const AWAITING_VENDOR: ReadonlySet<AssessmentStatus> = new Set(['sent', 'in_progress', 'clarification_requested']);
export const TERMINAL: ReadonlySet<AssessmentStatus> = new Set(['completed', 'cancelled']);
