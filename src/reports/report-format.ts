/** How the reports write dates, times, scores and counted phrases, per language. Pure. */
import type { Locale } from '../i18n/i18n';

const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function parts(value: Date | string): { y: number; m: number; d: number } {
  const iso = typeof value === 'string' ? value.slice(0, 10) : value.toISOString().slice(0, 10);
  const [y, m, d] = iso.split('-').map(Number);
  return { y, m, d };
}

/** "3 Mar 2027" or "2027年3月3日"; a Date is read in UTC. */
export function formatDate(value: Date | string, locale: Locale): string {
  const { y, m, d } = parts(value);
  return locale === 'zh-CN' ? `${y}年${m}月${d}日` : `${d} ${MONTHS_EN[m - 1]} ${y}`;
}

/** "3 Mar 2027, 09:05 UTC" or "2027年3月3日 09:05 UTC". */
export function formatDateTime(value: Date, locale: Locale): string {
  const time = value.toISOString().slice(11, 16);
  return locale === 'zh-CN' ? `${formatDate(value, locale)} ${time} UTC` : `${formatDate(value, locale)}, ${time} UTC`;
}

/** A 0–100 score with at most one decimal: "82.5", "100". */
export function formatScore(score: number): string {
  return String(Math.round(score * 10) / 10);
}

/** A counted phrase: the catalogue holds `key.one` and `key.other` (Chinese needs only `.other`); `{n}` is the count. */
export function plural(t: (key: string, params?: Record<string, string | number>) => string, key: string, n: number, params: Record<string, string | number> = {}): string {
  const one = t(`${key}.one`, { ...params, n });
  return n === 1 && one !== `${key}.one` ? one : t(`${key}.other`, { ...params, n });
}
