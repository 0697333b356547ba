import { LoggerService, LogLevel } from '@nestjs/common';

const LEVELS: Record<string, number> = { trace: 10, debug: 20, verbose: 20, info: 30, log: 30, warn: 40, error: 50, fatal: 60, silent: 100 };

const SECRET_PATTERNS: Array<[RegExp, string]> = [
  [/(authorization:\s*bearer\s+)\S+/gi, '$1[redacted]'],
  [/((?:password|token|secret|cookie)["']?\s*[:=]\s*["']?)[^"',\s}&;]+/gi, '$1[redacted]'],
];

const STARTUP_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer']);

/** Scrubs values that look like credentials from a log line. */
export function redact(text: string): string {
  return SECRET_PATTERNS.reduce((s, [re, by]) => s.replace(re, by), text);
}

/** Nest's application logger as one JSON object a line, like Fastify's request logs. */
export class JsonLogger implements LoggerService {
  private readonly threshold: number;

  constructor(level: string = 'info') {
    this.threshold = LEVELS[level] ?? 30;
  }

  log(message: unknown, context?: string) {
    // Nest's start-up chatter (one line per module and route) is debug detail.
    this.write(context && STARTUP_CONTEXTS.has(context) ? 'debug' : 'info', message, context);
  }
  error(message: unknown, stackOrContext?: string, context?: string) {
    this.write('error', message, context ?? stackOrContext);
  }
  warn(message: unknown, context?: string) {
    this.write('warn', message, context);
  }
  debug(message: unknown, context?: string) {
    this.write('debug', message, context);
  }
  verbose(message: unknown, context?: string) {
    this.write('trace', message, context);
  }
  fatal(message: unknown, context?: string) {
    this.write('fatal', message, context);
  }
  setLogLevels(_levels: LogLevel[]) {}

  private write(level: string, message: unknown, context?: string) {
    if (LEVELS[level] < this.threshold) return;
    const msg = typeof message === 'string' ? message : message instanceof Error ? message.message : JSON.stringify(message);
    const line = JSON.stringify({ level: LEVELS[level], time: Date.now(), context, msg: redact(msg) });
    process.stdout.write(line + '\n');
  }
}
