import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { renderPage } from './page-renderer';
import { problemHeaders, toProblem } from './problem-details';
import { isPageRequest } from './request-kind';
import { redactUrlSecrets } from './url-secrets';

/** Sends any error as problem+json (API) or as an error page (pages; 401 goes to sign-in). */
export function sendError(err: unknown, req: FastifyRequest, reply: FastifyReply): FastifyReply | Promise<FastifyReply> {
  const instance = redactUrlSecrets(req.url).split('?')[0];
  const problem = toProblem(err, instance, String(req.id));
  reply.headers(problemHeaders(problem));
  if (isPageRequest(req) && req.method !== 'HEAD') {
    if (problem.status === 401) {
      return reply.redirect(`/login?next=${encodeURIComponent(req.url ?? '/')}`, 303);
    }
    return renderPage(req, reply, 'errors/error', { problem }, problem.status);
  }
  return reply.status(problem.status).header('content-type', 'application/problem+json; charset=utf-8').send(JSON.stringify(problem));
}

/** The global filter (APP_FILTER): every exception a route throws ends here. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    void sendError(exception, ctx.getRequest<FastifyRequest>(), ctx.getResponse<FastifyReply>());
  }
}
