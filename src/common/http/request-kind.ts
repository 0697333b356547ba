import type { FastifyRequest } from 'fastify';

/** Pages are everything outside the JSON API, the health probes and the calendar feeds (read by calendar apps). */
export function isPageRequest(req: FastifyRequest): boolean {
  const url = req.url ?? '';
  return !(url.startsWith('/api') || url.startsWith('/health') || url.startsWith('/calendar/'));
}
