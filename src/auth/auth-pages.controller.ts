import { ArgumentsHost, Catch, Controller, ExceptionFilter, Get, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { actorFromRequest } from '../audit/audit-context';
import { AppConfig } from '../config/app-config';
import { AppException, FieldError } from '../common/errors/app-exception';
import { errorMap } from '../common/forms/form-body';
import { noticeFrom, renderPage, safeNext } from '../common/http/page-renderer';
import { sendError } from '../common/http/problem-details.filter';
import type { UserEntity } from '../users/user.entity';
import { Authenticated, Public } from './auth.decorators';
import { AuthErrorCode } from './auth.exception';
import { AuthService } from './auth.service';
import { LocalAuthGuard } from './local-auth.guard';
import { issueLoginCsrf, LoginCsrfGuard } from './login-csrf.guard';
import { clearSessionCookie, setSessionCookie } from './session-cookie';
import { SessionService } from './session.service';

/** Re-renders the sign-in form when passport-local or validation refuses the attempt. */
@Catch()
class LoginPageFilter implements ExceptionFilter {
  constructor(private readonly config: AppConfig) {}

  catch(err: unknown, host: ArgumentsHost) {
    const req = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (!(err instanceof AppException)) return sendError(err, req, reply);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const status = err.code === AuthErrorCode.Throttled ? 429 : err.code === AuthErrorCode.InvalidCredentials ? 401 : err.code === AuthErrorCode.CsrfFailed ? 403 : 400;
    const message = err.code === AuthErrorCode.Throttled ? 'login.throttled' : err.code === AuthErrorCode.CsrfFailed ? 'login.expired' : 'login.failed';
    return renderPage(req, reply, 'auth/login', {
      loginCsrf: issueLoginCsrf(req, reply, this.config),
      notice: null,
      email: typeof body.email === 'string' ? body.email : '',
      next: safeNext(body.next),
      error: message,
      errors: errorMap(err.fieldErrors as FieldError[] | undefined),
    }, status);
  }
}

@ApiExcludeController()
@Controller()
export class AuthPagesController {
  constructor(
    private readonly sessions: SessionService,
    private readonly auth: AuthService,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @Public()
  home(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    return reply.redirect(req.auth ? '/vendors' : '/login', 303);
  }

  @Get('login')
  @Public()
  loginForm(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const next = safeNext((req.query as Record<string, unknown>).next);
    if (req.auth) return reply.redirect(next, 303);
    const loginCsrf = issueLoginCsrf(req, reply, this.config);
    return renderPage(req, reply, 'auth/login', { email: '', next, error: null, errors: {}, loginCsrf, notice: noticeFrom(req) });
  }

  @Post('login')
  @Public()
  @UseGuards(LoginCsrfGuard, LocalAuthGuard)
  @UseFilters(LoginPageFilter)
  async login(@Req() req: FastifyRequest & { user: UserEntity }, @Res() reply: FastifyReply) {
    const issued = await this.sessions.issue(req.user, { ip: req.ip, userAgent: req.headers['user-agent'] });
    setSessionCookie(reply, this.config, issued.token);
    return reply.redirect(safeNext((req.body as Record<string, unknown>).next), 303);
  }

  @Post('logout')
  @Authenticated()
  async logout(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    await this.auth.logout(req.auth!.sessionId, actorFromRequest(req));
    clearSessionCookie(reply, this.config);
    return reply.redirect('/login?notice=signed_out', 303);
  }
}
