import { applyDecorators, CanActivate, ExecutionContext, Injectable, SetMetadata, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { DELEGATED_AUTH_KEY } from '../auth/auth.decorators';
import { CSRF_FIELD, CSRF_HEADER, safeEqual } from '../auth/session-token';
import { PortalAccessService } from './portal-access.service';
import { Reflector } from '@nestjs/core';
import { deferCsrfToUpload, UPLOAD_ROUTE_KEY } from '../storage/upload-reader';
import { PORTAL_COOKIE } from './portal-context';
import { PortalErrorCode, PortalException } from './portal.exception';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Authenticates a vendor by portal session: `Authorization: Bearer` (integrations) or the
 * httpOnly cookie set when a link is opened. Cookie-authenticated changes carry the CSRF token.
 * Staff sessions mean nothing here, and a portal session means nothing anywhere else.
 */
@Injectable()
export class PortalSessionGuard implements CanActivate {
  constructor(
    private readonly access: PortalAccessService,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    const header = req.headers.authorization;
    let portal = null;
    if (header) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      portal = match ? await this.access.resolve(match[1], 'bearer') : null;
    } else {
      const cookie = req.cookies?.[PORTAL_COOKIE];
      portal = cookie ? await this.access.resolve(cookie, 'cookie') : null;
    }
    if (!portal) throw new PortalException(PortalErrorCode.SessionRequired, 'Open the questionnaire link from your email again.');
    const upload = this.reflector.getAllAndOverride<boolean>(UPLOAD_ROUTE_KEY, [context.getHandler(), context.getClass()]);
    const refuse = () => new PortalException(PortalErrorCode.CsrfFailed, `Send the ${CSRF_FIELD} form field of your portal session before the file.`);
    if (portal.via === 'cookie' && !SAFE_METHODS.has(req.method) && !deferCsrfToUpload(req, upload, portal.csrfToken, refuse)) {
      const body = req.body as Record<string, unknown> | undefined;
      const fromHeader = req.headers[CSRF_HEADER];
      const fromBody = body && typeof body === 'object' && !Array.isArray(body) ? body[CSRF_FIELD] : undefined;
      const presented = typeof fromHeader === 'string' ? fromHeader : typeof fromBody === 'string' ? fromBody : '';
      if (body && typeof body === 'object' && CSRF_FIELD in body) delete body[CSRF_FIELD];
      if (!presented || !safeEqual(presented, portal.csrfToken)) throw new PortalException(PortalErrorCode.CsrfFailed, `Send the ${CSRF_HEADER} header of your portal session.`);
    }
    req.portal = portal;
    return true;
  }
}

/** A route for a vendor with a portal session (and no staff account). */
export function PortalSession() {
  return applyDecorators(
    SetMetadata(DELEGATED_AUTH_KEY, true),
    UseGuards(PortalSessionGuard),
    ApiBearerAuth(),
    ApiCookieAuth(PORTAL_COOKIE),
    ApiUnauthorizedResponse({ description: 'No valid portal session' }),
  );
}
