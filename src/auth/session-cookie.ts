import type { FastifyReply } from 'fastify';
import type { AppConfig } from '../config/app-config';
import { SESSION_COOKIE } from './session-token';

/**
 * Sets the session cookie with a relative Max-Age (the session's absolute lifetime), so a
 * browser whose clock differs from the server's keeps it exactly as long as the server does.
 */
export function setSessionCookie(reply: FastifyReply, config: AppConfig, token: string): void {
  reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: config.cookieSecure,
    path: '/',
    maxAge: config.SESSION_ABSOLUTE_HOURS * 3600,
  });
}

export function clearSessionCookie(reply: FastifyReply, config: AppConfig): void {
  reply.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', secure: config.cookieSecure, path: '/' });
}
