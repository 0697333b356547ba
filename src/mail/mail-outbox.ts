import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { newOutboxRow, ReminderOutboxEntity } from '../reminders/reminder-outbox.entity';
import type { MailMessage } from './mail.service';

/** The mails that changes write with themselves, besides reminders and digests. */
export type StoredMailKind = 'invitation' | 'receipt' | 'submitted' | 'clarification';

export interface MailAbout {
  kind: StoredMailKind;
  targetType: ReminderOutboxEntity['targetType'];
  targetId: string;
  vendorId?: string | null;
  userId?: string | null;
  recipientName: string;
}

const STORED_PREFIX = 'mail.';

/**
 * Writes a mail to the outbox with the change that causes it, in the caller's transaction:
 * if the change commits, the mail goes out (now, or after a crash by the next sender); if it
 * rolls back, there is no mail. Returns the row id, for `OutboxDelivery.deliverNow` after the
 * commit. The body is kept until the mail is sent, then dropped (it may hold a portal link).
 */
export async function enqueueMail(m: EntityManager, message: MailMessage, about: MailAbout, now: Date): Promise<string> {
  const id = randomUUID();
  const row = newOutboxRow({
    key: `mail|${about.kind}|${id}`,
    decision: `mail|${id}`,
    recipient: about.userId ? about.userId : 'contact',
    rule: `${STORED_PREFIX}${about.kind}`,
    targetType: about.targetType,
    targetId: about.targetId,
    vendorId: about.vendorId ?? null,
    userId: about.userId ?? null,
    email: message.to,
    recipientName: about.recipientName.slice(0, 120),
    locale: message.locale ?? 'en',
    payload: { mail: { subject: message.subject, text: message.text, ...(message.html !== undefined ? { html: message.html } : {}), ...(message.headers ? { headers: message.headers } : {}) } },
    status: 'pending',
    decidedAt: now,
    nextAttemptAt: now,
  });
  row.id = id;
  await m.getRepository(ReminderOutboxEntity).insert(row);
  return id;
}

export function isStoredMail(row: Pick<ReminderOutboxEntity, 'rule' | 'payload'>): boolean {
  return row.rule.startsWith(STORED_PREFIX) && !!row.payload?.mail;
}

/** The message a stored row holds. */
export function storedMail(row: ReminderOutboxEntity): MailMessage {
  const mail = row.payload.mail!;
  return { to: row.email, subject: mail.subject, text: mail.text, ...(mail.html !== undefined ? { html: mail.html } : {}), locale: row.locale, ...(mail.headers ? { headers: mail.headers } : {}) };
}
