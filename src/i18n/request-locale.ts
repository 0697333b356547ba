import type { FastifyRequest } from 'fastify';
import { isLocale, Locale, localeFromAcceptLanguage } from './i18n';

export const LANG_COOKIE = 'vdp_lang';

/** `?lang=`, then the language cookie, then the user's setting, then Accept-Language, then English. */
export function resolveLocale(req: FastifyRequest): Locale {
  const q = (req.query as Record<string, unknown> | undefined)?.lang;
  if (isLocale(q)) return q;
  const cookie = req.cookies?.[LANG_COOKIE];
  if (isLocale(cookie)) return cookie;
  if (isLocale(req.auth?.user.locale)) return req.auth!.user.locale as Locale;
  return localeFromAcceptLanguage(req.headers['accept-language']) ?? 'en';
}
