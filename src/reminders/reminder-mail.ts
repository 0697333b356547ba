/** The text of reminder mails and digests, in the recipient's language. */
import { Locale, translate } from '../i18n/i18n';
import type { MailMessage } from '../mail/mail.service';
import type { ReminderOutboxEntity } from './reminder-outbox.entity';

const DATE_FORMATS = new Map<Locale, Intl.DateTimeFormat>();

function dateText(locale: Locale, iso: string): string {
  let format = DATE_FORMATS.get(locale);
  if (!format) DATE_FORMATS.set(locale, (format = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' })));
  return format.format(new Date(`${iso}T00:00:00Z`));
}

/** The parameters every reminder text may use. */
function params(row: Pick<ReminderOutboxEntity, 'payload' | 'locale'>): Record<string, string | number> {
  const p = row.payload;
  return {
    vendor: p.vendorName ?? '',
    title: p.title ?? '',
    date: p.date ? dateText(row.locale, p.date) : '',
    days: Math.abs(p.daysLeft ?? 0),
  };
}

/** One line naming the reminder, as in a digest or a subject. */
export function reminderLine(row: Pick<ReminderOutboxEntity, 'rule' | 'payload' | 'locale'>): string {
  return translate(row.locale, `reminder.${row.rule}.line`, params(row));
}

export function reminderMail(row: ReminderOutboxEntity, publicUrl: string): MailMessage {
  const t = (key: string, extra?: Record<string, string | number>) => translate(row.locale, key, { ...params(row), ...extra });
  const link = row.payload.path ? `${publicUrl.replace(/\/$/, '')}${row.payload.path}` : null;
  const lines = [
    t('mail.greeting', { name: row.recipientName }),
    '',
    t(`reminder.${row.rule}.body`),
    ...(link ? ['', t('reminder.open'), link] : []),
    '',
    t(row.userId ? 'reminder.why_staff' : 'reminder.why_contact'),
    t('mail.signature'),
  ];
  return { to: row.email, subject: t(`reminder.${row.rule}.subject`), text: lines.join('\n'), locale: row.locale, headers: { 'X-Reminder-Key': row.key } };
}

/** One mail listing the reminders a digest holds (the first `items` of `total`, oldest first), the rest counted. */
export function digestMail(row: ReminderOutboxEntity, items: ReminderOutboxEntity[], total: number, publicUrl: string): MailMessage {
  const t = (key: string, extra?: Record<string, string | number>) => translate(row.locale, key, extra);
  const base = publicUrl.replace(/\/$/, '');
  const lines = [
    t('mail.greeting', { name: row.recipientName }),
    '',
    t('reminder.digest.intro', { count: total }),
    '',
    ...items.flatMap((i) => [`- ${reminderLine({ ...i, locale: row.locale })}`, ...(i.payload.path ? [`  ${base}${i.payload.path}`] : [])]),
    ...(total > items.length ? ['', t('reminder.digest.more', { count: total - items.length, url: `${base}/dashboard` })] : []),
    '',
    t('reminder.digest.settings', { url: `${base}/account` }),
    t('mail.signature'),
  ];
  return { to: row.email, subject: t('reminder.digest.subject', { count: total }), text: lines.join('\n'), locale: row.locale, headers: { 'X-Reminder-Key': row.key } };
}
