import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { filterQuery, pageErrors, problemNotice } from '../common/forms/page-problems';
import { actorFromRequest } from '../audit/audit-context';
import { Authenticated } from '../auth/auth.decorators';
import { Permission } from '../auth/permissions';
import { Clock } from '../clock/clock';
import { toIsoDate } from '../common/dates';
import { AppException } from '../common/errors/app-exception';
import { catalogEntry } from '../common/errors/error-catalog';
import { field, fieldList, FormBody, validateForm, validationProblem } from '../common/forms/form-body';
import { attachmentDisposition } from '../common/http/content-disposition';
import { ID_PARAM } from '../common/http/id-param';
import { noticeFrom, renderPage } from '../common/http/page-renderer';
import { resolveLocale } from '../i18n/request-locale';
import { QuestionKeyPipe } from '../portal/portal-request';
import { UsersService } from '../users/users.service';
import { VendorsService } from '../vendors/vendors.service';
import { AcceptRiskDto, ClarificationRequestDto, CompleteReviewDto, FindingQueryDto, ReviewAnswerDto, UpdateFindingDto } from './dto/review-input.dto';
import { FINDING_STATUSES } from './finding.entity';
import { allowedFindingMoves } from './finding-rules';
import { ReviewsService } from './reviews.service';

/** Blank rows for the reviewers' own findings on the complete form (pages work without script). */
const EXTRA_FINDINGS = 3;
const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
/** Statuses in which answers can be reviewed, clarification asked and the review completed. */
const REVIEWABLE = new Set(['submitted', 'in_review']);

const REVIEW_MESSAGES: Record<string, string> = {
  decision: 'validation.isIn',
  note: 'review.error.note',
  overrideScore: 'review.error.override_score',
  overrideReason: 'review.error.override_reason',
  questionKeys: 'review.error.question_keys',
  'questionKeys.*': 'review.error.question_keys',
  message: 'review.error.clarification_message',
  'findings.*.title': 'review.error.finding_title',
  'findings.*.severity': 'validation.isIn',
  'findings.*.recommendation': 'review.error.finding_recommendation',
};

const FINDING_MESSAGES: Record<string, string> = {
  version: 'finding.error.version',
  status: 'validation.isIn',
  ownerId: 'finding.error.owner',
  dueDate: 'finding.error.due_date',
  note: 'finding.error.note',
  reason: 'finding.error.reason',
  until: 'finding.error.until',
};

/** Status of a problem the page shows (a refused move is 409, a field problem 400). */
function statusOf(err: AppException): number {
  return catalogEntry(err.code).status;
}

/** The review of an assessment (sheet, verdicts, overrides, clarification, completion) and the findings pages. */
@ApiExcludeController()
@Controller()
export class ReviewPagesController {
  constructor(
    private readonly reviews: ReviewsService,
    private readonly vendors: VendorsService,
    private readonly clock: Clock,
    private readonly users: UsersService,
  ) {}

  // ---- review ----

  @Get('assessments/:id/review')
  @Authenticated({ permission: Permission.AssessmentRead })
  async sheet(@Param('id', ID_PARAM) id: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    return this.renderSheet(req, reply, id, { notice: noticeFrom(req) });
  }

  @Post('assessments/:id/review/start')
  @Authenticated({ permission: Permission.AssessmentReview })
  async start(@Param('id', ID_PARAM) id: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    try {
      await this.reviews.start(id, actorFromRequest(req));
    } catch (err) {
      const p = problemNotice(err);
      return this.renderSheet(req, reply, id, { problem: p }, p.status);
    }
    return reply.redirect(`/assessments/${id}/review?notice=review_started`, 303);
  }

  @Post('assessments/:id/answers/:key/review')
  @Authenticated({ permission: Permission.AssessmentReview })
  async reviewAnswer(@Param('id', ID_PARAM) id: string, @Param('key', QuestionKeyPipe) key: string, @Body() body: FormBody, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const values = { decision: field(body, 'decision'), note: field(body, 'note'), overrideScore: field(body, 'overrideScore').trim(), overrideReason: field(body, 'overrideReason'), clearOverride: field(body, 'clearOverride') };
    const input: Record<string, unknown> = { note: values.note };
    // The verdict radios: accepted, rejected, or none (no verdict); a post without them keeps the verdict.
    if (values.decision === 'none') input.decision = null;
    else if (values.decision !== '') input.decision = values.decision;
    if (values.clearOverride === 'true') input.overrideScore = null;
    else if (values.overrideScore !== '') {
      input.overrideScore = Number(values.overrideScore);
      input.overrideReason = values.overrideReason;
    }
    const again = (errors: Record<string, string>, status: number) => this.renderSheet(req, reply, id, { answerForm: { key, values, errors } }, status);
    const { dto, errors } = await validateForm(ReviewAnswerDto, input);
    if (errors.length) return again(pageErrors(errors, REVIEW_MESSAGES), 400);
    try {
      await this.reviews.reviewAnswer(id, key, dto, actorFromRequest(req));
    } catch (err) {
      if (err instanceof AppException && err.fieldErrors) return again(pageErrors(err.fieldErrors, REVIEW_MESSAGES), statusOf(err));
      const p = problemNotice(err);
      return this.renderSheet(req, reply, id, { problem: p }, p.status);
    }
    return reply.redirect(`/assessments/${id}/review?notice=answer_reviewed#q-${key}`, 303);
  }

  @Post('assessments/:id/clarification')
  @Authenticated({ permission: Permission.AssessmentReview })
  async clarify(@Param('id', ID_PARAM) id: string, @Body() body: FormBody, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const values = { questionKeys: fieldList(body, 'questionKeys'), message: field(body, 'message') };
    const again = (errors: Record<string, string>, status: number) => this.renderSheet(req, reply, id, { clarify: { values, errors } }, status);
    const { dto, errors } = await validateForm(ClarificationRequestDto, values);
    if (errors.length) return again(pageErrors(errors, REVIEW_MESSAGES), 400);
    try {
      await this.reviews.requestClarification(id, dto, actorFromRequest(req));
    } catch (err) {
      if (err instanceof AppException && err.fieldErrors) return again(pageErrors(err.fieldErrors, REVIEW_MESSAGES), statusOf(err));
      const p = problemNotice(err);
      return this.renderSheet(req, reply, id, { problem: p }, p.status);
    }
    return reply.redirect(`/assessments/${id}?notice=clarification_requested`, 303);
  }

  @Post('assessments/:id/complete')
  @Authenticated({ permission: Permission.AssessmentReview })
  async complete(@Param('id', ID_PARAM) id: string, @Body() body: FormBody, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const rows = Array.from({ length: EXTRA_FINDINGS }, (_, i) => ({
      title: field(body, `findings.${i}.title`),
      severity: field(body, `findings.${i}.severity`),
      recommendation: field(body, `findings.${i}.recommendation`),
    }));
    // A row left blank is no finding; the others keep their row number in error paths.
    const used = rows.map((r, i) => ({ r, i })).filter(({ r }) => r.title.trim() !== '' || r.recommendation.trim() !== '');
    const toRow = (errors: Record<string, string>) =>
      Object.fromEntries(Object.entries(errors).map(([path, msg]) => [path.replace(/^findings\.(\d+)/, (_m, j: string) => `findings.${used[Number(j)]?.i ?? j}`), msg]));
    const again = (errors: Record<string, string>, status: number) => this.renderSheet(req, reply, id, { completeForm: { values: rows, errors: toRow(errors) } }, status);
    const { dto, errors } = await validateForm(CompleteReviewDto, { findings: used.map(({ r }) => r) });
    if (errors.length) return again(pageErrors(errors, REVIEW_MESSAGES), 400);
    try {
      await this.reviews.complete(id, dto, actorFromRequest(req));
    } catch (err) {
      if (err instanceof AppException && err.fieldErrors) return again(pageErrors(err.fieldErrors, REVIEW_MESSAGES), statusOf(err));
      const p = problemNotice(err);
      return this.renderSheet(req, reply, id, { problem: p }, p.status);
    }
    return reply.redirect(`/findings?assessmentId=${id}&notice=review_completed`, 303);
  }

  @Get('assessments/:id/evidence/:fileId')
  @Authenticated({ permission: Permission.EvidenceRead })
  async evidence(@Param('id', ID_PARAM) id: string, @Param('fileId', ID_PARAM) fileId: string, @Res() reply: FastifyReply): Promise<void> {
    const { file, data } = await this.reviews.evidence(id, fileId);
    await reply.header('content-type', file.mime).header('content-disposition', attachmentDisposition(file.name)).header('cache-control', 'no-store').send(data);
  }

  private async renderSheet(req: FastifyRequest, reply: FastifyReply, id: string, extra: Record<string, unknown>, status = 200) {
    const [{ state, sheet }, staff] = await Promise.all([this.reviews.sheet(id, resolveLocale(req)), this.users.directory()]);
    const a = state.assessment;
    return renderPage(
      req,
      reply,
      'reviews/sheet',
      {
        a,
        vendor: state.vendor,
        sheet,
        modules: state.questionnaire.modules.map((m) => ({ key: m.key, version: m.version, title: m.title })),
        staffNames: Object.fromEntries(staff.map((u) => [u.id, u.name])),
        reviewable: REVIEWABLE.has(a.status),
        severities: SEVERITIES,
        extraFindings: EXTRA_FINDINGS,
        notice: null,
        problem: null,
        answerForm: null,
        clarify: { values: { questionKeys: [], message: '' }, errors: {} },
        completeForm: { values: [], errors: {} },
        ...extra,
      },
      status,
    );
  }

  // ---- findings ----

  @Get('findings')
  @Authenticated({ permission: Permission.AssessmentRead })
  async findings(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const { dto: query, errors } = await validateForm(FindingQueryDto, filterQuery(req));
    if (errors.length) throw validationProblem(errors);
    const [result, vendorList, staff] = await Promise.all([this.reviews.listFindings(query), this.vendors.choices(), this.users.directory()]);
    const vendorNames = Object.fromEntries(vendorList.map((v) => [v.id, v.name]));
    const missing = [...new Set([...result.items.map((f) => f.vendorId), ...(query.vendorId ? [query.vendorId] : [])])].filter((v) => !vendorNames[v]);
    for (const detail of await Promise.all(missing.map((v) => this.vendors.get(v).catch(() => null)))) {
      if (detail) {
        vendorNames[detail.vendor.id] = detail.vendor.name;
        vendorList.unshift({ id: detail.vendor.id, name: detail.vendor.name });
      }
    }
    return renderPage(req, reply, 'findings/list', {
      query,
      result,
      vendors: vendorList,
      vendorNames,
      staffNames: Object.fromEntries(staff.map((u) => [u.id, u.name])),
      statuses: FINDING_STATUSES,
      severities: SEVERITIES,
      today: toIsoDate(this.clock.now()),
      notice: noticeFrom(req),
    });
  }

  @Get('findings/:id')
  @Authenticated({ permission: Permission.AssessmentRead })
  async finding(@Param('id', ID_PARAM) id: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    return this.renderFinding(req, reply, id, { notice: noticeFrom(req) });
  }

  @Post('findings/:id')
  @Authenticated({ permission: Permission.FindingManage })
  async updateFinding(@Param('id', ID_PARAM) id: string, @Body() body: FormBody, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const values = { version: field(body, 'version'), status: field(body, 'status'), ownerId: field(body, 'ownerId'), dueDate: field(body, 'dueDate').trim(), note: field(body, 'note') };
    const input = {
      version: Number(values.version),
      ...(values.status ? { status: values.status } : {}),
      ...(values.ownerId ? { ownerId: values.ownerId } : {}),
      ...(values.dueDate ? { dueDate: values.dueDate } : {}),
      note: values.note,
    };
    const again = (errors: Record<string, string>, status: number, problem: unknown = null) => this.renderFinding(req, reply, id, { update: { values, errors }, problem }, status);
    const { dto, errors } = await validateForm(UpdateFindingDto, input);
    if (errors.length) return again(pageErrors(errors, FINDING_MESSAGES), 400);
    try {
      await this.reviews.updateFinding(id, dto, actorFromRequest(req));
    } catch (err) {
      if (err instanceof AppException && err.fieldErrors) return again(pageErrors(err.fieldErrors, FINDING_MESSAGES), statusOf(err));
      const p = problemNotice(err);
      // After a conflict the form carries the current version: the notice says what happened, the input is kept.
      values.version = '';
      return again({}, p.status, p);
    }
    return reply.redirect(`/findings/${id}?notice=finding_updated`, 303);
  }

  @Post('findings/:id/accept-risk')
  @Authenticated({ permission: Permission.RiskAccept })
  async acceptRisk(@Param('id', ID_PARAM) id: string, @Body() body: FormBody, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const values = { version: field(body, 'version'), reason: field(body, 'reason'), until: field(body, 'until').trim() };
    const again = (errors: Record<string, string>, status: number, problem: unknown = null) => this.renderFinding(req, reply, id, { accept: { values, errors }, problem }, status);
    const { dto, errors } = await validateForm(AcceptRiskDto, { ...values, version: Number(values.version) });
    if (errors.length) return again(pageErrors(errors, FINDING_MESSAGES), 400);
    try {
      await this.reviews.acceptRisk(id, dto, actorFromRequest(req));
    } catch (err) {
      if (err instanceof AppException && err.fieldErrors) return again(pageErrors(err.fieldErrors, FINDING_MESSAGES), statusOf(err));
      const p = problemNotice(err);
      values.version = '';
      return again({}, p.status, p);
    }
    return reply.redirect(`/findings/${id}?notice=risk_accepted`, 303);
  }

  private async renderFinding(req: FastifyRequest, reply: FastifyReply, id: string, extra: Record<string, unknown>, status = 200) {
    const f = await this.reviews.getFinding(id);
    const [{ vendor }, staff] = await Promise.all([this.vendors.get(f.vendorId), this.users.directory()]);
    return renderPage(
      req,
      reply,
      'findings/detail',
      {
        f,
        vendor,
        staff: staff.map((u) => ({ id: u.id, name: u.name })),
        staffNames: Object.fromEntries(staff.map((u) => [u.id, u.name])),
        moves: allowedFindingMoves(f.status),
        today: toIsoDate(this.clock.now()),
        notice: null,
        problem: null,
        update: { values: null, errors: {} },
        accept: { values: null, errors: {} },
        ...extra,
      },
      status,
    );
  }

}
