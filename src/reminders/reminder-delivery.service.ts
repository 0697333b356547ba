import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, LessThan, LessThanOrEqual } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { MailService } from '../mail/mail.service';
import { ReadinessService } from '../health/readiness.service';
import { digestMail, reminderMail } from './reminder-mail';
import { ReminderOutboxEntity } from './reminder-outbox.entity';

/** A claim older than this belongs to a sender that died mid-send: the row is sent again. */
const STALE_CLAIM_MS = 15 * 60_000;
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

/** Wait before attempt n+1 after n failed attempts: 1, 2, 4 … minutes, at most six hours. */
export function backoffMs(attempts: number): number {
  return Math.min(60_000 * 2 ** Math.max(0, attempts - 1), MAX_BACKOFF_MS);
}

/**
 * Sends what the outbox holds: each row claimed first (one sender per row, however many run),
 * sent, and marked sent; a refusal puts it back with a later attempt, until the last attempt
 * marks it failed. A digest row gathers its user's waiting reminders when it is sent.
 */
@Injectable()
export class ReminderDeliveryService {
  private readonly logger = new Logger(ReminderDeliveryService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly mail: MailService,
    private readonly config: AppConfig,
    private readonly readiness: ReadinessService,
  ) {}

  /** Stops claiming once the instance shuts down: what it has claimed is sent, the rest waits for the next sender. */
  private get stopping(): boolean {
    return this.readiness.isShuttingDown;
  }

  async deliver(now: Date): Promise<DeliveryReport> {
    const report: DeliveryReport = { sent: 0, retrying: 0, failed: 0, skipped: 0, interrupted: false };
    const outbox = this.dataSource.getRepository(ReminderOutboxEntity);
    await outbox.update({ status: 'sending', claimedAt: LessThan(new Date(now.getTime() - STALE_CLAIM_MS)) }, { status: 'pending' });
    const tried = new Set<string>();
    for (;;) {
      const rows = await outbox.find({ where: { status: 'pending', nextAttemptAt: LessThanOrEqual(now) }, order: { nextAttemptAt: 'ASC', id: 'ASC' }, take: BATCH });
      const fresh = rows.filter((r) => !tried.has(r.id));
      if (!fresh.length || this.stopping) return report;
      let next = 0;
      const worker = async () => {
        while (!report.interrupted && !this.stopping && next < fresh.length) {
          const row = fresh[next++];
          tried.add(row.id);
          const claimed = await outbox.update({ id: row.id, status: 'pending' }, { status: 'sending', claimedAt: now, attempts: row.attempts + 1 });
          if (!claimed.affected) continue;
          row.attempts += 1;
          const { outcome, serverDown } = await this.sendOne(row, now);
          report[outcome]++;
          if (serverDown) report.interrupted = true;
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      if (report.interrupted) return report;
    }
  }

  private async sendOne(row: ReminderOutboxEntity, now: Date): Promise<{ outcome: 'sent' | 'skipped' | 'retrying' | 'failed'; serverDown?: boolean }> {
    const outbox = this.dataSource.getRepository(ReminderOutboxEntity);
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
    const message = row.rule === 'digest' ? digestMail(row, items, total, this.config.PUBLIC_URL) : reminderMail(row, this.config.PUBLIC_URL);
    try {
      await this.mail.send(message);
    } catch (err) {
      const failed = row.attempts >= this.config.REMINDER_MAX_ATTEMPTS;
      const reason = (err instanceof Error ? err.message : String(err)).slice(0, 500);
      await outbox.update(
        { id: row.id },
        { status: failed ? 'failed' : 'pending', nextAttemptAt: new Date(now.getTime() + backoffMs(row.attempts)), lastError: reason, claimedAt: null },
      );
      this.logger.warn(`reminder ${row.id} (${row.rule}) not sent, attempt ${row.attempts}${failed ? ', giving up' : ''}: ${reason}`);
      return { outcome: failed ? 'failed' : 'retrying', serverDown: isServerDown(err) };
    }
    await this.dataSource.transaction(async (m) => {
      await m.getRepository(ReminderOutboxEntity).update({ id: row.id }, { status: 'sent', sentAt: now, lastError: null });
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
