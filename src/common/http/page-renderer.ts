import '@fastify/view';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { hasPermission, Permission } from '../../auth/permissions';
import { translate } from '../../i18n/i18n';
import { resolveLocale } from '../../i18n/request-locale';

/**
 * Renders a server-side page with what every template needs: the translator, the signed-in
 * user, their permissions and the CSRF token for forms.
 */
export function renderPage(
  req: FastifyRequest,
  reply: FastifyReply,
  template: string,
  data: Record<string, unknown> = {},
  status = 200,
): FastifyReply {
  const locale = resolveLocale(req);
  const user = req.auth?.user ?? null;
  const path = (req.url ?? '/').split('?')[0];
  const locals = {
    ...data,
    locale,
    user,
    path,
    csrfToken: req.auth?.csrfToken ?? req.portal?.csrfToken ?? '',
    t: (key: string, params?: Record<string, string | number>) => translate(locale, key, params),
    can: (permission: Permission) => (user ? hasPermission(user.role, permission) : false),
    langUrl: (lang: string) => {
      const params = new URLSearchParams((req.url ?? '').split('?')[1] ?? '');
      params.set('lang', lang);
      return `${path}?${params.toString()}`;
    },
  };
  reply.header('cache-control', 'no-store');
  return reply.status(status).type('text/html; charset=utf-8').view(`${template}.eta`, locals);
}

/** A same-site path to go to after sign-in; anything else falls back to the vendor list. */
export function safeNext(next: unknown, fallback = '/vendors'): string {
  return typeof next === 'string' && /^\/(?![/\\])[\w\-./?=&%]*$/.test(next) ? next : fallback;
}

/** The `?notice=` key a redirect after a form post carries (translated as `notice.<key>`). */
export function noticeFrom(req: FastifyRequest): string | null {
  const n = (req.query as Record<string, unknown> | undefined)?.notice;
  return typeof n === 'string' && /^[a-z_]{1,40}$/.test(n) ? n : null;
}
