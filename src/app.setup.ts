import fastifyCookie from '@fastify/cookie';
import fastifyMultipart from '@fastify/multipart';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { problemHeaders, toProblem } from './common/http/problem-details';
import { redactUrlSecrets } from './common/http/url-secrets';
import { CACHE_TEMPLATES, viewEngine, VIEWS_DIR } from './common/http/view-engine';
import { UPLOAD_LIMITS } from './storage/upload-reader';
import { isLocale } from './i18n/i18n';
import { LANG_COOKIE } from './i18n/request-locale';
import type { AppConfig } from './config/app-config';
import { CommonErrorCode, CommonException } from './common/errors/app-exception';
import { sendError } from './common/http/problem-details.filter';
import { ReadinessService } from './health/readiness.service';

/** The repository root, whether running from src/ (ts-jest) or dist/src/ (tsc). */
export const PROJECT_ROOT = path.resolve(__dirname, __dirname.includes(`${path.sep}dist${path.sep}`) ? '../..' : '..');
export const PUBLIC_DIR = path.join(PROJECT_ROOT, 'src', 'public');

const PAGE_SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
};

/** An incoming x-request-id is kept only when it is a short token: it goes into logs and the audit trail (64 characters). */
const INCOMING_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

export function createAdapter(config: Pick<AppConfig, 'LOG_LEVEL'>): FastifyAdapter {
  return new FastifyAdapter({
    bodyLimit: 1024 * 1024,
    // Not `requestIdHeader`, which takes any incoming value: an overlong one broke every audited request on MySQL.
    requestIdHeader: false,
    genReqId: (req: IncomingMessage) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && INCOMING_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    },
    // What the router refuses before any route or hook runs (a parameter over 100 characters: 414;
    // bad percent-encoding: 400) is a problem document too, rather than Fastify's own JSON. Pages
    // cannot be rendered this early (no cookies, session or view context yet).
    frameworkErrors: (err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
      const problem = toProblem(err, (req.url ?? '').split('?')[0], String(req.id));
      void reply
        .status(problem.status)
        .headers({ ...PAGE_SECURITY_HEADERS, ...problemHeaders(problem), 'x-request-id': req.id, 'content-type': 'application/problem+json; charset=utf-8' })
        .send(JSON.stringify(problem));
    },
    logger:
      config.LOG_LEVEL === 'silent'
        ? false
        : {
            level: config.LOG_LEVEL,
            // A portal link's token is part of its path: it never reaches the logs.
            serializers: {
              req: (req: FastifyRequest) => ({ method: req.method, url: redactUrlSecrets(req.url), remoteAddress: req.ip, reqId: req.id }),
            },
            redact: {
              paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', 'req.body.password'],
              censor: '[redacted]',
            },
          },
  });
}

/** Everything main.ts and the tests both need on top of the module graph. */
export async function configureApp(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  await app.register(fastifyCookie as never);
  // Uploads are read by the route itself (`UploadReader.receive`), after its guards: an anonymous body is
  // never read, and an accepted file streams to a temporary file, never into memory.
  await app.register(fastifyMultipart as never, {
    // Keep the name as sent (with any directories) so the evidence check can refuse path-like names.
    preservePath: true,
    limits: UPLOAD_LIMITS,
    // Past the limit the file is cut, and the route reports it as too large (413).
    throwFileSizeLimit: false,
  });
  // @fastify/view sets the engine's cache itself at every render, from `production` (by default:
  // whether NODE_ENV is production), so the engine's choice (view-engine.ts) is repeated here.
  app.setViewEngine({
    engine: { eta: viewEngine },
    templates: VIEWS_DIR,
    production: CACHE_TEMPLATES,
  } as never);
  app.useStaticAssets({ root: PUBLIC_DIR, prefix: '/assets/', decorateReply: false, maxAge: 3600_000 });

  const fastify = app.getHttpAdapter().getInstance();
  const readiness = app.get(ReadinessService);
  fastify.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
    // With migrations pending (MIGRATIONS_RUN=false), every route but the health checks answers
    // 503 rather than failing on a table that is not there yet.
    if (!req.url.startsWith('/health') && (await readiness.schemaPending())) {
      return sendError(new CommonException(CommonErrorCode.Unavailable, 'The database schema is not up to date; run `npm run migration:run`.'), req, reply);
    }
    const lang = (req.query as Record<string, unknown> | undefined)?.lang;
    if (isLocale(lang)) reply.setCookie(LANG_COOKIE, lang, { path: '/', sameSite: 'lax', httpOnly: true, maxAge: 365 * 86400 });
  });
  fastify.addHook('onSend', async (req, reply, payload) => {
    if (!req.url.startsWith('/api/docs')) {
      for (const [k, v] of Object.entries(PAGE_SECURITY_HEADERS)) reply.header(k, v);
    }
    if (config.cookieSecure) reply.header('strict-transport-security', 'max-age=31536000');
    // API answers carry session tokens, portal sessions and vendors' data: never kept by a cache.
    if (req.url.startsWith('/api/') && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    return payload;
  });

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Vendor due-diligence portal')
      .setDescription(
        'Vendor register, inherent-risk tiering, staff accounts and audit trail. Errors are RFC 9457 problem+json. ' +
          'Authenticate with `POST /api/auth/login`, then send `Authorization: Bearer <token>`.',
      )
      .setVersion('0.1.0')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'opaque session token' })
      .addCookieAuth('vdp_session')
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs/json' });
}
