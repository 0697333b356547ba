import type { FastifyRequest } from 'fastify';
import { AppException, FieldError } from '../errors/app-exception';
import { catalogEntry } from '../errors/error-catalog';
import { errorMap } from './form-body';

/**
 * Field errors for a page: a message of the page's own catalogue for the fields that have one
 * (their rules say more than a generic "invalid"), else the shared validation messages.
 */
export function pageErrors(errors: FieldError[] | undefined, messages: Record<string, string>): Record<string, string> {
  const map = errorMap(errors);
  for (const path of Object.keys(map)) {
    const own = messages[path] ?? messages[path.replace(/\.\d+(?=\.|$)/g, '.*')];
    if (own) map[path] = own;
  }
  return map;
}

/** A page's query without empty filters (`?status=` from an "any" option) and the page's own parameters. */
export function filterQuery(req: FastifyRequest, own: readonly string[] = ['lang', 'notice']): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries((req.query as Record<string, unknown>) ?? {})) if (!own.includes(k) && v !== '') out[k] = v;
  return out;
}

export interface PageProblem {
  code: string;
  status: number;
  detail: string | null;
  /** For a refused move: the moves that are allowed. */
  allowed: string[];
}

/** A refused move (409) or other known problem as a notice on the page; anything else is rethrown. */
export function problemNotice(err: unknown, statuses: readonly number[] = [409]): PageProblem {
  if (!(err instanceof AppException)) throw err;
  const status = catalogEntry(err.code).status;
  if (!statuses.includes(status)) throw err;
  const allowed = Array.isArray(err.extensions?.allowed) ? (err.extensions.allowed as string[]) : [];
  return { code: err.code, status, detail: err.detail ?? null, allowed };
}
