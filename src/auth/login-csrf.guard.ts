import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomBytes } from 'node:crypto';
import type { AppConfig } from '../config/app-config';
import { AuthErrorCode, AuthException } from './auth.exception';
import { CSRF_FIELD, safeEqual } from './session-token';

export const LOGIN_CSRF_COOKIE = 'vdp_login_csrf';

/**
 * Before there is a session, the sign-in form is protected by a double-submit token: the
 * form carries the value of a SameSite=Strict cookie, which another site can neither read
 * nor send. This stops a page elsewhere from signing a visitor into an account of its own.
 */
export function issueLoginCsrf(req: FastifyRequest, reply: FastifyReply, config: AppConfig): string {
  const existing = req.cookies?.[LOGIN_CSRF_COOKIE];
  if (existing && /^[\w-]{32,64}$/.test(existing)) return existing;
  const token = randomBytes(24).toString('base64url');
  reply.setCookie(LOGIN_CSRF_COOKIE, token, { httpOnly: true, sameSite: 'strict', secure: config.cookieSecure, path: '/login' });
  return token;
}

@Injectable()
export class LoginCsrfGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    const body = req.body as Record<string, unknown> | undefined;
    const presented = body && typeof body === 'object' ? body[CSRF_FIELD] : undefined;
    const expected = req.cookies?.[LOGIN_CSRF_COOKIE];
    if (body && typeof body === 'object') delete body[CSRF_FIELD];
    if (typeof presented !== 'string' || !expected || !safeEqual(presented, expected)) {
      throw new AuthException(AuthErrorCode.CsrfFailed, 'Reload the sign-in page and try again.');
    }
    return true;
  }
}
