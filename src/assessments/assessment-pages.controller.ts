import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { actorFromRequest } from '../audit/audit-context';
import { Authenticated } from '../auth/auth.decorators';
import { Permission } from '../auth/permissions';
import { Clock } from '../clock/clock';
import { addDays, toIsoDate } from '../common/dates';
import { AppException } from '../common/errors/app-exception';
import { field, fieldList, FormBody, optionalField, validateForm, validationProblem } from '../common/forms/form-body';
import { filterQuery, pageErrors, problemNotice } from '../common/forms/page-problems';
import { ID_PARAM } from '../common/http/id-param';
import { noticeFrom, renderPage } from '../common/http/page-renderer';
import { QuestionnairesService } from '../questionnaires/questionnaires.service';
import { VendorsService } from '../vendors/vendors.service';
import { allowedTransitions, ASSESSMENT_STATUSES, AWAITING_VENDOR, canTransition, RESENDABLE } from './assessment-lifecycle';
import type { AssessmentEntity } from './assessment.entity';
import { AssessmentsService, SentLink } from './assessments.service';
import { AssessmentQueryDto, CancelAssessmentDto, CreateAssessmentDto, ResendAssessmentDto } from './dto/assessment-input.dto';


/** Statuses after which the vendor's answers can be read as a review sheet. */
const REVIEW_VISIBLE = new Set(['submitted', 'in_review', 'clarification_requested', 'completed']);

const SEND_MESSAGES: Record<string, string> = {
  modules: 'assessment.error.modules',
  'modules.*': 'assessment.error.modules',
  dueDate: 'assessment.error.due_date',
  'recipient.name': 'assessment.error.recipient_name',
  'recipient.email': 'validation.isEmail',
  'recipient.language': 'validation.isIn',
  message: 'assessment.error.message',
  reason: 'assessment.error.cancel_reason',
};

/** Staff pages of assessments: the send form, the list, one assessment with the moves its state allows. */
@ApiExcludeController()
@Controller()
export class AssessmentPagesController {
  constructor(
    private readonly assessments: AssessmentsService,
    private readonly questionnaires: QuestionnairesService,
    private readonly clock: Clock,
    private readonly vendors: VendorsService,
  ) {}

  @Get('vendors/:id/assessments/new')
  @Authenticated({ permission: Permission.AssessmentSend })
  async sendForm(@Param('id', ID_PARAM) id: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const { vendor } = await this.vendors.get(id);
    const proposed = await this.assessments.proposedModulesFor(id);
    const values = {
      modules: proposed,
      dueDate: addDays(toIsoDate(this.clock.now()), 30),
      'recipient.name': vendor.contactName,
      'recipient.email': vendor.contactEmail,
      'recipient.language': vendor.contactLanguage,
      message: '',
    };
    return this.renderSendForm(req, reply, id, { values, errors: {}, proposed });
  }

  @Post('vendors/:id/assessments')
  @Authenticated({ permission: Permission.AssessmentSend })
  async send(@Param('id', ID_PARAM) id: string, @Body() body: FormBody, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const values = {
      modules: fieldList(body, 'modules'),
      dueDate: field(body, 'dueDate').trim(),
      'recipient.name': field(body, 'recipient.name'),
      'recipient.email': field(body, 'recipient.email'),
      'recipient.language': field(body, 'recipient.language'),
      message: field(body, 'message'),
    };
    const input = {
      vendorId: id,
      // An empty choice is refused, not replaced by the proposal: the form showed the proposal already.
      modules: values.modules,
      dueDate: values.dueDate,
      recipient: { name: values['recipient.name'], email: values['recipient.email'], language: values['recipient.language'] },
      message: optionalField(body, 'message'),
      send: field(body, 'action') !== 'draft',
    };
    const again = async (errors: Record<string, string>, status: number) =>
      this.renderSendForm(req, reply, id, { values, errors, proposed: await this.assessments.proposedModulesFor(id) }, status);
    const { dto, errors } = await validateForm(CreateAssessmentDto, input);
    if (errors.length) return again(pageErrors(errors, SEND_MESSAGES), 400);
    let created: { assessment: AssessmentEntity; link: SentLink | null };
    try {
      created = await this.assessments.create(dto, actorFromRequest(req));
    } catch (err) {
      if (err instanceof AppException && err.fieldErrors) return again(pageErrors(err.fieldErrors, SEND_MESSAGES), 400);
      const p = problemNotice(err);
      return again({ _form: `assessment.error.${p.code.split('.')[1]}` }, p.status);
    }
    if (!created.link) return reply.redirect(`/assessments/${created.assessment.id}?notice=draft_saved`, 303);
    return this.renderDetail(req, reply, created.assessment.id, { link: created.link, notice: 'sent' }, 201);
  }

  @Get('assessments')
  @Authenticated({ permission: Permission.AssessmentRead })
  async list(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const { dto: query, errors } = await validateForm(AssessmentQueryDto, filterQuery(req));
    if (errors.length) throw validationProblem(errors);
    const [result, vendors] = await Promise.all([this.assessments.list(query), this.vendors.choices(query.vendorId)]);
    return renderPage(req, reply, 'assessments/list', { query, result, vendors, statuses: ASSESSMENT_STATUSES, notice: noticeFrom(req) });
  }

  @Get('assessments/:id')
  @Authenticated({ permission: Permission.AssessmentRead })
  async detail(@Param('id', ID_PARAM) id: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    return this.renderDetail(req, reply, id, { notice: noticeFrom(req) });
  }

  /** Sends a draft: the page answering this post shows the new link, once. */
  @Post('assessments/:id/send')
  @Authenticated({ permission: Permission.AssessmentSend })
  async sendDraft(@Param('id', ID_PARAM) id: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    try {
      const r = await this.assessments.send(id, actorFromRequest(req));
      return this.renderDetail(req, reply, id, { link: r.link, notice: 'sent' });
    } catch (err) {
      const p = problemNotice(err, [400, 409]);
      return this.renderDetail(req, reply, id, { problem: p }, p.status);
    }
  }

  @Post('assessments/:id/resend')
  @Authenticated({ permission: Permission.AssessmentSend })
  async resend(@Param('id', ID_PARAM) id: string, @Body() body: FormBody, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const values = { dueDate: field(body, 'dueDate').trim() };
    const { dto, errors } = await validateForm(ResendAssessmentDto, { dueDate: values.dueDate || undefined });
    if (errors.length) return this.renderDetail(req, reply, id, { resend: { values, errors: pageErrors(errors, SEND_MESSAGES) } }, 400);
    try {
      const r = await this.assessments.resend(id, dto, actorFromRequest(req));
      return this.renderDetail(req, reply, id, { link: r.link, notice: 'resent' });
    } catch (err) {
      if (err instanceof AppException && err.fieldErrors) return this.renderDetail(req, reply, id, { resend: { values, errors: pageErrors(err.fieldErrors, SEND_MESSAGES) } }, 400);
      const p = problemNotice(err);
      return this.renderDetail(req, reply, id, { problem: p }, p.status);
    }
  }

  @Post('assessments/:id/revoke-link')
  @Authenticated({ permission: Permission.AssessmentSend })
  async revoke(@Param('id', ID_PARAM) id: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    try {
      await this.assessments.revokeLink(id, actorFromRequest(req));
    } catch (err) {
      const p = problemNotice(err);
      return this.renderDetail(req, reply, id, { problem: p }, p.status);
    }
    return reply.redirect(`/assessments/${id}?notice=link_revoked`, 303);
  }

  @Post('assessments/:id/cancel')
  @Authenticated({ permission: Permission.AssessmentSend })
  async cancel(@Param('id', ID_PARAM) id: string, @Body() body: FormBody, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const values = { reason: field(body, 'reason') };
    const { dto, errors } = await validateForm(CancelAssessmentDto, values);
    if (errors.length) return this.renderDetail(req, reply, id, { cancel: { values, errors: pageErrors(errors, SEND_MESSAGES) } }, 400);
    try {
      await this.assessments.cancel(id, dto.reason, actorFromRequest(req));
    } catch (err) {
      const p = problemNotice(err);
      return this.renderDetail(req, reply, id, { problem: p }, p.status);
    }
    return reply.redirect(`/assessments/${id}?notice=cancelled`, 303);
  }

  private async renderDetail(req: FastifyRequest, reply: FastifyReply, id: string, extra: Record<string, unknown>, status = 200) {
    const state = await this.assessments.state(id);
    const a = state.assessment;
    const actions = {
      send: a.status === 'draft',
      resend: RESENDABLE.has(a.status),
      revoke: AWAITING_VENDOR.has(a.status),
      cancel: canTransition(a.status, 'cancelled'),
      startReview: a.status === 'submitted',
      review: REVIEW_VISIBLE.has(a.status),
    };
    return renderPage(
      req,
      reply,
      'assessments/detail',
      {
        a,
        vendor: state.vendor,
        modules: state.questionnaire.modules.map((m) => ({ key: m.key, version: m.version, title: m.title, questions: m.sections.reduce((n, s) => n + s.questions.length, 0) })),
        progress: { visible: state.progress.visible.length, answered: state.progress.answered, missingRequired: state.progress.missingRequired.length, missingEvidence: state.progress.missingEvidence.length },
        evidenceCount: state.evidence.length,
        allowed: allowedTransitions(a.status),
        actions,
        today: toIsoDate(this.clock.now()),
        notice: null,
        problem: null,
        link: null,
        resend: { values: {}, errors: {} },
        cancel: { values: {}, errors: {} },
        ...extra,
      },
      status,
    );
  }

  private async renderSendForm(req: FastifyRequest, reply: FastifyReply, vendorId: string, data: { values: Record<string, unknown>; errors: Record<string, string>; proposed: string[] }, status = 200) {
    const [{ vendor }, latest] = await Promise.all([this.vendors.get(vendorId), this.questionnaires.latestVersions()]);
    const modules = latest.map((v) => ({ key: v.moduleKey, version: v.version, title: { en: v.titleEn, 'zh-CN': v.titleZh }, questionCount: v.questionCount, source: v.source }));
    return renderPage(req, reply, 'assessments/send', { vendor, modules, ...data }, status);
  }

}
