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
import { DeliveryReport, OutboxDelivery } from '../mail/outbox-delivery.service';
import { UserEntity } from '../users/user.entity';
import { newOutboxRow, ReminderOutboxEntity, ReminderPayload } from './reminder-outbox.entity';
import { ReminderRunEntity } from './reminder-run.entity';
import {
  contractNoticeReminder,
  DueReminder,
  questionnaireReminders,
  decisionKey,
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
  /** Milliseconds spent in each phase. */
  timings: { schedule: number; decide: number; digests: number; deliver: number };
}

/** Each row of a sweep query names its staff recipient by id; staff are read once per run. */
interface OwnerRow {
  owner_id: string | null;
}

type Staff = ReadonlyMap<string, Recipient & { role: string }>;

/**
 * The sweep's queries, two per rule. The first (`ids`) reads only a range of an index (status or
 * state, then the date) around today: the ids and dates of what may be due, from the index
 * itself. From those the engine knows which reminders are due and skips those already decided
 * (one indexed look-up per chunk); the second query (`rows`) reads the rest, a thousand at a
 * time, with their vendor (current ones only); its `IN (…)` list is filled in per chunk. So a
 * sweep touches the rows that can be due, never a whole table, and holds at most one chunk of
 * rows at a time. Exported so that the benchmark can record their plans.
 */
/**
 * `ids` reads a rule's candidates from its index; `rows` reads one chunk of them (`:ids`) with
 * their vendor. The chunk's table comes first in a CROSS JOIN, which SQLite takes as the join
 * order (MySQL/MariaDB read it as an inner join): with statistics, SQLite otherwise skip-scanned
 * every current vendor by owner for each chunk, and a catch-up sweep of 100,000 vendors spent a
 * minute deciding.
 */
export interface SweepQuery {
  ids: string;
  rows: string;
}

export const QUESTIONNAIRES_SQL: SweepQuery = {
  ids: `SELECT a.id AS id, a.due_date AS due FROM assessments a WHERE a.status IN ('sent', 'in_progress') AND a.due_date >= ? AND a.due_date <= ?`,
  rows: `SELECT a.id AS id, a.due_date AS due, a.recipient_name AS contact_name, a.recipient_email AS contact_email, a.language AS contact_locale,
                v.id AS vendor_id, v.name AS vendor_name, v.owner_id AS owner_id
           FROM assessments a CROSS JOIN vendors v ON v.id = a.vendor_id
          WHERE v.archived_at IS NULL AND a.status IN ('sent', 'in_progress') AND a.id IN (:ids)`,
};

export const REVIEWS_SQL: SweepQuery = {
  ids: `SELECT r.id AS id, r.due_date AS due, r.kind AS kind FROM review_cycles r WHERE r.state IN ('scheduled', 'in_progress') AND r.due_date <= ?`,
  rows: `SELECT r.id AS id, r.kind AS kind, r.due_date AS due, v.id AS vendor_id, v.name AS vendor_name, v.owner_id AS owner_id
           FROM review_cycles r CROSS JOIN vendors v ON v.id = r.vendor_id
          WHERE v.archived_at IS NULL AND r.state IN ('scheduled', 'in_progress') AND r.id IN (:ids)`,
};

export const CONTRACTS_SQL: SweepQuery = {
  ids: `SELECT c.id AS id, c.notice_deadline AS due FROM contracts c WHERE c.state = 'active' AND c.notice_deadline >= ? AND c.notice_deadline <= ?`,
  rows: `SELECT c.id AS id, c.title AS title, c.notice_deadline AS due, v.id AS vendor_id, v.name AS vendor_name, c.owner_id AS owner_id
           FROM contracts c CROSS JOIN vendors v ON v.id = c.vendor_id
          WHERE v.archived_at IS NULL AND c.state = 'active' AND c.id IN (:ids)`,
};

export const RISKS_SQL: SweepQuery = {
  ids: `SELECT f.id AS id, f.risk_accepted_until AS due FROM findings f WHERE f.status = 'risk_accepted' AND f.risk_accepted_until >= ? AND f.risk_accepted_until <= ?`,
  rows: `SELECT f.id AS id, f.title AS title, f.risk_accepted_until AS due, v.id AS vendor_id, v.name AS vendor_name, COALESCE(f.owner_id, v.owner_id) AS owner_id
           FROM findings f CROSS JOIN vendors v ON v.id = f.vendor_id
          WHERE v.archived_at IS NULL AND f.status = 'risk_accepted' AND f.id IN (:ids)`,
};

export const WAITING_REVIEW_SQL: SweepQuery = {
  ids: `SELECT a.id AS id, a.submitted_at AS submitted FROM assessments a WHERE a.status = 'submitted' AND a.submitted_at < ?`,
  rows: `SELECT a.id AS id, a.submitted_at AS submitted, v.id AS vendor_id, v.name AS vendor_name, v.owner_id AS owner_id
           FROM assessments a CROSS JOIN vendors v ON v.id = a.vendor_id
          WHERE v.archived_at IS NULL AND a.status = 'submitted' AND a.id IN (:ids)`,
};

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
    private readonly delivery: OutboxDelivery,
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
    const report: RunReport = {
      at: now.toISOString(),
      dryRun,
      scheduled: null,
      decided: {},
      digests: 0,
      delivery: null,
      ...(dryRun ? { wouldSend: [] } : {}),
      timings: { schedule: 0, decide: 0, digests: 0, deliver: 0 },
    };
    let mark = performance.now();
    const lap = (phase: keyof RunReport['timings']) => {
      const t = performance.now();
      report.timings[phase] = Math.round(t - mark);
      mark = t;
    };
    const runId = randomUUID();
    if (!dryRun) {
      const scheduleNow = await this.scheduleDue(now);
      await this.dataSource.getRepository(ReminderRunEntity).insert({ id: runId, startedAt: now, finishedAt: null, scheduled: scheduleNow, report: null });
      if (scheduleNow) report.scheduled = await this.cycles.schedule(today);
    }
    lap('schedule');
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
      if (!written) return;
      // Count by rule what this run wrote; when another engine took some of them, read back which.
      const mine = written === rows.length ? rows : await this.dataSource.getRepository(ReminderOutboxEntity).find({ select: { id: true, rule: true }, where: { id: In(rows.map((r) => r.id)) } });
      for (const r of mine) report.decided[r.rule as ReminderRule] = (report.decided[r.rule as ReminderRule] ?? 0) + 1;
    };
    const staff = await this.loadStaff();
    // The rules read different tables: on MySQL/MariaDB their queries and inserts overlap on the pool's connections.
    await Promise.all([
      this.questionnaires(now, today, staff, record),
      this.reviews(now, today, staff, record),
      this.contracts(now, today, staff, record),
      this.risks(now, today, staff, record),
      this.waitingReview(now, today, staff, record),
    ]);
    lap('decide');
    if (!dryRun) {
      report.digests = await this.openDigests(now, today, staff);
      lap('digests');
      if (options.deliver !== false) report.delivery = await this.delivery.deliver(now);
      lap('deliver');
      const { wouldSend: _w, ...summary } = report;
      await this.dataSource.getRepository(ReminderRunEntity).update({ id: runId }, { finishedAt: this.clock.now(), report: summary } as never);
    }
    return report;
  }

  private async questionnaires(now: Date, today: string, staff: Staff, record: (rows: ReminderOutboxEntity[]) => Promise<void>): Promise<void> {
    const s = this.schedule;
    const from = addDays(today, -(1 + s.questionnaireOverdueTimes * s.questionnaireOverdueEveryDays));
    const to = addDays(today, Math.max(0, ...s.questionnaireDueDays));
    await this.pages(
      QUESTIONNAIRES_SQL,
      [from, to],
      (r: { id: string; due: unknown }) => questionnaireReminders(isoDateOf(r.due), today, s).map((d) => decisionKey(d, r.id)),
      async (rows: Array<OwnerRow & { id: string; due: unknown; contact_name: string; contact_email: string; contact_locale: string; vendor_id: string; vendor_name: string }>) => {
        const out: ReminderOutboxEntity[] = [];
        for (const r of rows) {
          const due = isoDateOf(r.due);
          const contact: Recipient = { userId: null, email: r.contact_email, name: r.contact_name, locale: isLocale(r.contact_locale) ? r.contact_locale : 'en', digest: false };
          for (const d of questionnaireReminders(due, today, s)) {
            const to = d.rule === 'questionnaire.escalation' ? (r.owner_id ? (staff.get(r.owner_id) ?? null) : null) : contact;
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
  private async reviews(now: Date, today: string, staff: Staff, record: (rows: ReminderOutboxEntity[]) => Promise<void>): Promise<void> {
    const s = this.schedule;
    await this.pages(
      REVIEWS_SQL,
      [addDays(today, Math.max(0, ...s.reviewDueDays))],
      (r: { id: string; due: unknown; kind: string }) =>
        reviewReminders(isoDateOf(r.due), today, s)
          .filter((d) => d.rule !== 'review.due' || r.kind === 'reassessment')
          .map((d) => decisionKey(d, r.id)),
      async (rows: Array<OwnerRow & { id: string; kind: string; due: unknown; vendor_id: string; vendor_name: string }>) => {
        const out: ReminderOutboxEntity[] = [];
        for (const r of rows) {
          const to = (r.owner_id ? (staff.get(r.owner_id) ?? null) : null);
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

  private async contracts(now: Date, today: string, staff: Staff, record: (rows: ReminderOutboxEntity[]) => Promise<void>): Promise<void> {
    const s = this.schedule;
    await this.pages(
      CONTRACTS_SQL,
      [today, addDays(today, Math.max(0, ...s.contractNoticeDays))],
      (r: { id: string; due: unknown }) => [contractNoticeReminder(isoDateOf(r.due), today, s)].filter((d): d is DueReminder => d !== null).map((d) => decisionKey(d, r.id)),
      async (rows: Array<OwnerRow & { id: string; title: string; due: unknown; vendor_id: string; vendor_name: string }>) => {
        const out: ReminderOutboxEntity[] = [];
        for (const r of rows) {
          const to = (r.owner_id ? (staff.get(r.owner_id) ?? null) : null);
          const d = contractNoticeReminder(isoDateOf(r.due), today, s);
          if (to && d) out.push(this.row(now, d, 'contract', r.id, r.vendor_id, to, { vendorName: r.vendor_name, title: r.title, path: `/contracts/${r.id}` }));
        }
        await record(out);
      },
    );
  }

  private async risks(now: Date, today: string, staff: Staff, record: (rows: ReminderOutboxEntity[]) => Promise<void>): Promise<void> {
    const s = this.schedule;
    await this.pages(
      RISKS_SQL,
      [today, addDays(today, Math.max(0, ...s.riskExpiryDays))],
      (r: { id: string; due: unknown }) => [riskExpiryReminder(isoDateOf(r.due), today, s)].filter((d): d is DueReminder => d !== null).map((d) => decisionKey(d, r.id)),
      async (rows: Array<OwnerRow & { id: string; title: string; due: unknown; vendor_id: string; vendor_name: string }>) => {
        const out: ReminderOutboxEntity[] = [];
        for (const r of rows) {
          const to = (r.owner_id ? (staff.get(r.owner_id) ?? null) : null);
          const d = riskExpiryReminder(isoDateOf(r.due), today, s);
          if (to && d) out.push(this.row(now, d, 'finding', r.id, r.vendor_id, to, { vendorName: r.vendor_name, title: r.title, path: `/findings/${r.id}` }));
        }
        await record(out);
      },
    );
  }

  /** Submitted questionnaires nobody has started to review: to the vendor's owner and to every active reviewer. */
  private async waitingReview(now: Date, today: string, staff: Staff, record: (rows: ReminderOutboxEntity[]) => Promise<void>): Promise<void> {
    const s = this.schedule;
    const reviewers = [...staff.values()].filter((u) => u.role === 'reviewer');
    // Submitted before the end of the day `waitingReviewDays` ago.
    const before = new Date(`${addDays(today, 1 - s.waitingReviewDays)}T00:00:00.000Z`);
    await this.pages(
      WAITING_REVIEW_SQL,
      [this.dataSource.driver.preparePersistentValue(before, this.submittedAt())],
      (r: { id: string; submitted: unknown }) =>
        [waitingReviewReminder(toIsoDate(this.dataSource.driver.prepareHydratedValue(r.submitted, this.submittedAt()) as Date), today, s)]
          .filter((d): d is DueReminder => d !== null)
          .map((d) => decisionKey(d, r.id)),
      async (rows: Array<OwnerRow & { id: string; submitted: unknown; vendor_id: string; vendor_name: string }>) => {
        const out: ReminderOutboxEntity[] = [];
        for (const r of rows) {
          const submittedOn = toIsoDate(this.dataSource.driver.prepareHydratedValue(r.submitted, this.submittedAt()) as Date);
          const d = waitingReviewReminder(submittedOn, today, s);
          if (!d) continue;
          const owner = (r.owner_id ? (staff.get(r.owner_id) ?? null) : null);
          const recipients = [...(owner ? [owner] : []), ...reviewers.filter((x) => x.userId !== owner?.userId)];
          for (const to of recipients) out.push(this.row(now, d, 'assessment', r.id, r.vendor_id, to, { vendorName: r.vendor_name, path: `/assessments/${r.id}/review` }));
        }
        await record(out);
      },
    );
  }

  /** One digest row per user with reminders waiting, once a day from the digest hour. */
  private async openDigests(now: Date, today: string, staff: Staff): Promise<number> {
    if (now.getUTCHours() < this.config.REMINDER_DIGEST_HOUR) return 0;
    const waiting: Array<{ user_id: string }> = await this.dataSource.query(`SELECT DISTINCT x.user_id AS user_id FROM reminder_outbox x WHERE x.status = 'digest'`);
    const rows = waiting
      .map((w) => staff.get(w.user_id))
      .filter((u): u is Recipient & { role: string } => u !== undefined)
      .map((u) => {
        const key = `digest|${u.userId}|${today}`;
        return this.outboxRow(now, { key, decision: `digest|${today}`, rule: 'digest', targetType: 'user', targetId: u.userId!, vendorId: null }, { ...u, digest: false }, { date: today });
      });
    if (!rows.length) return 0;
    return this.dataSource.transaction((m) => insertIgnore(m, ReminderOutboxEntity, rows));
  }

  /**
   * Finds the ids a rule may concern (an index range) with the decisions due for each; skips the
   * ids whose decisions were all made by an earlier run; reads and hands on the others' rows, a
   * chunk at a time.
   */
  private async pages<I extends { id: string }, R extends { id: string }>(q: SweepQuery, params: unknown[], decisionsOf: (row: I) => string[], handle: (rows: R[]) => Promise<void>): Promise<void> {
    const ids: I[] = await this.dataSource.query(q.ids, params);
    const outbox = this.dataSource.getRepository(ReminderOutboxEntity);
    for (let i = 0; i < ids.length; i += BATCH) {
      const wanted = ids.slice(i, i + BATCH).map((r) => ({ id: r.id, decisions: decisionsOf(r) })).filter((r) => r.decisions.length > 0);
      const keys = wanted.flatMap((w) => w.decisions);
      if (!keys.length) continue;
      const made = new Set((await outbox.createQueryBuilder('x').select('DISTINCT x.decision', 'decision').where('x.decision IN (:...keys)', { keys }).getRawMany<{ decision: string }>()).map((r) => r.decision));
      const todo = wanted.filter((w) => w.decisions.some((d) => !made.has(d))).map((w) => w.id);
      if (!todo.length) continue;
      const rows: R[] = await this.dataSource.query(q.rows.replace(':ids', todo.map(() => '?').join(', ')), todo);
      if (rows.length) await handle(rows);
    }
  }

  /** The column `submitted_at`, whose values the driver converts (text on SQLite, DATETIME on MySQL). */
  private submittedAt() {
    return this.dataSource.getMetadata(AssessmentEntity).findColumnWithPropertyName('submittedAt')!;
  }

  /**
   * Whether this run synchronises the review cycles: when no run did in the last
   * REMINDER_SCHEDULE_EVERY_MINUTES (0: every run). The sync reads every vendor, contract and
   * accepted risk; what it finds changes slowly, and completing a review closes its cycle at once.
   */
  private async scheduleDue(now: Date): Promise<boolean> {
    const every = this.config.REMINDER_SCHEDULE_EVERY_MINUTES;
    if (every === 0) return true;
    const recent = await this.dataSource
      .getRepository(ReminderRunEntity)
      .createQueryBuilder('r')
      .where('r.scheduled = :yes AND r.startedAt > :since AND r.startedAt <= :now', { yes: true, since: new Date(now.getTime() - every * 60_000), now })
      .getExists();
    return !recent;
  }

  /** Active staff by id, as recipients (disabled users receive nothing). */
  private async loadStaff(): Promise<Staff> {
    const users = await this.dataSource
      .getRepository(UserEntity)
      .find({ select: { id: true, email: true, name: true, locale: true, role: true, reminderDelivery: true }, where: { disabled: false } });
    return new Map(
      users.map((u) => [u.id, { userId: u.id, email: u.email, name: u.name, locale: isLocale(u.locale) ? u.locale : 'en', digest: u.reminderDelivery === 'digest', role: u.role }]),
    );
  }

  private row(now: Date, d: DueReminder, targetType: ReminderOutboxEntity['targetType'], targetId: string, vendorId: string | null, to: Recipient, payload: ReminderPayload): ReminderOutboxEntity {
    return this.outboxRow(now, { key: reminderKey(d, targetId, to.userId ?? 'contact'), decision: decisionKey(d, targetId), rule: d.rule, targetType, targetId, vendorId }, to, { date: d.date, daysLeft: d.daysLeft, ...payload });
  }

  private outboxRow(
    now: Date,
    what: Pick<ReminderOutboxEntity, 'key' | 'decision' | 'rule' | 'targetType' | 'targetId' | 'vendorId'>,
    to: Recipient,
    payload: ReminderPayload,
  ): ReminderOutboxEntity {
    return newOutboxRow({
      ...what,
      recipient: to.userId ?? 'contact',
      userId: to.userId,
      email: to.email,
      recipientName: to.name,
      locale: to.locale,
      payload,
      status: to.digest ? 'digest' : 'pending',
      decidedAt: now,
      nextAttemptAt: now,
    });
  }

  /** Of the given rows, those no run has decided yet (by decision and recipient). */
  private async notYetDecided(rows: ReminderOutboxEntity[]): Promise<ReminderOutboxEntity[]> {
    const existing = await this.dataSource.getRepository(ReminderOutboxEntity).find({ select: { decision: true, recipient: true }, where: { decision: In([...new Set(rows.map((r) => r.decision))]) } });
    const taken = new Set(existing.map((e) => `${e.decision}|${e.recipient}`));
    return rows.filter((r) => !taken.has(`${r.decision}|${r.recipient}`));
  }
}
