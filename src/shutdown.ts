import type { LoggerService } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ReadinessService } from './health/readiness.service';

/**
 * What SIGTERM (and SIGINT) do: /health/ready answers 503 at once, so balancers stop sending;
 * the server stops taking connections and lets the requests in flight finish, for at most
 * `graceSeconds`; the reminder engine stops claiming; then the app closes (database last) and
 * the process exits: 0 when everything drained, 1 when the grace ran out first.
 */
export function gracefulShutdown(
  app: NestFastifyApplication,
  graceSeconds: number,
  logger: LoggerService,
  exit: (code: number) => void = (code) => process.exit(code),
): (signal: string) => Promise<void> {
  let started: Promise<void> | null = null;
  return (signal: string) => {
    started ??= (async () => {
      app.get(ReadinessService).beginShutdown();
      logger.log(`${signal}: not ready any more; letting requests in flight finish (at most ${graceSeconds} s)`, 'Shutdown');
      const timer = setTimeout(() => {
        logger.warn(`${signal}: requests still in flight after ${graceSeconds} s; exiting`, 'Shutdown');
        exit(1);
      }, graceSeconds * 1000);
      timer.unref();
      try {
        // The HTTP server first: in-flight requests still have the database, the mailer and the rest.
        await app.getHttpAdapter().getInstance().close();
        await app.close();
      } catch (err) {
        logger.error(`${signal}: shutdown failed: ${err instanceof Error ? err.message : String(err)}`, undefined, 'Shutdown');
        clearTimeout(timer);
        exit(1);
        return;
      }
      clearTimeout(timer);
      logger.log(`${signal}: drained, exiting`, 'Shutdown');
      exit(0);
    })();
    return started;
  };
}
