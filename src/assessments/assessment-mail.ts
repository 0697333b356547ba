/** The emails of an assessment, in the recipient's language. Bodies carry portal links: never log them. */
import { Locale, translate } from '../i18n/i18n';
import type { MailMessage } from '../mail/mail.service';

function dateText(locale: Locale, iso: string | Date): string {
  const d = typeof iso === 'string' ? new Date(`${iso}T00:00:00Z`) : iso;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(d);
}

export function invitationMail(p: {
  to: string;
  name: string;
  vendorName: string;
  dueDate: string;
  expiresAt: Date;
  url: string;
  message: string | null;
  locale: Locale;
}): MailMessage {
  const t = (key: string, params?: Record<string, string | number>) => translate(p.locale, key, params);
  const lines = [
    t('mail.greeting', { name: p.name }),
    '',
    t('mail.invite.intro', { vendor: p.vendorName }),
    t('mail.invite.due', { date: dateText(p.locale, p.dueDate) }),
    ...(p.message ? ['', p.message] : []),
    '',
    t('mail.invite.link'),
    p.url,
    '',
    t('mail.invite.expiry', { date: dateText(p.locale, p.expiresAt) }),
    t('mail.invite.private'),
    '',
    t('mail.signature'),
  ];
  return { to: p.to, subject: t('mail.invite.subject', { vendor: p.vendorName }), text: lines.join('\n'), locale: p.locale };
}

export function receiptMail(p: { to: string; name: string; vendorName: string; submittedAt: Date; answered: number; files: number; locale: Locale }): MailMessage {
  const t = (key: string, params?: Record<string, string | number>) => translate(p.locale, key, params);
  const text = [
    t('mail.greeting', { name: p.name }),
    '',
    t('mail.receipt.body', { vendor: p.vendorName, date: dateText(p.locale, p.submittedAt) }),
    t('mail.receipt.counts', { answered: p.answered, files: p.files }),
    '',
    t('mail.signature'),
  ].join('\n');
  return { to: p.to, subject: t('mail.receipt.subject', { vendor: p.vendorName }), text, locale: p.locale };
}

export function submittedNoticeMail(p: { to: string; ownerName: string; vendorName: string; url: string; locale: Locale }): MailMessage {
  const t = (key: string, params?: Record<string, string | number>) => translate(p.locale, key, params);
  const text = [t('mail.greeting', { name: p.ownerName }), '', t('mail.submitted.body', { vendor: p.vendorName }), p.url, '', t('mail.signature')].join('\n');
  return { to: p.to, subject: t('mail.submitted.subject', { vendor: p.vendorName }), text, locale: p.locale };
}

export function clarificationMail(p: { to: string; name: string; vendorName: string; message: string; questions: string[]; url: string; locale: Locale }): MailMessage {
  const t = (key: string, params?: Record<string, string | number>) => translate(p.locale, key, params);
  const text = [
    t('mail.greeting', { name: p.name }),
    '',
    t('mail.clarify.body', { vendor: p.vendorName }),
    '',
    p.message,
    '',
    ...p.questions.map((q) => `- ${q}`),
    '',
    t('mail.clarify.link'),
    p.url,
    '',
    t('mail.signature'),
  ].join('\n');
  return { to: p.to, subject: t('mail.clarify.subject', { vendor: p.vendorName }), text, locale: p.locale };
}
