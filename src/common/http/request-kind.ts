import type { FastifyRequest } from 'fastify';

/** Pages are everything outside the JSON API and the health probes. */
export function isPageRequest(req: FastifyRequest): boolean {
  const url = req.url ?? '';
  return !(url.startsWith('/api') || url.startsWith('/health'));
}
