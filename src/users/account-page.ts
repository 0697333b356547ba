import type { UserEntity } from './user.entity';

/**
 * What the account page shows: the user, the password form and the reminder settings (whose
 * forms the reminders module answers, rendering this page with its own errors or the new
 * calendar link).
 */
export function accountPage(me: UserEntity, digestHour: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    me,
    errors: {},
    notice: null,
    reminders: { delivery: me.reminderDelivery, calendarFeed: me.calendarTokenHash !== null, digestHour, errors: {}, calendarUrl: null },
    ...extra,
  };
}
