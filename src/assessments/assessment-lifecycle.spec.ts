import { allowedTransitions, ASSESSMENT_STATUSES, canTransition, TERMINAL } from './assessment-lifecycle';

describe('assessment lifecycle', () => {
  it.each([
    ['draft', 'sent'],
    ['sent', 'in_progress'],
    ['in_progress', 'submitted'],
    ['submitted', 'in_review'],
    ['in_review', 'clarification_requested'],
    ['clarification_requested', 'submitted'],
    ['in_review', 'completed'],
    ['expired', 'sent'],
  ] as const)('allows %s → %s', (from, to) => {
    expect(canTransition(from, to)).toBe(true);
  });

  it.each([
    ['draft', 'submitted'],
    ['sent', 'completed'],
    ['submitted', 'in_progress'],
    ['completed', 'in_review'],
    ['cancelled', 'sent'],
    ['in_review', 'expired'],
  ] as const)('refuses %s → %s', (from, to) => {
    expect(canTransition(from, to)).toBe(false);
  });

  it('ends in completed or cancelled, and every other state can be cancelled', () => {
    const closed = ASSESSMENT_STATUSES.filter((s) => allowedTransitions(s).length === 0);
    const cancellable = ASSESSMENT_STATUSES.filter((s) => allowedTransitions(s).includes('cancelled'));
    expect(closed).toEqual([...TERMINAL]);
    expect(cancellable).toEqual(ASSESSMENT_STATUSES.filter((s) => !TERMINAL.has(s)));
  });
});
