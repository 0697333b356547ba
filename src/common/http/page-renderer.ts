import '@fastify/view';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomBytes } from 'node:crypto';
import { hasPermission, Permission } from '../../auth/permissions';
import { translate } from '../../i18n/i18n';
import { resolveLocale } from '../../i18n/request-locale';
import { renderPartial } from './view-engine';

/**
 * Renders a server-side page with what every template needs: the translator, the signed-in
 * user, their permissions and the CSRF token for forms.
 *
 * A long page draws its repeated blocks with `it.part(template, data)`: the partial gets `data` as
 * its `it` (see renderPartial), and its markup is kept apart; the page is sent as one buffer
 * joined from the pieces' UTF-8. Drawn as
 * one string, a 65-question portal page (170 KB, twice that in memory once it holds a Chinese
 * character) became one flat string in V8's large-object space at every request: the old heap
 * grew by about 18 MB a second at 50 pages a second, and its collections (pauses of 10–17 ms)
 * set the page's p99. The pieces are small strings that die young.
 */
export async function renderPage(
  req: FastifyRequest,
  reply: FastifyReply,
  template: string,
  data: Record<string, unknown> = {},
  status = 200,
): Promise<FastifyReply> {
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
  // A random mark per page, so text in the page (an answer, say) cannot pass for a part.
  const parts: string[] = [];
  const mark = `\u0000${randomBytes(8).toString('hex')}:`;
  const withParts = { ...locals, part: (template: string, partData: object) => `${mark}${parts.push(renderPartial(template, partData)) - 1}\u0000` };
  reply.header('cache-control', 'no-store');
  reply.status(status).type('text/html; charset=utf-8');
  let html: string;
  try {
    html = await reply.viewAsync(`${template}.eta`, withParts);
  } catch (err) {
    return reply.send(err);
  }
  return reply.send(parts.length ? joinParts(html, mark, parts) : html);
}

/** The page's UTF-8, its marks replaced by their parts, without ever making it one string. */
export function joinParts(html: string, mark: string, parts: readonly string[]): Buffer {
  // split with a capture group: text, part number, text, part number, …, text
  const pieces = html.split(new RegExp(`${mark}(\\d+)\u0000`));
  let size = 0;
  for (let i = 0; i < pieces.length; i++) {
    if (i % 2) pieces[i] = parts[Number(pieces[i])];
    size += Buffer.byteLength(pieces[i], 'utf8');
  }
  // One buffer written piece by piece: no buffer per piece to copy again.
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (const piece of pieces) at += out.write(piece, at, 'utf8');
  // Never send bytes of the buffer that were not written (allocUnsafe does not clear memory).
  return at === size ? out : out.subarray(0, at);
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
