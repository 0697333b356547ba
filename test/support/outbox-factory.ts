import { randomUUID } from 'node:crypto';
import { newOutboxRow, ReminderOutboxEntity } from '../../src/reminders/reminder-outbox.entity';

/** An overdue-questionnaire reminder to contact `n`, decided (and due) at `at`, waiting to be sent. */
export function overdueReminderRow(n: number | string, at: Date): ReminderOutboxEntity {
  const day = at.toISOString().slice(0, 10);
  return newOutboxRow({
    key: `questionnaire.overdue|a${n}|${day}|contact`,
    decision: `questionnaire.overdue|a${n}|${day}`,
    recipient: 'contact',
    rule: 'questionnaire.overdue',
    targetType: 'assessment',
    targetId: randomUUID(),
    vendorId: null,
    userId: null,
    email: `contact${n}@vendor.example`,
    recipientName: `Contact ${n}`,
    locale: 'en',
    payload: { vendorName: `Vendor ${n}`, date: day, daysLeft: -3 },
    status: 'pending',
    decidedAt: at,
    nextAttemptAt: at,
  });
}
