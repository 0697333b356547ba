import type { FastifyRequest } from 'fastify';

/** Who did it and from where: taken from the request, passed to services that change state. */
export interface AuditActor {
  actorId: string | null;
  actorLabel: string | null;
  ip: string | null;
  requestId: string | null;
}

export function actorFromRequest(req: FastifyRequest): AuditActor {
  return {
    actorId: req.auth?.user.id ?? null,
    actorLabel: req.auth?.user.email ?? null,
    ip: req.ip ?? null,
    requestId: String(req.id ?? '') || null,
  };
}

export const SYSTEM_ACTOR: AuditActor = { actorId: null, actorLabel: 'system', ip: null, requestId: null };
