import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';
import * as path from 'node:path';

const toInt = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : /^-?\d+$/.test(String(value)) ? Number(value) : value;
const toBool = ({ value }: { value: unknown }) => {
  if (value === undefined || value === '') return undefined;
  const v = String(value).toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  return value;
};
const emptyToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);
/** "60,30,7" → [60, 30, 7]; anything else stays as given, for the validator to refuse. */
const toDayList = ({ value }: { value: unknown }) => {
  if (value === undefined || value === '' || Array.isArray(value)) return value === '' ? undefined : value;
  const parts = String(value).split(',').map((p) => p.trim());
  return parts.every((p) => /^\d{1,4}$/.test(p)) ? parts.map(Number) : value;
};
const DAY_LIST = { message: '$property must be a comma-separated list of whole days from 1 to 3650, e.g. 60,30,7' };

/**
 * Every setting the portal reads from the environment, validated once at start.
 * Names match the environment variables; README documents each of them.
 */
export class AppConfig {
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @Transform(emptyToUndefined)
  @IsString()
  HOST = '0.0.0.0';

  @Transform(emptyToUndefined)
  @IsString()
  DATA_DIR = './data';

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^(mysql|mariadb):\/\/[^/]+\/[A-Za-z0-9_$-]+(\?.*)?$/, {
    message: 'DATABASE_URL must look like mysql://user:pass@host:3306/database (unset it to use SQLite)',
  })
  DATABASE_URL?: string;

  @Transform(emptyToUndefined)
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] }, {
    message: 'PUBLIC_URL must be an absolute http(s) URL, such as https://vendors.example.com',
  })
  PUBLIC_URL = 'http://localhost:3000';

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsEmail({}, { message: 'ADMIN_EMAIL must be an email address' })
  ADMIN_EMAIL?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(12, { message: 'ADMIN_PASSWORD must have at least 12 characters' })
  ADMIN_PASSWORD?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^smtps?:\/\/.+/, { message: 'SMTP_URL must look like smtp://user:pass@host:587 or smtps://…' })
  SMTP_URL?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsEmail({}, { message: 'MAIL_FROM must be an email address' })
  MAIL_FROM?: string;

  @Transform(toBool)
  @IsBoolean({ message: 'MIGRATIONS_RUN must be true or false' })
  MIGRATIONS_RUN = true;

  @Transform(toInt)
  @IsInt()
  @Min(5)
  @Max(24 * 60)
  SESSION_IDLE_MINUTES = 60;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(24 * 30)
  SESSION_ABSOLUTE_HOURS = 12;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  LOGIN_MAX_FAILURES = 5;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(24 * 60)
  LOGIN_LOCK_MINUTES = 15;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10000)
  LOGIN_IP_LIMIT = 30;

  /** A portal link stays valid this many days after the questionnaire's due date. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(365)
  PORTAL_LINK_GRACE_DAYS = 30;

  /** A vendor's portal session lasts this long at most (and never past its link's expiry). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(24 * 30)
  PORTAL_SESSION_HOURS = 24;

  /** Failed portal-link attempts allowed per IP address in 15 minutes. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10000)
  PORTAL_TOKEN_IP_LIMIT = 20;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(120)
  REVIEW_MONTHS_CRITICAL = 12;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(120)
  REVIEW_MONTHS_HIGH = 12;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(120)
  REVIEW_MONTHS_MEDIUM = 24;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(120)
  REVIEW_MONTHS_LOW = 36;

  /** Whether the app runs the reminder engine itself (else only `npm run reminders` does). */
  @Transform(toBool)
  @IsBoolean()
  REMINDERS_ENABLED = true;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1440)
  REMINDER_INTERVAL_MINUTES = 5;

  /** How often a run also synchronises the review cycles (new vendors, moved dates, ended contracts); the runs between only decide and send. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(1440)
  REMINDER_SCHEDULE_EVERY_MINUTES = 60;

  @Transform(toDayList)
  @IsInt({ each: true, ...DAY_LIST })
  @Min(1, { each: true, ...DAY_LIST })
  @Max(3650, { each: true, ...DAY_LIST })
  REMINDER_QUESTIONNAIRE_DUE_DAYS: number[] = [7, 1];

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(90)
  REMINDER_QUESTIONNAIRE_OVERDUE_EVERY_DAYS = 3;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(20)
  REMINDER_QUESTIONNAIRE_OVERDUE_TIMES = 3;

  @Transform(toDayList)
  @IsInt({ each: true, ...DAY_LIST })
  @Min(1, { each: true, ...DAY_LIST })
  @Max(3650, { each: true, ...DAY_LIST })
  REMINDER_REVIEW_DUE_DAYS: number[] = [30, 7];

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(90)
  REMINDER_REVIEW_OVERDUE_EVERY_DAYS = 7;

  @Transform(toDayList)
  @IsInt({ each: true, ...DAY_LIST })
  @Min(1, { each: true, ...DAY_LIST })
  @Max(3650, { each: true, ...DAY_LIST })
  REMINDER_CONTRACT_NOTICE_DAYS: number[] = [60, 30, 7];

  @Transform(toDayList)
  @IsInt({ each: true, ...DAY_LIST })
  @Min(1, { each: true, ...DAY_LIST })
  @Max(3650, { each: true, ...DAY_LIST })
  REMINDER_RISK_EXPIRY_DAYS: number[] = [30];

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(365)
  REMINDER_WAITING_REVIEW_DAYS = 5;

  /** Hour (UTC) from which each day's digests go out. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(23)
  REMINDER_DIGEST_HOUR = 7;

  /** Attempts before a reminder the mail server keeps refusing is marked failed (backoff doubles from 1 minute, up to 6 hours). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(50)
  REMINDER_MAX_ATTEMPTS = 12;

  /** How long the dashboard's counts are reused before they are computed again (0: every time). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3600)
  DASHBOARD_CACHE_SECONDS = 60;

  @Transform(emptyToUndefined)
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** On SIGTERM, requests in flight may finish for this long before the process exits. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(600)
  SHUTDOWN_GRACE_SECONDS = 10;

  /** /health/ready answers 503 while a write transaction has been open this long. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3600)
  READY_STUCK_TRANSACTION_SECONDS = 30;

  @Transform(toBool)
  @IsBoolean()
  BENCH_ROUTES = false;

  get dataDir(): string {
    return path.resolve(this.DATA_DIR);
  }

  get cookieSecure(): boolean {
    return this.PUBLIC_URL.startsWith('https://');
  }
}

export class ConfigValidationError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigValidationError';
  }
}

/** Builds the configuration from an environment map, or throws with one line per bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const known = Object.keys(new AppConfig()).concat(['DATABASE_URL', 'ADMIN_EMAIL', 'ADMIN_PASSWORD', 'SMTP_URL', 'MAIL_FROM']);
  const input: Record<string, string> = {};
  for (const key of known) {
    const value = env[key];
    if (value !== undefined && value !== '') input[key] = value;
  }
  const config = plainToInstance(AppConfig, input);
  const errors = validateSync(config, { whitelist: false });
  if (errors.length > 0) {
    throw new ConfigValidationError(
      errors.map((e) => `${e.property}: ${Object.values(e.constraints ?? {}).join('; ')} (got ${describe(e.property, e.value)})`),
    );
  }
  return config;
}

function describe(name: string, value: unknown): string {
  if (/PASSWORD|SMTP_URL|DATABASE_URL/.test(name)) return 'a value that is not shown';
  return JSON.stringify(value);
}

/** Reads `.env` from the working directory into process.env when the file exists (real env wins). */
export function loadDotEnv(file = '.env'): void {
  try {
    process.loadEnvFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
