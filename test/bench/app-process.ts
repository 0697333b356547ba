/** The real app (`node dist/src/main.js`) as a child process, on 127.0.0.1 and a free port. */
import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import * as path from 'node:path';

/** dist/test/bench -> dist/src/main.js */
export const MAIN_JS = path.resolve(__dirname, '../../src/main.js');

/** Settings the app reads; the child gets only the ones the benchmark sets. */
const APP_SETTINGS = [
  'PORT', 'HOST', 'DATA_DIR', 'DATABASE_URL', 'PUBLIC_URL', 'ADMIN_EMAIL', 'ADMIN_PASSWORD', 'SMTP_URL', 'MAIL_FROM',
  'MIGRATIONS_RUN', 'SESSION_IDLE_MINUTES', 'SESSION_ABSOLUTE_HOURS', 'LOGIN_MAX_FAILURES', 'LOGIN_LOCK_MINUTES',
  'LOGIN_IP_LIMIT', 'REVIEW_MONTHS_CRITICAL', 'REVIEW_MONTHS_HIGH', 'REVIEW_MONTHS_MEDIUM', 'REVIEW_MONTHS_LOW',
  'LOG_LEVEL', 'BENCH_ROUTES',
];

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface AppOptions {
  dataDir: string;
  databaseUrl?: string;
  adminEmail: string;
  adminPassword: string;
  readyTimeoutMs?: number;
  /** Extra node flags for the child, e.g. `--cpu-prof --cpu-prof-dir=…` to profile it. */
  nodeArgs?: string[];
  /** Further settings for the child (e.g. SMTP_URL for a fault run). */
  env?: Record<string, string>;
}

export class AppProcess {
  private tail: string[] = [];
  private lines = 0;
  private exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;

  private constructor(
    private readonly child: ChildProcess,
    readonly baseUrl: string,
  ) {
    const keep = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line.trim()) continue;
        this.lines++;
        this.tail.push(line.length > 500 ? line.slice(0, 500) + '…' : line);
        if (this.tail.length > 20) this.tail.shift();
      }
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.on('exit', (code, signal) => (this.exited = { code, signal }));
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Lines the app logged (at LOG_LEVEL=warn there should be none), and the last of them. */
  get log(): { lines: number; tail: string[] } {
    return { lines: this.lines, tail: [...this.tail] };
  }

  static async start(opts: AppOptions): Promise<AppProcess> {
    const port = await freePort();
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const key of APP_SETTINGS) delete env[key];
    Object.assign(env, {
      NODE_ENV: process.env.NODE_ENV ?? 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      DATA_DIR: opts.dataDir,
      ADMIN_EMAIL: opts.adminEmail,
      ADMIN_PASSWORD: opts.adminPassword,
      MIGRATIONS_RUN: 'true',
      BENCH_ROUTES: 'true',
      LOG_LEVEL: 'warn',
      ...(opts.databaseUrl ? { DATABASE_URL: opts.databaseUrl } : {}),
      ...opts.env,
    });
    // cwd is the temp data dir, so no project .env leaks into the run.
    const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), MAIN_JS], { cwd: opts.dataDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const app = new AppProcess(child, `http://127.0.0.1:${port}`);
    await app.waitReady(opts.readyTimeoutMs ?? 60_000);
    return app;
  }

  private async waitReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.exited) throw new Error(`the app exited during start (${JSON.stringify(this.exited)}):\n${this.tail.join('\n')}`);
      try {
        const res = await fetch(`${this.baseUrl}/health/ready`, { signal: AbortSignal.timeout(2000) });
        if (res.status === 200) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    await this.stop();
    throw new Error(`the app was not ready within ${timeoutMs} ms:\n${this.tail.join('\n')}`);
  }

  /** VmRSS and VmHWM (peak) of the child, in MiB, from /proc. */
  memory(): { rssMb: number; peakMb: number } {
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
  }

  /** SIGTERM, then SIGKILL after 10 s; resolves when the child has exited. */
  async stop(): Promise<void> {
    if (this.exited || this.child.exitCode !== null) return;
    const done = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await done;
    clearTimeout(timer);
  }

  /** For a harness that is itself interrupted: kill at once, synchronously. */
  killNow(): void {
    if (!this.exited && this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}
