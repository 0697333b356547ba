import { CanActivate, ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { AuthErrorCode, AuthException } from './auth.exception';
import { AUTH_KEY, AuthOptions, DELEGATED_AUTH_KEY, PUBLIC_KEY } from './auth.decorators';
import type { AuthContext } from './auth-context';
import { hasPermission } from './permissions';
import { CSRF_FIELD, CSRF_HEADER, safeEqual, SESSION_COOKIE } from './session-token';
import { SessionService } from './session.service';
import { deferCsrfToUpload, UPLOAD_ROUTE_KEY } from '../storage/upload-reader';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The global guard (APP_GUARD). Deny by default: a route must be `@Public()` or
 * `@Authenticated()`; anything else is refused. Sessions come from `Authorization: Bearer`
 * or the httpOnly cookie; cookie-authenticated state changes must carry the CSRF token.
 */
@Injectable()
export class SessionAuthGuard implements CanActivate {
  private readonly logger = new Logger(SessionAuthGuard.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: SessionService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return false;
    const targets = [context.getHandler(), context.getClass()];
    const isPublic = this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets);
    const options = this.reflector.getAllAndOverride<AuthOptions | undefined>(AUTH_KEY, targets);
    const req = context.switchToHttp().getRequest<FastifyRequest>();

    // The route's own guard (the portal session guard) decides; it runs right after this one.
    if (this.reflector.getAllAndOverride<boolean>(DELEGATED_AUTH_KEY, targets)) return true;

    if (isPublic) {
      // Public pages still show who is signed in, when someone is.
      req.auth = (await this.authenticate(req)) ?? undefined;
      return true;
    }
    if (!options) {
      this.logger.error(`Route ${req.method} ${req.routeOptions?.url ?? ''} has neither @Public() nor @Authenticated(): denied`);
      throw new AuthException(AuthErrorCode.Forbidden);
    }

    const auth = await this.authenticate(req);
    if (!auth) throw new AuthException(AuthErrorCode.Unauthenticated, 'Sign in, or send a valid bearer token.');
    req.auth = auth;

    if (auth.via === 'cookie' && !SAFE_METHODS.has(req.method)) {
      const upload = this.reflector.getAllAndOverride<boolean>(UPLOAD_ROUTE_KEY, targets);
      const refuse = () => new AuthException(AuthErrorCode.CsrfFailed, `Send the ${CSRF_FIELD} form field of your session before the file.`);
      if (!deferCsrfToUpload(req, upload, auth.csrfToken, refuse)) this.checkCsrf(req, auth);
    }
    const needed = [...(options.permission ? [options.permission] : []), ...(options.alsoNeeds ?? [])];
    if (needed.some((p) => !hasPermission(auth.user.role, p))) {
      throw new AuthException(AuthErrorCode.Forbidden, `Your role (${auth.user.role}) does not allow this.`);
    }
    return true;
  }

  private async authenticate(req: FastifyRequest): Promise<AuthContext | null> {
    const header = req.headers.authorization;
    if (header) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      return match ? this.sessions.resolve(match[1], 'bearer') : null;
    }
    const cookie = req.cookies?.[SESSION_COOKIE];
    return cookie ? this.sessions.resolve(cookie, 'cookie') : null;
  }

  private checkCsrf(req: FastifyRequest, auth: AuthContext): void {
    const body = req.body as Record<string, unknown> | undefined;
    const fromHeader = req.headers[CSRF_HEADER];
    const fromBody = body && typeof body === 'object' ? body[CSRF_FIELD] : undefined;
    const presented = typeof fromHeader === 'string' ? fromHeader : typeof fromBody === 'string' ? fromBody : '';
    if (body && typeof body === 'object' && CSRF_FIELD in body) delete body[CSRF_FIELD];
    if (!presented || !safeEqual(presented, auth.csrfToken)) {
      throw new AuthException(AuthErrorCode.CsrfFailed, `Send the ${CSRF_HEADER} header (or the ${CSRF_FIELD} form field) of your session.`);
    }
  }
}
