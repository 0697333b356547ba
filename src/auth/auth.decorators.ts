import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { AuthContext } from './auth-context';
import { Permission } from './permissions';

export const PUBLIC_KEY = 'auth:public';
export const AUTH_KEY = 'auth:options';
/** Set on routes whose caller is authenticated by a guard of their own (the vendor portal's). */
export const DELEGATED_AUTH_KEY = 'auth:delegated';

export interface AuthOptions {
  /** The permission the route needs; absent means any signed-in staff user. */
  permission?: Permission;
  /** Further permissions the route needs as well, for a route that shows several kinds of data (a report). */
  alsoNeeds?: Permission[];
}

/** A route anyone may call. Every other route must carry `@Authenticated()`; the guard denies routes with neither. */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** Requires a staff session (bearer token or cookie) and, when given, a permission; documents both in OpenAPI. */
export function Authenticated(options: AuthOptions = {}) {
  return applyDecorators(
    SetMetadata(AUTH_KEY, options),
    ApiBearerAuth(),
    ApiCookieAuth(),
    ApiUnauthorizedResponse({ description: 'No valid session' }),
    ...(options.permission ? [ApiForbiddenResponse({ description: `Needs permission ${[options.permission, ...(options.alsoNeeds ?? [])].join(' and ')}` })] : []),
  );
}

/** The signed-in caller, set by the auth guard. */
export const Auth = createParamDecorator((_data: unknown, ctx: ExecutionContext): AuthContext => {
  const req = ctx.switchToHttp().getRequest<FastifyRequest>();
  return req.auth!;
});
