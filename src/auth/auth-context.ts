import type { Role } from './permissions';

export interface AuthUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  locale: string;
}

export interface AuthContext {
  user: AuthUser;
  sessionId: string;
  /** Token pages must echo on state-changing requests authenticated by cookie. */
  csrfToken: string;
  via: 'bearer' | 'cookie';
}

declare module 'fastify' {
  interface FastifyRequest {
    auth?: AuthContext;
  }
}
