import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { IsIn, IsUUID, Matches } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { filterQuery, pageErrors, problemNotice } from '../common/forms/page-problems';
import { AssessmentsService } from '../assessments/assessments.service';
import { actorFromRequest } from '../audit/audit-context';
import { Authenticated } from '../auth/auth.decorators';
import { Permission } from '../auth/permissions';
import { Clock } from '../clock/clock';
import { addDays, addMonths, toIsoDate } from '../common/dates';
import { AppException } from '../common/errors/app-exception';
import { field, fieldList, FormBody, validateForm, validationProblem } from '../common/forms/form-body';
import { IsOptionalNotNull } from '../common/http/api-validation';
import { ID_PARAM } from '../common/http/id-param';
import { noticeFrom, renderPage } from '../common/http/page-renderer';
import { resolveLocale } from '../i18n/request-locale';
import { QuestionnairesService } from '../questionnaires/questionnaires.service';
import { UsersService } from '../users/users.service';
import { VendorsService } from '../vendors/vendors.service';
import { CompleteReviewCycleDto, ReviewCycleQueryDto, StartReassessmentDto } from './dto/review-cycle-input.dto';
import { REVIEW_STATUSES, reviewStatus } from './review-cycle-status';
import { REVIEW_KINDS, type ReviewKind } from './review-cycle.entity';
import { ReviewCyclesService } from './review-cycles.service';

/** A calendar month shows at most this many pages of 100 reviews; the list has them all. */
const CALENDAR_PAGES = 5;
/** Reviews shown in one day of the calendar before a "more" link to that day's list. */
const PER_DAY = 4;
/** Kinds closed by a decision written on the page (a re-assessment closes with its questionnaire's review). */
const DECIDED = new Set<ReviewKind>(['contract_renewal', 'risk_acceptance']);

const CYCLE_MESSAGES: Record<string, string> = {
  version: 'review_cycle.error.version',
  note: 'review_cycle.error.note',
  dueDate: 'assessment.error.due_date',
  modules: 'assessment.error.modules',
  'modules.*': 'assessment.error.modules',
};

/** The calendar's query: a month (`YYYY-MM`, this month by default) and the list's owner and kind filters. */
export class ReviewCalendarQueryDto {
  @IsOptionalNotNull()
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: '$property must be a month (YYYY-MM)' })
  month?: string;

  @IsOptionalNotNull()
  @IsUUID()
  ownerId?: string;

  @IsOptionalNotNull()
  @IsIn(REVIEW_KINDS)
  kind?: ReviewKind;
}

interface CalendarItem {
  id: string;
  vendorName: string;
  kind: ReviewKind;
  status: string;
}

/**
 * Staff pages of review cycles: the list, a month calendar, and one review with what can be done
 * to it (send the re-assessment questionnaire; record the decision on a renewal or an accepted risk).
 */
@ApiExcludeController()
@Controller('reviews')
export class ReviewCyclePagesController {
  constructor(
    private readonly cycles: ReviewCyclesService,
    private readonly assessments: AssessmentsService,
    private readonly users: UsersService,
    private readonly vendors: VendorsService,
    private readonly questionnaires: QuestionnairesService,
    private readonly clock: Clock,
  ) {}

  private today(): string {
    return toIsoDate(this.clock.now());
  }

  @Get()
  @Authenticated({ permission: Permission.VendorRead })
  async list(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const { dto: query, errors } = await validateForm(ReviewCycleQueryDto, filterQuery(req));
    if (errors.length) throw validationProblem(errors);
    const today = this.today();
    const [result, vendors, staff] = await Promise.all([this.cycles.list(query, today), this.vendors.choices(query.vendorId), this.users.directory()]);
    const items = result.items.map((r) => ({ id: r.id, vendorId: r.vendorId, vendorName: r.vendorName, ownerId: r.vendor?.ownerId ?? null, kind: r.kind, dueDate: r.dueDate, status: reviewStatus(r.state, r.dueDate, today) }));
    return renderPage(req, reply, 'review-cycles/list', {
      query,
      result: { items, total: result.total },
      vendors,
      staff: staff.map((u) => ({ id: u.id, name: u.name })),
      staffNames: Object.fromEntries(staff.map((u) => [u.id, u.name])),
      statuses: REVIEW_STATUSES,
      kinds: REVIEW_KINDS,
      today,
      notice: noticeFrom(req),
    });
  }

  @Get('calendar')
  @Authenticated({ permission: Permission.VendorRead })
  async calendar(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const { dto: query, errors } = await validateForm(ReviewCalendarQueryDto, filterQuery(req));
    if (errors.length) throw validationProblem(errors);
    const today = this.today();
    const month = query.month ?? today.slice(0, 7);
    const first = `${month}-01`;
    const last = addDays(addMonths(first, 1), -1);
    // Whole weeks, Monday to Sunday, around the month.
    const weekday = (iso: string) => (new Date(`${iso}T00:00:00Z`).getUTCDay() + 6) % 7;
    const start = addDays(first, -weekday(first));
    const end = addDays(last, 6 - weekday(last));

    const byDay = new Map<string, CalendarItem[]>();
    let loaded = 0;
    let total = 0;
    for (let page = 1; page <= CALENDAR_PAGES; page++) {
      const q = Object.assign(new ReviewCycleQueryDto(), { from: start, to: end, kind: query.kind, ownerId: query.ownerId, page, pageSize: 100 });
      const result = await this.cycles.list(q, today);
      total = result.total;
      loaded += result.items.length;
      for (const r of result.items) {
        if (r.state === 'cancelled') continue;
        const day = byDay.get(r.dueDate) ?? [];
        day.push({ id: r.id, vendorName: r.vendorName, kind: r.kind, status: reviewStatus(r.state, r.dueDate, today) });
        byDay.set(r.dueDate, day);
      }
      if (loaded >= total || result.items.length < 100) break;
    }

    const weeks: Array<Array<{ date: string; day: number; inMonth: boolean; isToday: boolean; items: CalendarItem[]; more: number }>> = [];
    for (let d = start; d <= end; d = addDays(d, 1)) {
      if (weekday(d) === 0) weeks.push([]);
      const items = byDay.get(d) ?? [];
      weeks[weeks.length - 1].push({ date: d, day: Number(d.slice(8)), inMonth: d.slice(0, 7) === month, isToday: d === today, items: items.slice(0, PER_DAY), more: Math.max(0, items.length - PER_DAY) });
    }
    const monthTitle = new Intl.DateTimeFormat(resolveLocale(req), { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(new Date(`${first}T00:00:00Z`));
    const staff = await this.users.directory();
    return renderPage(req, reply, 'review-cycles/calendar', {
      query,
      month,
      monthTitle,
      prev: addMonths(first, -1).slice(0, 7),
      next: addMonths(first, 1).slice(0, 7),
      thisMonth: today.slice(0, 7),
      weeks,
      capped: loaded < total ? { shown: loaded, total } : null,
      staff: staff.map((u) => ({ id: u.id, name: u.name })),
      kinds: REVIEW_KINDS,
    });
  }

  @Get(':id')
  @Authenticated({ permission: Permission.VendorRead })
  async detail(@Param('id', ID_PARAM) id: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    return this.renderDetail(req, reply, id, { notice: noticeFrom(req) });
  }

  /** Sends the re-assessment questionnaire: the page answering this post shows the portal link, once. */
  @Post(':id/start')
  @Authenticated({ permission: Permission.AssessmentSend })
  async start(@Param('id', ID_PARAM) id: string, @Body() body: FormBody, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const values = { version: field(body, 'version'), dueDate: field(body, 'dueDate').trim(), modules: fieldList(body, 'modules') };
    // An empty choice is refused, not replaced by the proposal: the form showed the proposal already.
    const input = { version: Number(values.version), dueDate: values.dueDate, modules: values.modules };
    const again = (errors: Record<string, string>, status: number, problem: unknown = null) => this.renderDetail(req, reply, id, { start: { values, errors }, problem }, status);
    const { dto, errors } = await validateForm(StartReassessmentDto, input);
    if (errors.length) return again(pageErrors(errors, CYCLE_MESSAGES), 400);
    let started: Awaited<ReturnType<ReviewCyclesService['startReassessment']>>;
    try {
      started = await this.cycles.startReassessment(id, dto, actorFromRequest(req));
    } catch (err) {
      if (err instanceof AppException && err.fieldErrors) return again(pageErrors(err.fieldErrors, CYCLE_MESSAGES), 400);
      const p = problemNotice(err);
      // After a conflict the form carries the current version: the notice says what happened, the input is kept.
      values.version = '';
      return again({}, p.status, p);
    }
    const a = await this.assessments.getEntity(started.assessmentId);
    const link = started.link ? { ...started.link, expiresAt: this.assessments.linkExpiry(a.dueDate), email: a.recipientEmail } : null;
    return this.renderDetail(req, reply, id, { link, notice: 'started' }, 201);
  }

  @Post(':id/complete')
  @Authenticated({ permission: Permission.ReviewCycleComplete })
  async complete(@Param('id', ID_PARAM) id: string, @Body() body: FormBody, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const values = { version: field(body, 'version'), note: field(body, 'note') };
    const again = (errors: Record<string, string>, status: number, problem: unknown = null) => this.renderDetail(req, reply, id, { complete: { values, errors }, problem }, status);
    const { dto, errors } = await validateForm(CompleteReviewCycleDto, { version: Number(values.version), note: values.note });
    if (errors.length) return again(pageErrors(errors, CYCLE_MESSAGES), 400);
    try {
      await this.cycles.complete(id, dto, actorFromRequest(req));
    } catch (err) {
      const p = problemNotice(err);
      values.version = '';
      return again({}, p.status, p);
    }
    return reply.redirect(`/reviews/${id}?notice=completed`, 303);
  }

  private async renderDetail(req: FastifyRequest, reply: FastifyReply, id: string, extra: Record<string, unknown>, status = 200) {
    const r = await this.cycles.get(id);
    const today = this.today();
    const open = r.state === 'scheduled' || r.state === 'in_progress';
    const canStart = r.kind === 'reassessment' && r.state === 'scheduled';
    const [subject, staff, modules, proposed] = await Promise.all([
      this.cycles.subjectOf(r),
      this.users.directory(),
      canStart ? this.questionnaires.latestVersions() : Promise.resolve([]),
      canStart ? this.assessments.proposedModulesFor(r.vendorId) : Promise.resolve([]),
    ]);
    return renderPage(
      req,
      reply,
      'review-cycles/detail',
      {
        r,
        vendor: r.vendor!,
        status: reviewStatus(r.state, r.dueDate, today),
        subject,
        staffNames: Object.fromEntries(staff.map((u) => [u.id, u.name])),
        modules: modules.map((v) => ({ key: v.moduleKey, version: v.version, title: { en: v.titleEn, 'zh-CN': v.titleZh }, questionCount: v.questionCount })),
        proposed,
        actions: { start: canStart, complete: open && DECIDED.has(r.kind) },
        today,
        notice: null,
        problem: null,
        link: null,
        start: { values: { version: '', dueDate: addDays(today, 30), modules: proposed }, errors: {} },
        complete: { values: { version: '', note: '' }, errors: {} },
        ...extra,
      },
      status,
    );
  }

}
