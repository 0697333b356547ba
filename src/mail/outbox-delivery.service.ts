import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource, In, LessThan, LessThanOrEqual } from 'typeorm';
import { Clock } from '../clock/clock';
import { AppConfig } from '../config/app-config';
import { ReadinessService } from '../health/readiness.service';
import { digestMail, reminderMail } from '../reminders/reminder-mail';
import { ReminderOutboxEntity } from '../reminders/reminder-outbox.entity';
import { isStoredMail, storedMail } from './mail-outbox';
import { MailMessage, MailService } from './mail.service';

/**
 * A sender holds a claimed row for this long; it renews the claim while the mail server takes its
 * time, so only the claims of a sender that died run out, and another sender takes them over.
 */
export const CLAIM_LEASE_MS = 2 * 60_000;
const CLAIM_RENEW_MS = 30_000;
const BATCH = 100;
/** Mails in flight at once: sending is mostly waiting on the mail server (or the disk). */
const CONCURRENCY = 8;
/** A digest lists at most this many reminders; the rest are counted, with a link to the dashboard. */
export const DIGEST_LIST_LIMIT = 100;
const MAX_BACKOFF_MS = 6 * 3600_000;

export interface DeliveryReport {
  sent: number;
  retrying: number;
  failed: number;
  skipped: number;
  /** The mail server refused a connection: delivery stopped for this run, the rest waits. */
  interrupted: boolean;
}

type Outcome = 'sent' | 'skipped' | 'retrying' | 'failed';

/** Wait before attempt n+1 after n failed attempts: 1, 2, 4 … minutes, at most six hours. */
export function backoffMs(attempts: number): number {
  return Math.min(60_000 * 2 ** Math.max(0, attempts - 1), MAX_BACKOFF_MS);
}

/**
 * The Message-ID of an outbox row's mail, from its key: a mail sent again after a crash between
 * the server's acceptance and the row's `sent` mark carries the same one, so the recipient's
 * server and mail client can tell it is the same message.
 */
export function outboxMessageId(key: string, publicUrl: string): string {
  return `<${createHash('sha256').update(key).digest('hex').slice(0, 32)}@${new URL(publicUrl).hostname}>`;
}

/**
 * Sends what the outbox holds, every mail of the portal: reminders and digests, and the mails
 * that changes write in their own transaction (invitations, receipts, notices, clarification
 * requests; `mail-outbox.ts`). Each row is claimed first under a lease (one sender per row,
 * however many run), sent, and marked sent; a refusal puts it back with a later attempt, until
 * the last attempt marks it failed. A digest row gathers its user's waiting reminders when sent.
 */
@Injectable()
export class OutboxDelivery {
  private readonly logger = new Logger(OutboxDelivery.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly mail: MailService,
    private readonly config: AppConfig,
    private readonly readiness: ReadinessService,
    private readonly clock: Clock,
  ) {}

  /** Stops claiming once the instance shuts down: what it has claimed is sent, the rest waits for the next sender. */
  private get stopping(): boolean {
    return this.readiness.isShuttingDown;
  }

  private get outbox() {
    return this.dataSource.getRepository(ReminderOutboxEntity);
  }

  async deliver(now: Date): Promise<DeliveryReport> {
    const report: DeliveryReport = { sent: 0, retrying: 0, failed: 0, skipped: 0, interrupted: false };
    // Claims whose lease ran out belong to a sender that died: the rows are sent again.
    await this.outbox.update({ status: 'sending', claimedAt: LessThan(new Date(now.getTime() - CLAIM_LEASE_MS)) }, { status: 'pending' });
    const tried = new Set<string>();
    for (;;) {
      const rows = await this.outbox.find({ where: { status: 'pending', nextAttemptAt: LessThanOrEqual(now) }, order: { nextAttemptAt: 'ASC', id: 'ASC' }, take: BATCH });
      const fresh = rows.filter((r) => !tried.has(r.id));
      if (!fresh.length || this.stopping) return report;
      await this.sendAll(fresh, now, report, tried);
      if (report.interrupted) return report;
    }
  }

  /**
   * Sends these rows now, if still pending: the mails a request wrote with its change, right after
   * its commit. Returns the ids that went out; the others stay for the next run.
   */
  async deliverNow(ids: string[]): Promise<Set<string>> {
    if (!ids.length) return new Set();
    const now = this.clock.now();
    const rows = await this.outbox.find({ where: { id: In(ids), status: 'pending' } });
    const sent = new Set<string>();
    await this.sendAll(rows, now, { sent: 0, retrying: 0, failed: 0, skipped: 0, interrupted: false }, new Set(), sent);
    return sent;
  }

  private async sendAll(rows: ReminderOutboxEntity[], now: Date, report: DeliveryReport, tried: Set<string>, sentIds?: Set<string>): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (!report.interrupted && !this.stopping && next < rows.length) {
        const row = rows[next++];
        tried.add(row.id);
        const claimed = await this.outbox.update({ id: row.id, status: 'pending' }, { status: 'sending', claimedAt: now, attempts: row.attempts + 1 });
        if (!claimed.affected) continue;
        row.attempts += 1;
        const { outcome, serverDown } = await this.sendOne(row, now);
        report[outcome]++;
        if (outcome === 'sent') sentIds?.add(row.id);
        if (serverDown) report.interrupted = true;
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, rows.length) }, worker));
  }

  private async sendOne(row: ReminderOutboxEntity, now: Date): Promise<{ outcome: Outcome; serverDown?: boolean }> {
    const outbox = this.outbox;
    let items: ReminderOutboxEntity[] = [];
    let total = 0;
    const waiting = { userId: row.targetId, status: 'digest' as const, decidedAt: LessThanOrEqual(now) };
    if (row.rule === 'digest') {
      [items, total] = await outbox.findAndCount({ where: waiting, order: { decidedAt: 'ASC', id: 'ASC' }, take: DIGEST_LIST_LIMIT });
      if (!total) {
        await outbox.update({ id: row.id }, { status: 'skipped', sentAt: now });
        return { outcome: 'skipped' };
      }
    }
    let message: MailMessage;
    if (isStoredMail(row)) message = storedMail(row);
    else message = row.rule === 'digest' ? digestMail(row, items, total, this.config.PUBLIC_URL) : reminderMail(row, this.config.PUBLIC_URL);
    message = { ...message, messageId: outboxMessageId(row.key, this.config.PUBLIC_URL) };
    // The claim is renewed while the server takes its time, so that no other sender takes it over.
    const renew = setInterval(() => {
      void outbox.update({ id: row.id, status: 'sending' }, { claimedAt: this.clock.now() }).catch(() => undefined);
    }, CLAIM_RENEW_MS);
    try {
      await this.mail.send(message);
    } catch (err) {
      clearInterval(renew);
      const failed = row.attempts >= this.config.REMINDER_MAX_ATTEMPTS;
      const reason = (err instanceof Error ? err.message : String(err)).slice(0, 500);
      await outbox.update(
        { id: row.id },
        { status: failed ? 'failed' : 'pending', nextAttemptAt: new Date(now.getTime() + backoffMs(row.attempts)), lastError: reason, claimedAt: null },
      );
      this.logger.warn(`mail ${row.id} (${row.rule}) not sent, attempt ${row.attempts}${failed ? ', giving up' : ''}: ${reason}`);
      return { outcome: failed ? 'failed' : 'retrying', serverDown: isServerDown(err) };
    }
    clearInterval(renew);
    await this.dataSource.transaction(async (m) => {
      // A stored mail keeps its subject for the record; its body (portal links) is not kept once sent.
      const payload = isStoredMail(row) ? { ...row.payload, mail: { ...row.payload.mail!, text: '', html: undefined } } : undefined;
      await m.getRepository(ReminderOutboxEntity).update({ id: row.id }, { status: 'sent', sentAt: now, lastError: null, ...(payload ? { payload } : {}) });
      // Everything the digest stood for, listed or counted.
      if (total) await m.getRepository(ReminderOutboxEntity).update(waiting, { status: 'sent', sentAt: now, digestId: row.id });
    });
    return { outcome: 'sent' };
  }
}

/** A connection-level failure or a temporary (4xx) refusal: the server, not this message, is the problem. */
export function isServerDown(err: unknown): boolean {
  const e = err as { code?: string; responseCode?: number };
  if (e.responseCode !== undefined) return e.responseCode >= 400 && e.responseCode < 500;
  return ['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ECONNREFUSED', 'ECONNRESET', 'EGREETING'].includes(e.code ?? '');
}
