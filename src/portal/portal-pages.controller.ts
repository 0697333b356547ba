import { ArgumentsHost, Body, Catch, Controller, ExceptionFilter, Get, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AssessmentErrorCode } from '../assessments/assessment.exception';
import { AssessmentsService } from '../assessments/assessments.service';
import { Public } from '../auth/auth.decorators';
import { Clock } from '../clock/clock';
import { AppConfig } from '../config/app-config';
import { AppException } from '../common/errors/app-exception';
import { catalogEntry } from '../common/errors/error-catalog';
import { field, FormBody } from '../common/forms/form-body';
import { attachmentDisposition } from '../common/http/content-disposition';
import { ID_PARAM } from '../common/http/id-param';
import { noticeFrom, renderPage } from '../common/http/page-renderer';
import { sendError } from '../common/http/problem-details.filter';
import { toProblem } from '../common/http/problem-details';
import { isLocale, Locale, translate } from '../i18n/i18n';
import { LANG_COOKIE } from '../i18n/request-locale';
import { StorageErrorCode, StorageException } from '../storage/storage.exception';
import { PortalAccessService } from './portal-access.service';
import { PORTAL_COOKIE, PortalContext } from './portal-context';
import {
  answerError,
  changedAnswers,
  choicesOf,
  displayValue,
  PostedAnswer,
  postedAnswers,
  questionAnchor,
  questionsByKey,
  replaceQuestions,
  SavedCurrent,
  sectionAnchor,
  sectionDomId,
  withPosted,
} from './portal-form';
import { UploadReader, UploadRoute } from '../storage/upload-reader';
import { portalActor, portalContext, QuestionKeyPipe } from './portal-request';
import { PortalSession } from './portal-session.guard';
import type { PortalView } from './portal-view';
import { PortalErrorCode, PortalException } from './portal.exception';
import { PortalService } from './portal.service';

/** Notices a redirect back to the questionnaire may carry (`portal.notice.<key>`). */
const NOTICES = new Set(['saved', 'unchanged', 'file_added', 'file_removed']);

/** Errors on the vendor's pages: shown in the portal's own layout, never the staff sign-in or navigation. */
@Catch()
export class PortalPageErrorFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (req.method === 'HEAD') {
      void sendError(exception, req, reply);
      return;
    }
    const problem = toProblem(exception, (req.url ?? '').split('?')[0], String(req.id));
    void renderPage(req, reply, 'portal/error', { problem, langPath: '/portal' }, problem.status);
  }
}

interface PageState {
  notice?: string | null;
  /** Per question: the field that was refused and the message (a catalogue key or English text). */
  errors?: Record<string, { field: 'value' | 'comment'; message: string }>;
  /** Per question: the newer saved answer the vendor's save lost against. */
  conflicts?: Record<string, SavedCurrent>;
  /** Per question: why an upload was refused. */
  uploadErrors?: Record<string, string>;
}

/**
 * The vendor's pages: the questionnaire (saved by plain forms, or by portal.js through the JSON
 * API), evidence, review and submit. The link exchange is here too: token in, cookie set,
 * redirect to a URL without it.
 */
@ApiExcludeController()
@Controller('portal')
@UseFilters(PortalPageErrorFilter)
export class PortalPagesController {
  constructor(
    private readonly access: PortalAccessService,
    private readonly portal: PortalService,
    private readonly assessments: AssessmentsService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly uploads: UploadReader,
  ) {}

  @Get('t/:token')
  @Public()
  async open(@Param('token') token: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
    try {
      const s = await this.access.exchange(token, req.ip);
      reply.setCookie(PORTAL_COOKIE, s.token, {
        httpOnly: true,
        sameSite: 'lax',
        secure: this.config.cookieSecure,
        path: '/',
        maxAge: Math.max(60, Math.floor((s.expiresAt.getTime() - this.clock.now().getTime()) / 1000)),
      });
      await reply.redirect('/portal', 303);
    } catch (err) {
      if (!(err instanceof PortalException)) throw err;
      const throttled = err.code === PortalErrorCode.Throttled;
      await renderPage(req, reply, 'portal/link-invalid', { throttled }, throttled ? 429 : 404);
    }
  }

  @Get()
  @PortalSession()
  async questionnaire(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = portalContext(req);
    const view = await this.portal.view(ctx, await this.locale(req, ctx));
    const notice = noticeFrom(req);
    return this.renderQuestionnaire(req, reply, view, { notice: notice && NOTICES.has(notice) ? notice : null });
  }

  /** Saves the changed answers of one section form; refused ones come back with the vendor's input kept. */
  @Post('answers')
  @PortalSession()
  async save(@Body() body: FormBody, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = portalContext(req);
    const locale = await this.locale(req, ctx);
    const view = await this.portal.view(ctx, locale);
    const questions = questionsByKey(view);
    const form = body && typeof body === 'object' ? body : {};
    const posted = new Map(postedAnswers(form, questions).map((p) => [p.key, p]));
    const changes = changedAnswers([...posted.values()], questions);
    const errors: NonNullable<PageState['errors']> = {};
    const conflicts: Record<string, SavedCurrent> = {};
    for (const change of changes) {
      try {
        await this.portal.saveAnswer(ctx, change.key, change.input, portalActor(req));
      } catch (err) {
        if (!(err instanceof AppException)) throw err;
        if (err.code === AssessmentErrorCode.AnswerConflict) conflicts[change.key] = err.extensions!.current as SavedCurrent;
        else if (err.code === AssessmentErrorCode.InvalidAnswer) errors[change.key] = answerError(err.fieldErrors, err.detail);
        // A question hidden by another answer of the same form no longer applies: nothing to save.
        else if (err.code !== AssessmentErrorCode.QuestionHidden) throw err;
      }
    }
    const refused = new Set([...Object.keys(errors), ...Object.keys(conflicts)]);
    if (!refused.size) {
      return reply.redirect(`/portal?notice=${changes.length ? 'saved' : 'unchanged'}${sectionAnchor(field(form, 'section'), view)}`, 303);
    }
    const fresh = await this.portal.view(ctx, locale);
    const shown = replaceQuestions(fresh, (q) => (refused.has(q.key) ? withPosted(q, posted.get(q.key) as PostedAnswer, conflicts[q.key]) : q));
    return this.renderQuestionnaire(req, reply, shown, { errors, conflicts }, Object.keys(conflicts).length ? 409 : 400);
  }

  /** The upload form without script (multipart: `question`, `_csrf`, `file`). */
  @Post('evidence')
  @PortalSession()
  @UploadRoute()
  async upload(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = portalContext(req);
    return this.uploads.receive(req, async ({ fields, file }) => {
      const key = new QuestionKeyPipe().transform(fields.question ?? '');
      try {
        if (!file || (!file.filename && file.size === 0)) throw new StorageException(StorageErrorCode.NoFile, 'Choose a file to upload first.');
        await this.portal.addEvidence(ctx, key, file, portalActor(req));
      } catch (err) {
        if (!(err instanceof AppException) || !(err instanceof StorageException || err.code === AssessmentErrorCode.InvalidAnswer)) throw err;
        const view = await this.portal.view(ctx, await this.locale(req, ctx));
        const messageKey = `portal.upload_error.${err.code}`;
        const message = translate('en', messageKey) === messageKey ? (err.detail ?? catalogEntry(err.code).title) : messageKey;
        return this.renderQuestionnaire(req, reply, view, { uploadErrors: { [key]: message } }, catalogEntry(err.code).status);
      }
      return reply.redirect(`/portal?notice=file_added${questionAnchor(key)}`, 303);
    });
  }

  @Post('evidence/:id/remove')
  @PortalSession()
  async removeEvidence(@Param('id', ID_PARAM) id: string, @Body() body: FormBody, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    await this.portal.removeEvidence(portalContext(req), id, portalActor(req));
    return reply.redirect(`/portal?notice=file_removed${questionAnchor(body && typeof body === 'object' ? field(body, 'question') : '')}`, 303);
  }

  @Get('evidence/:id')
  @PortalSession()
  async download(@Param('id', ID_PARAM) id: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const { file, data } = await this.portal.evidenceFile(portalContext(req), id);
    await reply.header('content-type', file.mime).header('content-disposition', attachmentDisposition(file.name)).header('cache-control', 'no-store').send(data);
  }

  /** What is still missing before submitting, and the submit button. */
  @Get('review')
  @PortalSession()
  async review(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = portalContext(req);
    const view = await this.portal.view(ctx, await this.locale(req, ctx));
    if (!view.editable) return reply.redirect('/portal', 303);
    return renderPage(req, reply, 'portal/review', { view, refused: false, langPath: '/portal/review' });
  }

  /** Confirms one answer carried over from the last assessment (a form of its own on the question). */
  @Post('answers/:key/confirm')
  @PortalSession()
  async confirm(@Param('key', QuestionKeyPipe) key: string, @Body() body: FormBody, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = portalContext(req);
    const version = Number(field(body && typeof body === 'object' ? body : {}, 'version'));
    try {
      await this.portal.confirmAnswer(ctx, key, Number.isInteger(version) ? version : -1);
    } catch (err) {
      if (!(err instanceof AppException)) throw err;
      // Changed meanwhile (another tab): the page shows the answer as it now stands.
      if (err.code !== AssessmentErrorCode.AnswerConflict && err.code !== AssessmentErrorCode.NotCarriedOver) throw err;
      return reply.redirect(`/portal?notice=unchanged#q-${key}`, 303);
    }
    return reply.redirect(`/portal?notice=confirmed#q-${key}`, 303);
  }

  @Post('submit')
  @PortalSession()
  async submit(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = portalContext(req);
    try {
      await this.portal.submit(ctx, portalActor(req));
    } catch (err) {
      if (!(err instanceof AppException)) throw err;
      // Submitted already (a second tab, the back button): show the confirmation again.
      if (err.code === AssessmentErrorCode.InvalidTransition) return reply.redirect('/portal/submitted', 303);
      if (err.code !== AssessmentErrorCode.MissingAnswers && err.code !== AssessmentErrorCode.UnconfirmedAnswers) throw err;
      const view = await this.portal.view(ctx, await this.locale(req, ctx));
      return renderPage(req, reply, 'portal/review', { view, refused: true, langPath: '/portal/review' }, 409);
    }
    return reply.redirect('/portal/submitted', 303);
  }

  @Get('submitted')
  @PortalSession()
  async submitted(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = portalContext(req);
    const view = await this.portal.view(ctx, await this.locale(req, ctx));
    if (view.editable || !view.assessment.submittedAt) return reply.redirect('/portal', 303);
    const { recipientEmail } = await this.assessments.getEntity(ctx.assessmentId);
    const files = view.sections.reduce((n, s) => n + s.questions.reduce((m, q) => m + q.files.length, 0), 0);
    return renderPage(req, reply, 'portal/submitted', { view, files, recipientEmail, langPath: '/portal/submitted' });
  }

  private renderQuestionnaire(req: FastifyRequest, reply: FastifyReply, view: PortalView, state: PageState, status = 200) {
    return renderPage(
      req,
      reply,
      'portal/questionnaire',
      {
        view,
        notice: state.notice ?? null,
        errors: state.errors ?? {},
        conflicts: state.conflicts ?? {},
        uploadErrors: state.uploadErrors ?? {},
        langPath: '/portal',
        sectionDomId,
        choicesOf,
        displayValue,
      },
      status,
    );
  }

  /**
   * The page language: `?lang=` or the language cookie (the vendor's own choice), else the
   * language the questionnaire was sent in. The page renderer reads the first two, so the
   * assessment's language is handed to it as if it were the cookie.
   */
  private async locale(req: FastifyRequest, ctx: PortalContext): Promise<Locale> {
    const query = (req.query as Record<string, unknown> | undefined)?.lang;
    const chosen = isLocale(query) ? query : req.cookies?.[LANG_COOKIE];
    if (isLocale(chosen)) return chosen;
    const lang = await this.portal.language(ctx);
    req.cookies = { ...(req.cookies ?? {}), [LANG_COOKIE]: lang };
    return lang;
  }
}
