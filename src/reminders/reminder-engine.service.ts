import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, In } from 'typeorm';
import { AssessmentEntity } from '../assessments/assessment.entity';
import { Clock } from '../clock/clock';
import { addDays, toIsoDate } from '../common/dates';
import { AppConfig } from '../config/app-config';
import { insertIgnore } from '../database/insert-ignore';
import { isLocale } from '../i18n/i18n';
import { isoDateOf, ReviewCyclesService, ScheduleResult } from '../review-cycles/review-cycles.service';
import { DeliveryReport, ReminderDeliveryService } from './reminder-delivery.service';
import { ReminderOutboxEntity, ReminderPayload } from './reminder-outbox.entity';
import {
  contractNoticeReminder,
  DueReminder,
  questionnaireReminders,
  reminderKey,
  ReminderRule,
  ReminderSchedule,
  reviewReminders,
  riskExpiryReminder,
  waitingReviewReminder,
} from './reminder-rules';

const BATCH = 1000;

export interface Recipient {
  /** The staff user; null for a vendor contact. */
  userId: string | null;
  email: string;
  name: string;
  locale: 'en' | 'zh-CN';
  /** Waits for the user's daily digest instead of going out alone. */
  digest: boolean;
}

export interface RunReport {
  at: string;
  dryRun: boolean;
  scheduled: ScheduleResult | null;
  /** Reminders decided in this run (new outbox rows), by rule; in a dry run, those that would be. */
  decided: Partial<Record<ReminderRule, number>>;
  digests: number;
  delivery: DeliveryReport | null;
  /** In a dry run: what would be decided, one line each. */
  wouldSend?: Array<{ rule: ReminderRule; to: string; key: string }>;
}

interface StaffRow {
  owner_id: string;
  owner_email: string;
  owner_name: string;
  owner_locale: string;
  owner_delivery: string;
  owner_disabled: unknown;
}

const STAFF_COLUMNS = 'o.id AS owner_id, o.email AS owner_email, o.name AS owner_name, o.locale AS owner_locale, o.reminder_delivery AS owner_delivery, o.disabled AS owner_disabled';
const truthy = (v: unknown) => v === true || v === 1 || v === '1';

/**
 * The reminder engine: one run schedules the review cycles, decides every reminder due today
 * (each an outbox row with a unique key, inserted or ignored in one statement, so decisions are
 * made once however many engines run), opens the day's digests, and delivers the outbox. Every
 * query is a batched, index-driven range over what can be due around today.
 */
@Injectable()
export class ReminderEngine {
  private readonly logger = new Logger(ReminderEngine.name);
  readonly schedule: ReminderSchedule;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cycles: ReviewCyclesService,
    private readonly delivery: ReminderDeliveryService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {
    this.schedule = {
      questionnaireDueDays: config.REMINDER_QUESTIONNAIRE_DUE_DAYS,
      questionnaireOverdueEveryDays: config.REMINDER_QUESTIONNAIRE_OVERDUE_EVERY_DAYS,
      questionnaireOverdueTimes: config.REMINDER_QUESTIONNAIRE_OVERDUE_TIMES,
      reviewDueDays: config.REMINDER_REVIEW_DUE_DAYS,
      reviewOverdueEveryDays: config.REMINDER_REVIEW_OVERDUE_EVERY_DAYS,
      contractNoticeDays: config.REMINDER_CONTRACT_NOTICE_DAYS,
      riskExpiryDays: config.REMINDER_RISK_EXPIRY_DAYS,
      waitingReviewDays: config.REMINDER_WAITING_REVIEW_DAYS,
    };
  }

  /** One sweep. `dryRun` writes nothing (no scheduling, no outbox rows, no mail) and lists what it would send. */
  async run(options: { dryRun?: boolean; deliver?: boolean } = {}): Promise<RunReport> {
    const now = this.clock.now();
    const today = toIsoDate(now);
    const dryRun = options.dryRun ?? false;
    const report: RunReport = { at: now.toISOString(), dryRun, scheduled: null, decided: {}, digests: 0, delivery: null, ...(dryRun ? { wouldSend: [] } : {}) };
    if (!dryRun) report.scheduled = await this.cycles.schedule(today);
    const record = async (rows: ReminderOutboxEntity[]) => {
      if (!rows.length) return;
      const fresh = dryRun ? await this.notYetDecided(rows) : rows;
      if (dryRun) {
        for (const r of fresh) {
          report.decided[r.rule as ReminderRule] = (report.decided[r.rule as ReminderRule] ?? 0) + 1;
          report.wouldSend!.push({ rule: r.rule as ReminderRule, to: r.email, key: r.key });
        }
        return;
      }
      const written = await this.dataSource.transaction((m) => insertIgnore(m, ReminderOutboxEntity, rows));
      if (written) {
        // Count by rule only what was written (re-read: a concurrent engine may have taken some).
        const mine = await this.dataSource.getRepository(ReminderOutboxEntity).find({ select: { id: true, rule: true }, where: { id: In(rows.map((r) => r.id)) } });
        for (const r of mine) report.decided[r.rule as ReminderRule] = (report.decided[r.rule as ReminderRule] ?? 0) + 1;
      }
    };
    await this.questionnaires(now, today, record);
    await this.reviews(now, today, record);
    await this.contracts(now, today, record);
    await this.risks(now, today, record);
    await this.waitingReview(now, today, record);
    if (!dryRun) {
      report.digests = await this.openDigests(now, today);
      if (options.deliver !== false) report.delivery = await this.delivery.deliver(now);
    }
    return report;
  }

  private async questionnaires(now: Date, today: string, record: (rows: ReminderOutboxEntity[]) => Promise<void>): Promise<void> {
    const s = this.schedule;
    const from = addDays(today, -(1 + s.questionnaireOverdueTimes * s.questionnaireOverdueEveryDays));
    const to = addDays(today, Math.max(0, ...s.questionnaireDueDays));
    await this.pages(
      `SELECT a.id AS id, a.due_date AS due, a.recipient_name AS contact_name, a.recipient_email AS contact_email, a.language AS contact_locale,
              v.id AS vendor_id, v.name AS vendor_name, ${STAFF_COLUMNS}
         FROM assessments a JOIN vendors v ON v.id = a.vendor_id JOIN users o ON o.id = v.owner_id
        WHERE a.status IN ('sent', 'in_progress') AND a.due_date >= ? AND a.due_date <= ? AND v.archived_at IS NULL AND a.id > ?
        ORDER BY a.id LIMIT ${BATCH}`,
      [from, to],
      async (rows: Array<StaffRow & { id: string; due: unknown; contact_name: string; contact_email: string; contact_locale: string; vendor_id: string; vendor_name: string }>) => {
        const out: ReminderOutboxEntity[] = [];
        for (const r of rows) {
          const due = isoDateOf(r.due);
          const contact: Recipient = { userId: null, email: r.contact_email, name: r.contact_name, locale: isLocale(r.contact_locale) ? r.contact_locale : 'en', digest: false };
          for (const d of questionnaireReminders(due, today, s)) {
            const to = d.rule === 'questionnaire.escalation' ? this.staff(r) : contact;
            if (!to) continue;
            out.push(this.row(now, d, 'assessment', r.id, r.vendor_id, to, { vendorName: r.vendor_name, ...(to.userId ? { path: `/assessments/${r.id}` } : {}) }));
          }
        }
        await record(out);
      },
    );
  }

  /**
   * Re-assessments due and every open review overdue. Contract renewals and accepted risks have
   * their own reminders before their dates (notice deadline, expiry), so only their overdue ones come from here.
   */
  private async reviews(now: Date, today: string, record: (rows: ReminderOutboxEntity[]) => Promise<void>): Promise<void> {
    const s = this.schedule;
    await this.pages(
      `SELECT r.id AS id, r.kind AS kind, r.due_date AS due, v.id AS vendor_id, v.name AS vendor_name, ${STAFF_COLUMNS}
         FROM review_cycles r JOIN vendors v ON v.id = r.vendor_id JOIN users o ON o.id = v.owner_id
        WHERE r.state IN ('scheduled', 'in_progress') AND r.due_date <= ? AND v.archived_at IS NULL AND r.id > ?
        ORDER BY r.id LIMIT ${BATCH}`,
      [addDays(today, Math.max(0, ...s.reviewDueDays))],
      async (rows: Array<StaffRow & { id: string; kind: string; due: unknown; vendor_id: string; vendor_name: string }>) => {
        const out: ReminderOutboxEntity[] = [];
        for (const r of rows) {
          const to = this.staff(r);
          if (!to) continue;
          for (const d of reviewReminders(isoDateOf(r.due), today, s)) {
            if (d.rule === 'review.due' && r.kind !== 'reassessment') continue;
            out.push(this.row(now, d, 'review', r.id, r.vendor_id, to, { vendorName: r.vendor_name, title: r.kind, path: `/reviews/${r.id}` }));
          }
        }
        await record(out);
      },
    );
  }

  private async contracts(now: Date, today: string, record: (rows: ReminderOutboxEntity[]) => Promise<void>): Promise<void> {
    const s = this.schedule;
    await this.pages(
      `SELECT c.id AS id, c.title AS title, c.notice_deadline AS due, v.id AS vendor_id, v.name AS vendor_name, ${STAFF_COLUMNS}
         FROM contracts c JOIN vendors v ON v.id = c.vendor_id JOIN users o ON o.id = c.owner_id
        WHERE c.state = 'active' AND c.notice_deadline >= ? AND c.notice_deadline <= ? AND v.archived_at IS NULL AND c.id > ?
        ORDER BY c.id LIMIT ${BATCH}`,
      [today, addDays(today, Math.max(0, ...s.contractNoticeDays))],
      async (rows: Array<StaffRow & { id: string; title: string; due: unknown; vendor_id: string; vendor_name: string }>) => {
        const out: ReminderOutboxEntity[] = [];
        for (const r of rows) {
          const to = this.staff(r);
          const d = contractNoticeReminder(isoDateOf(r.due), today, s);
          if (to && d) out.push(this.row(now, d, 'contract', r.id, r.vendor_id, to, { vendorName: r.vendor_name, title: r.title, path: `/contracts/${r.id}` }));
        }
        await record(out);
      },
    );
  }

  private async risks(now: Date, today: string, record: (rows: ReminderOutboxEntity[]) => Promise<void>): Promise<void> {
    const s = this.schedule;
    await this.pages(
      `SELECT f.id AS id, f.title AS title, f.risk_accepted_until AS due, v.id AS vendor_id, v.name AS vendor_name, ${STAFF_COLUMNS}
         FROM findings f JOIN vendors v ON v.id = f.vendor_id JOIN users o ON o.id = COALESCE(f.owner_id, v.owner_id)
        WHERE f.status = 'risk_accepted' AND f.risk_accepted_until >= ? AND f.risk_accepted_until <= ? AND v.archived_at IS NULL AND f.id > ?
        ORDER BY f.id LIMIT ${BATCH}`,
      [today, addDays(today, Math.max(0, ...s.riskExpiryDays))],
      async (rows: Array<StaffRow & { id: string; title: string; due: unknown; vendor_id: string; vendor_name: string }>) => {
        const out: ReminderOutboxEntity[] = [];
        for (const r of rows) {
          const to = this.staff(r);
          const d = riskExpiryReminder(isoDateOf(r.due), today, s);
          if (to && d) out.push(this.row(now, d, 'finding', r.id, r.vendor_id, to, { vendorName: r.vendor_name, title: r.title, path: `/findings/${r.id}` }));
        }
        await record(out);
      },
    );
  }

  /** Submitted questionnaires nobody has started to review: to the vendor's owner and to every active reviewer. */
  private async waitingReview(now: Date, today: string, record: (rows: ReminderOutboxEntity[]) => Promise<void>): Promise<void> {
    const s = this.schedule;
    const reviewers: Recipient[] = (
      await this.dataSource.query(`SELECT o.id AS owner_id, o.email AS owner_email, o.name AS owner_name, o.locale AS owner_locale, o.reminder_delivery AS owner_delivery, o.disabled AS owner_disabled FROM users o WHERE o.role = 'reviewer'`)
    )
      .map((r: StaffRow) => this.staff(r))
      .filter((r: Recipient | null): r is Recipient => r !== null);
    // Submitted before the end of the day `waitingReviewDays` ago.
    const before = new Date(`${addDays(today, 1 - s.waitingReviewDays)}T00:00:00.000Z`);
    await this.pages(
      `SELECT a.id AS id, a.submitted_at AS submitted, v.id AS vendor_id, v.name AS vendor_name, ${STAFF_COLUMNS}
         FROM assessments a JOIN vendors v ON v.id = a.vendor_id JOIN users o ON o.id = v.owner_id
        WHERE a.status = 'submitted' AND a.submitted_at < ? AND v.archived_at IS NULL AND a.id > ?
        ORDER BY a.id LIMIT ${BATCH}`,
      [this.dataSource.driver.preparePersistentValue(before, this.submittedAt())],
      async (rows: Array<StaffRow & { id: string; submitted: unknown; vendor_id: string; vendor_name: string }>) => {
        const out: ReminderOutboxEntity[] = [];
        for (const r of rows) {
          const submittedOn = toIsoDate(this.dataSource.driver.prepareHydratedValue(r.submitted, this.submittedAt()) as Date);
          const d = waitingReviewReminder(submittedOn, today, s);
          if (!d) continue;
          const owner = this.staff(r);
          const recipients = [...(owner ? [owner] : []), ...reviewers.filter((x) => x.userId !== owner?.userId)];
          for (const to of recipients) out.push(this.row(now, d, 'assessment', r.id, r.vendor_id, to, { vendorName: r.vendor_name, path: `/assessments/${r.id}/review` }));
        }
        await record(out);
      },
    );
  }

  /** One digest row per user with reminders waiting, once a day from the digest hour. */
  private async openDigests(now: Date, today: string): Promise<number> {
    if (now.getUTCHours() < this.config.REMINDER_DIGEST_HOUR) return 0;
    const users: Array<StaffRow> = await this.dataSource.query(
      `SELECT DISTINCT o.id AS owner_id, o.email AS owner_email, o.name AS owner_name, o.locale AS owner_locale, o.reminder_delivery AS owner_delivery, o.disabled AS owner_disabled
         FROM reminder_outbox x JOIN users o ON o.id = x.user_id WHERE x.status = 'digest'`,
    );
    const rows = users
      .map((u) => this.staff(u))
      .filter((u): u is Recipient => u !== null)
      .map((u) => this.outboxRow(now, { key: `digest|${u.userId}|${today}`, rule: 'digest', targetType: 'user', targetId: u.userId!, vendorId: null }, { ...u, digest: false }, { date: today }));
    if (!rows.length) return 0;
    return this.dataSource.transaction((m) => insertIgnore(m, ReminderOutboxEntity, rows));
  }

  /** Runs a keyset-paged query (its last parameter is the id to start after) and hands each page on. */
  private async pages<R extends { id: string }>(sql: string, params: unknown[], handle: (rows: R[]) => Promise<void>): Promise<void> {
    let after = '';
    for (;;) {
      const rows: R[] = await this.dataSource.query(sql, [...params, after]);
      if (!rows.length) return;
      await handle(rows);
      if (rows.length < BATCH) return;
      after = rows[rows.length - 1].id;
    }
  }

  /** The column `submitted_at`, whose values the driver converts (text on SQLite, DATETIME on MySQL). */
  private submittedAt() {
    return this.dataSource.getMetadata(AssessmentEntity).findColumnWithPropertyName('submittedAt')!;
  }

  private staff(r: StaffRow): Recipient | null {
    if (!r.owner_id || truthy(r.owner_disabled)) return null;
    return { userId: r.owner_id, email: r.owner_email, name: r.owner_name, locale: isLocale(r.owner_locale) ? r.owner_locale : 'en', digest: r.owner_delivery === 'digest' };
  }

  private row(now: Date, d: DueReminder, targetType: ReminderOutboxEntity['targetType'], targetId: string, vendorId: string | null, to: Recipient, payload: ReminderPayload): ReminderOutboxEntity {
    return this.outboxRow(now, { key: reminderKey(d, targetId, to.userId ?? 'contact'), rule: d.rule, targetType, targetId, vendorId }, to, { date: d.date, daysLeft: d.daysLeft, ...payload });
  }

  private outboxRow(
    now: Date,
    what: Pick<ReminderOutboxEntity, 'key' | 'rule' | 'targetType' | 'targetId' | 'vendorId'>,
    to: Recipient,
    payload: ReminderPayload,
  ): ReminderOutboxEntity {
    return {
      id: randomUUID(),
      ...what,
      userId: to.userId,
      email: to.email,
      recipientName: to.name,
      locale: to.locale,
      payload,
      status: to.digest ? 'digest' : 'pending',
      attempts: 0,
      decidedAt: now,
      nextAttemptAt: now,
      claimedAt: null,
      sentAt: null,
      digestId: null,
      lastError: null,
    };
  }

  /** Of the given rows, those whose key no run has decided yet. */
  private async notYetDecided(rows: ReminderOutboxEntity[]): Promise<ReminderOutboxEntity[]> {
    const existing = await this.dataSource.getRepository(ReminderOutboxEntity).find({ select: { key: true }, where: { key: In(rows.map((r) => r.key)) } });
    const taken = new Set(existing.map((e) => e.key));
    return rows.filter((r) => !taken.has(r.key));
  }
}
