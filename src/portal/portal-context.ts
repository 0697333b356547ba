/** The vendor behind a portal request: one assessment, nothing else. Set by the portal guard. */
export interface PortalContext {
  assessmentId: string;
  sessionId: string;
  csrfToken: string;
  via: 'bearer' | 'cookie';
}

declare module 'fastify' {
  interface FastifyRequest {
    portal?: PortalContext;
  }
}

export const PORTAL_COOKIE = 'vdp_portal';
