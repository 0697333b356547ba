import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuditActor } from '../audit/audit-context';
import { AuditService } from '../audit/audit.service';
import { hashToken, newSessionToken } from '../auth/session-token';
import { AssessmentEntity } from '../assessments/assessment.entity';
import { Clock } from '../clock/clock';
import { addDays, toIsoDate } from '../common/dates';
import { AppConfig } from '../config/app-config';
import { ContractEntity } from '../contracts/contract.entity';
import { translate, type Locale, isLocale } from '../i18n/i18n';
import { FindingEntity } from '../reviews/finding.entity';
import { ReviewCycleEntity } from '../review-cycles/review-cycle.entity';
import { UserEntity } from '../users/user.entity';
import { CalendarEvent, writeCalendar } from './ics-writer';

/** Events from this many days back… */
const PAST_DAYS = 90;
/** …to this many ahead, at most this many of each kind. */
const AHEAD_DAYS = 730;
const PER_KIND = 2000;

/**
 * Each staff user's calendar feed: the review dates of the vendors they own, the notice
 * deadlines and ends of their contracts, their vendors' questionnaire due dates and the ends of
 * the risks they accepted, behind a secret URL. Only the secret's hash is stored; making a new
 * one ends the old URL.
 */
@Injectable()
export class CalendarService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /** A new secret URL for the user (shown once); the previous one stops working. */
  async regenerate(userId: string, actor: AuditActor): Promise<string> {
    const token = newSessionToken();
    await this.dataSource.transaction(async (m) => {
      await m.getRepository(UserEntity).update({ id: userId }, { calendarTokenHash: hashToken(token), updatedAt: this.clock.now() });
      await this.audit.record(actor, { action: 'user.calendar_feed', targetType: 'user', targetId: userId, details: { feed: 'regenerated' } }, m);
    });
    return this.feedUrl(token);
  }

  async disable(userId: string, actor: AuditActor): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      await m.getRepository(UserEntity).update({ id: userId }, { calendarTokenHash: null, updatedAt: this.clock.now() });
      await this.audit.record(actor, { action: 'user.calendar_feed', targetType: 'user', targetId: userId, details: { feed: 'disabled' } }, m);
    });
  }

  feedUrl(token: string): string {
    return `${this.config.PUBLIC_URL.replace(/\/$/, '')}/calendar/${token}.ics`;
  }

  /** The feed behind a secret, or null for an unknown secret or a disabled user. */
  async feed(token: string): Promise<string | null> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
    const user = await this.dataSource.getRepository(UserEntity).findOne({ select: { id: true, name: true, locale: true, disabled: true }, where: { calendarTokenHash: hashToken(token) } });
    if (!user || user.disabled) return null;
    const locale: Locale = isLocale(user.locale) ? user.locale : 'en';
    const t = (key: string, params: Record<string, string>) => translate(locale, key, params);
    const now = this.clock.now();
    const from = addDays(toIsoDate(now), -PAST_DAYS);
    const to = addDays(toIsoDate(now), AHEAD_DAYS);
    const base = this.config.PUBLIC_URL.replace(/\/$/, '');
    const host = new URL(base).hostname;
    const events: CalendarEvent[] = [];

    const reviews = await this.dataSource
      .getRepository(ReviewCycleEntity)
      .createQueryBuilder('r')
      .innerJoin('r.vendor', 'v')
      .select(['r.id', 'r.kind', 'r.dueDate', 'v.name'])
      .where("r.state IN ('scheduled', 'in_progress') AND v.ownerId = :user AND v.archivedAt IS NULL AND r.dueDate BETWEEN :from AND :to", { user: user.id, from, to })
      .orderBy('r.dueDate', 'ASC')
      .take(PER_KIND)
      .getMany();
    for (const r of reviews) {
      events.push({ uid: `review-${r.id}@${host}`, date: r.dueDate, summary: t(`calendar.review.${r.kind}`, { vendor: r.vendor!.name }), url: `${base}/reviews/${r.id}`, categories: ['review'] });
    }

    const contracts = await this.dataSource
      .getRepository(ContractEntity)
      .createQueryBuilder('c')
      .innerJoin('c.vendor', 'v')
      .select(['c.id', 'c.title', 'c.noticeDeadline', 'c.termEnd', 'c.autoRenewal', 'v.name'])
      .where("c.state = 'active' AND c.ownerId = :user AND v.archivedAt IS NULL", { user: user.id })
      .andWhere('((c.noticeDeadline BETWEEN :from AND :to) OR (c.termEnd BETWEEN :from AND :to))', { from, to })
      .orderBy('c.noticeDeadline', 'ASC')
      .take(PER_KIND)
      .getMany();
    for (const c of contracts) {
      const params = { title: c.title, vendor: c.vendor!.name };
      if (c.noticeDeadline) events.push({ uid: `notice-${c.id}-${c.noticeDeadline}@${host}`, date: c.noticeDeadline, summary: t('calendar.contract.notice', params), url: `${base}/contracts/${c.id}`, categories: ['contract'] });
      if (c.termEnd && !c.autoRenewal) events.push({ uid: `end-${c.id}-${c.termEnd}@${host}`, date: c.termEnd, summary: t('calendar.contract.end', params), url: `${base}/contracts/${c.id}`, categories: ['contract'] });
    }

    const assessments = await this.dataSource
      .getRepository(AssessmentEntity)
      .createQueryBuilder('a')
      .innerJoin('a.vendor', 'v')
      .select(['a.id', 'a.dueDate', 'v.name'])
      .where("a.status IN ('sent', 'in_progress', 'clarification_requested') AND v.ownerId = :user AND v.archivedAt IS NULL AND a.dueDate BETWEEN :from AND :to", { user: user.id, from, to })
      .orderBy('a.dueDate', 'ASC')
      .take(PER_KIND)
      .getMany();
    for (const a of assessments) {
      events.push({ uid: `questionnaire-${a.id}-${a.dueDate}@${host}`, date: a.dueDate, summary: t('calendar.questionnaire.due', { vendor: a.vendor!.name }), url: `${base}/assessments/${a.id}`, categories: ['questionnaire'] });
    }

    const risks = await this.dataSource
      .getRepository(FindingEntity)
      .createQueryBuilder('f')
      .innerJoin('f.vendor', 'v')
      .select(['f.id', 'f.title', 'f.riskAcceptedUntil', 'v.name'])
      .where("f.status = 'risk_accepted' AND f.ownerId = :user AND v.archivedAt IS NULL AND f.riskAcceptedUntil BETWEEN :from AND :to", { user: user.id, from, to })
      .orderBy('f.riskAcceptedUntil', 'ASC')
      .take(PER_KIND)
      .getMany();
    for (const f of risks) {
      events.push({ uid: `risk-${f.id}-${f.riskAcceptedUntil}@${host}`, date: f.riskAcceptedUntil!, summary: t('calendar.risk.end', { title: f.title, vendor: f.vendor!.name }), url: `${base}/findings/${f.id}`, categories: ['finding'] });
    }

    events.sort((a, b) => a.date.localeCompare(b.date) || a.uid.localeCompare(b.uid));
    return writeCalendar({ name: t('calendar.name', { name: user.name }), now, events });
  }
}
