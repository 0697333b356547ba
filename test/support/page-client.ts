import { csrfTokenFor } from '../../src/auth/session-token';
import type { StaffUser, TestContext } from './test-app';

/** Staff pages as a browser uses them: the session cookie, and form posts carrying the CSRF token. */
export const sessionCookie = (u: StaffUser) => `vdp_session=${u.token}`;

/** A url-encoded form body with the user's CSRF token; a list value repeats its field. */
export function formBody(u: StaffUser, fields: Record<string, string | string[]>): string {
  const p = new URLSearchParams({ _csrf: csrfTokenFor(u.token) });
  for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) p.append(k, x);
  return p.toString();
}

export const pageGet = (ctx: TestContext, u: StaffUser, path: string) => ctx.http.get(path).set('Cookie', sessionCookie(u));

export const pagePost = (ctx: TestContext, u: StaffUser, path: string, fields: Record<string, string | string[]> = {}) =>
  ctx.http.post(path).set('Cookie', sessionCookie(u)).type('form').send(formBody(u, fields));
