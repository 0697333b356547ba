/**
 * What a failure of the database or the disk means for the client: `unavailable` (the database
 * cannot be reached, or refused for a moment: try again later, 503) or `full` (no space left to
 * store what was sent, 507). Anything else is a fault of ours (500). Driver errors arrive wrapped
 * (TypeORM's QueryFailedError keeps them as `driverError`; a failed transaction as `cause`).
 */
export type InfrastructureFailure = 'unavailable' | 'full';

const UNAVAILABLE_CODES = new Set([
  // Node's sockets (mysql2 surfaces them as they are)
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  // mysql2 and the server
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR',
  'PROTOCOL_ENQUEUE_AFTER_QUIT',
  'ER_CON_COUNT_ERROR',
  'ER_TOO_MANY_USER_CONNECTIONS',
  'ER_SERVER_SHUTDOWN',
  'ER_CONNECTION_KILLED',
  'ER_QUERY_INTERRUPTED',
  'ER_LOCK_WAIT_TIMEOUT',
  'ER_LOCK_DEADLOCK',
  'ER_UNKNOWN_COM_ERROR',
  'ER_OPTION_PREVENTS_STATEMENT',
  'ER_CLIENT_INTERACTION_TIMEOUT',
  // SQLite
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_CANTOPEN',
  'SQLITE_READONLY',
  'SQLITE_PROTOCOL',
]);

/** The server's error numbers for the same, where only the number comes through. */
const UNAVAILABLE_ERRNOS = new Set([1040, 1053, 1205, 1213, 1290, 1317, 1927, 2002, 2003, 2006, 2013, 4031]);

const FULL_CODES = new Set(['ENOSPC', 'EDQUOT', 'SQLITE_FULL', 'ER_RECORD_FILE_FULL', 'ER_DISK_FULL']);
const FULL_ERRNOS = new Set([1021, 1114]);

const UNAVAILABLE_MESSAGES = [
  /Pool is closed/i,
  /connection is in closed state/i,
  /Connection lost/i,
  /server has gone away/i,
  /Can't connect to/i,
  /Connection acquire timeout/i,
  /database connection is not open/i,
];

export function classifyInfrastructureError(err: unknown, depth = 0): InfrastructureFailure | undefined {
  if (!err || typeof err !== 'object' || depth > 5) return undefined;
  const e = err as { code?: unknown; errno?: unknown; message?: unknown; driverError?: unknown; cause?: unknown };
  const code = typeof e.code === 'string' ? e.code : undefined;
  // SQLite's extended codes: SQLITE_IOERR_WRITE, SQLITE_BUSY_SNAPSHOT, …
  if (code && (FULL_CODES.has(code) || code.startsWith('SQLITE_FULL'))) return 'full';
  if (typeof e.errno === 'number' && FULL_ERRNOS.has(e.errno) && !code?.startsWith('E')) return 'full';
  if (code && (UNAVAILABLE_CODES.has(code) || /^SQLITE_(IOERR|BUSY|LOCKED|CANTOPEN)/.test(code))) return 'unavailable';
  if (typeof e.errno === 'number' && UNAVAILABLE_ERRNOS.has(e.errno) && !code?.startsWith('E')) return 'unavailable';
  const inner = classifyInfrastructureError(e.driverError, depth + 1) ?? classifyInfrastructureError(e.cause, depth + 1);
  if (inner) return inner;
  if (typeof e.message === 'string' && UNAVAILABLE_MESSAGES.some((m) => m.test(e.message as string))) return 'unavailable';
  return undefined;
}
