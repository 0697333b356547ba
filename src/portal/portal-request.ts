import { Injectable, PipeTransform } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { AuditActor } from '../audit/audit-context';
import { AssessmentErrorCode, AssessmentException } from '../assessments/assessment.exception';
import type { PortalContext } from './portal-context';

/** The audit actor of a vendor: no user, labelled by its portal session. */
export function portalActor(req: FastifyRequest): AuditActor {
  return { actorId: null, actorLabel: `vendor portal (session ${req.portal?.sessionId.slice(0, 8) ?? '?'})`, ip: req.ip ?? null, requestId: String(req.id ?? '') || null };
}

export function portalContext(req: FastifyRequest): PortalContext {
  return req.portal!;
}

const QUESTION_KEY = /^[a-z][a-z0-9_]*(?:[.-][a-z0-9_]+)*$/;

/** A question key in a path: a malformed one is as unknown as a missing one (404). */
@Injectable()
export class QuestionKeyPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (typeof value !== 'string' || value.length > 100 || !QUESTION_KEY.test(value)) throw new AssessmentException(AssessmentErrorCode.UnknownQuestion);
    return value;
  }
}
