/**
 * `npm run bench`: measures the real app, started as a child process, on a database of its own
 * with 10,000 vendors. SQLite always; MySQL/MariaDB too when DATABASE_URL names a server (a
 * fresh schema is created on it and dropped afterwards). Prints a table and checks targets:
 *
 *   - vendor list p99 < 25 ms at 10 connections;
 *   - vendor detail >= 60 % of the baseline's req/s (same concurrency);
 *   - vendor create >= 40 % of the baseline's req/s (same concurrency);
 *   - the app's resident memory < 250 MB after the run.
 *
 * It measures, it does not assert: a missed target still exits 0. Only a harness failure
 * (the app does not start, a sanity request fails, the database cannot be made) exits 1.
 *
 * Environment (all optional):
 *   DATABASE_URL           mysql://root@127.0.0.1:3306/vdp_bench: also run on MySQL/MariaDB
 *   BENCH_DATABASES        sqlite, mysql or sqlite,mysql (default: sqlite, plus mysql with DATABASE_URL)
 *   BENCH_DURATION         seconds per measured run (default 5)
 *   BENCH_WARMUP           seconds of warm-up before each run (default 1)
 *   BENCH_CONNECTIONS      e.g. 10,50 (default)
 *   BENCH_VENDORS          vendors to seed (default 10000)
 *   BENCH_CASES            e.g. baseline,detail (default: baseline,list,search,detail,create)
 *   BENCH_KEEP_DATA=true   keep the temp DATA_DIR (and the MySQL schema) for inspection
 */
import 'reflect-metadata';
import autocannon from 'autocannon';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { AppProcess } from './app-process';
import { BenchDatabase, DbKind, prepareDatabase } from './bench-database';
import { BRANDS } from './seed-data';

const ADMIN_EMAIL = 'bench-admin@bench.test';
const ADMIN_PASSWORD = 'bench password, not a secret';

const TARGETS = {
  listP99Ms: 25,
  detailRatio: 0.6,
  createRatio: 0.4,
  rssMb: 250,
};

interface Options {
  databases: DbKind[];
  baseUrl?: string;
  duration: number;
  warmup: number;
  connections: number[];
  vendors: number;
  cases: CaseKey[];
  keep: boolean;
}

const CASE_KEYS = ['baseline', 'list', 'search', 'detail', 'create'] as const;
type CaseKey = (typeof CASE_KEYS)[number];

interface CaseResult {
  db: DbKind;
  key: CaseKey;
  label: string;
  connections: number;
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  errors: number;
  non2xx: number;
  statusCodes: string;
}

interface DbReport {
  db: DbKind;
  results: CaseResult[];
  rssMb: number;
  peakMb: number;
  appLog: { lines: number; tail: string[] };
  seconds: number;
}

const out = (line = '') => process.stdout.write(line + '\n');

function readOptions(): Options {
  const env = process.env;
  const num = (name: string, dflt: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return dflt;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < min || n > max) throw new Error(`${name} must be a number from ${min} to ${max}`);
    return n;
  };
  const baseUrl = env.DATABASE_URL || undefined;
  const databases = (env.BENCH_DATABASES ? env.BENCH_DATABASES.split(',') : ['sqlite', ...(baseUrl ? ['mysql'] : [])]).map((s) => s.trim());
  for (const d of databases) if (d !== 'sqlite' && d !== 'mysql') throw new Error(`BENCH_DATABASES: unknown database ${d}`);
  if (databases.includes('mysql') && !baseUrl) throw new Error('BENCH_DATABASES names mysql but DATABASE_URL is not set');
  const connections = (env.BENCH_CONNECTIONS ?? '10,50').split(',').map((s) => Number(s.trim()));
  if (connections.some((c) => !Number.isInteger(c) || c < 1 || c > 500)) throw new Error('BENCH_CONNECTIONS must list integers from 1 to 500');
  const cases = (env.BENCH_CASES ? env.BENCH_CASES.split(',') : [...CASE_KEYS]).map((s) => s.trim());
  for (const c of cases) if (!(CASE_KEYS as readonly string[]).includes(c)) throw new Error(`BENCH_CASES: unknown case ${c}`);
  return {
    databases: databases as DbKind[],
    cases: cases as CaseKey[],
    baseUrl,
    duration: num('BENCH_DURATION', 5, 1, 60),
    warmup: num('BENCH_WARMUP', 1, 0, 30),
    connections,
    vendors: num('BENCH_VENDORS', 10_000, 2_000, 200_000),
    keep: env.BENCH_KEEP_DATA === 'true',
  };
}

/** Cleanups to run if the harness is interrupted (Ctrl-C) mid-run. */
const pending = new Set<() => void | Promise<void>>();
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    interrupted = true;
    process.stderr.write(`\n${signal}: stopping the app and cleaning up…\n`);
    void Promise.allSettled([...pending].map(async (fn) => fn())).then(() => process.exit(130));
  });
}

async function main(): Promise<void> {
  const opts = readOptions();
  out(`Benchmark: ${opts.vendors} vendors; ${opts.connections.join(' and ')} connections; ${opts.warmup} s warm-up + ${opts.duration} s per run; databases: ${opts.databases.join(', ')}`);
  const reports: DbReport[] = [];
  for (const db of opts.databases) {
    reports.push(await benchDatabase(db, opts));
    if (interrupted) return;
  }
  printReport(reports, opts);
}

async function benchDatabase(kind: DbKind, opts: Options): Promise<DbReport> {
  const started = Date.now();
  const dataDir = mkdtempSync(path.join(tmpdir(), `vdp-bench-${kind}-`));
  let db: BenchDatabase | undefined;
  let app: AppProcess | undefined;
  const cleanup = async () => {
    app?.killNow();
    if (!opts.keep) {
      await db?.drop().catch((e: unknown) => process.stderr.write(`could not drop the bench database: ${String(e)}\n`));
      rmSync(dataDir, { recursive: true, force: true });
    }
  };
  pending.add(cleanup);
  try {
    out(`\n[${kind}] preparing the database in ${kind === 'sqlite' ? dataDir : 'a fresh schema'}…`);
    db = await prepareDatabase({
      kind,
      dataDir,
      baseUrl: opts.baseUrl,
      vendorCount: opts.vendors,
      adminEmail: ADMIN_EMAIL,
      adminPassword: ADMIN_PASSWORD,
      log: (l) => out(`[${kind}] ${l}`),
    });
    app = await AppProcess.start({ dataDir, databaseUrl: db.url, adminEmail: ADMIN_EMAIL, adminPassword: ADMIN_PASSWORD });
    out(`[${kind}] app pid ${app.pid} ready on ${app.baseUrl}; RSS at start ${app.memory().rssMb.toFixed(0)} MB`);

    const token = await login(app.baseUrl);
    const cases = buildCases(db, token).filter((c) => opts.cases.includes(c.key));
    await sanityChecks(app.baseUrl, cases);

    const results: CaseResult[] = [];
    for (const c of cases) {
      for (const connections of opts.connections) {
        if (interrupted) throw new Error('interrupted');
        if (opts.warmup > 0) await fire(app.baseUrl, c, connections, opts.warmup);
        const r = await fire(app.baseUrl, c, connections, opts.duration);
        const row = toRow(kind, c, connections, r);
        results.push(row);
        out(
          `[${kind}] ${c.label.padEnd(24)} c=${String(connections).padEnd(3)} ${row.rps.toFixed(0).padStart(6)} req/s  p50 ${fmtMs(row.p50)}  p99 ${fmtMs(row.p99)}  ` +
            `errors ${row.errors}  non-2xx ${row.non2xx}`,
        );
      }
    }
    // Let in-flight work and GC settle for a moment before reading the resident size.
    await new Promise((r) => setTimeout(r, 500));
    const mem = app.memory();
    const report: DbReport = { db: kind, results, rssMb: mem.rssMb, peakMb: mem.peakMb, appLog: app.log, seconds: 0 };
    await app.stop();
    app = undefined;
    report.seconds = (Date.now() - started) / 1000;
    return report;
  } finally {
    if (app) await app.stop().catch(() => undefined);
    app = undefined;
    await cleanup();
    pending.delete(cleanup);
  }
}

async function login(baseUrl: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
    signal: AbortSignal.timeout(15_000),
  });
  const body = (await res.json().catch(() => ({}))) as { token?: string };
  if (res.status !== 200 || !body.token) throw new Error(`sign-in failed: HTTP ${res.status} ${JSON.stringify(body)}`);
  return body.token;
}

interface BenchCase {
  key: CaseKey;
  label: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  /** The next request's path (and body): rotated by setupRequest. */
  next: () => { path: string; body?: string };
  /** Checks one response of the case before it is measured. */
  verify: (status: number, body: any) => string | null;
}

function buildCases(db: BenchDatabase, token: string): BenchCase[] {
  const auth = { authorization: `Bearer ${token}` };
  // Detail and baseline rotate over the same 2,000 ids, spread over the whole register.
  const step = Math.max(1, Math.floor(db.vendors.length / 2000));
  const ids = db.vendors.filter((_, i) => i % step === 0).map((v) => v.id);
  let b = 0;
  let d = 0;
  let n = 0;
  const run = Date.now().toString(36);
  const owners = db.users.filter((u) => u.role === 'procurement');
  const brand = BRANDS[1];
  const listPath = '/api/vendors?tier=high&status=active&sort=name&page=3&pageSize=25';
  const searchPath = `/api/vendors?q=${encodeURIComponent(brand + ' Cl')}&sort=name&pageSize=25`;
  return [
    {
      key: 'baseline',
      label: 'baseline (PK read)',
      method: 'GET',
      headers: {},
      next: () => ({ path: `/api/bench/baseline/${ids[b++ % ids.length]}` }),
      verify: (s, body) => (s === 200 && typeof body?.id === 'string' ? null : 'expected 200 with {id, name}'),
    },
    {
      key: 'list',
      label: 'list tier+status p3',
      method: 'GET',
      headers: auth,
      next: () => ({ path: listPath }),
      verify: (s, body) =>
        s === 200 && body?.items?.length === 25 && body.total > 75 && body.items.every((v: any) => v.tier === 'high' && v.status === 'active')
          ? null
          : 'expected 200 with 25 high/active vendors on page 3',
    },
    {
      key: 'search',
      label: `list search q=${brand} Cl`,
      method: 'GET',
      headers: auth,
      next: () => ({ path: searchPath }),
      verify: (s, body) =>
        s === 200 && body?.items?.length > 0 && body.items.every((v: any) => String(v.name).startsWith(brand))
          ? null
          : `expected 200 with vendors named ${brand}…`,
    },
    {
      key: 'detail',
      label: 'vendor detail',
      method: 'GET',
      headers: auth,
      next: () => ({ path: `/api/vendors/${ids[d++ % ids.length]}` }),
      verify: (s, body) => (s === 200 && typeof body?.tierDetail?.effective === 'string' ? null : 'expected 200 with a vendor'),
    },
    {
      key: 'create',
      label: 'vendor create',
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      next: () => {
        const i = ++n;
        return { path: '/api/vendors', body: JSON.stringify(createBody(`Bench Onboarding ${run}-${i}`, owners[i % owners.length].id, i)) };
      },
      verify: (s, body) => (s === 201 && body?.tierDetail?.effective === 'high' ? null : 'expected 201 with a high-tier vendor'),
    },
  ];
}

/** A valid intake: an email marketing service (contact data, 100k-1M, API, moderate) = 7, high. */
function createBody(name: string, ownerId: string, i: number) {
  return {
    name,
    legalEntity: `${name} Ltd.`,
    country: 'IE',
    website: 'https://mailer.example',
    services: 'Newsletter and campaign mailing',
    category: 'marketing',
    ownerId,
    status: 'onboarding',
    contact: { name: 'Jane Doe', email: `onboarding${i}@mailer.example`, phone: '+353 1 555 0100', language: 'en' },
    profile: {
      dataCategories: ['contact'],
      volumeBand: '100k_1m',
      accessLevel: 'api',
      criticality: 'moderate',
      crossBorder: false,
      jurisdictions: ['EU'],
    },
  };
}

async function sanityChecks(baseUrl: string, cases: BenchCase[]): Promise<void> {
  for (const c of cases) {
    const req = c.next();
    const res = await fetch(baseUrl + req.path, { method: c.method, headers: c.headers, body: req.body, signal: AbortSignal.timeout(15_000) });
    const text = await res.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
    const problem = c.verify(res.status, body);
    if (problem) throw new Error(`sanity check of "${c.label}" (${c.method} ${req.path}) failed: ${problem}; got HTTP ${res.status} ${text.slice(0, 400)}`);
  }
}

function fire(baseUrl: string, c: BenchCase, connections: number, seconds: number): Promise<autocannon.Result> {
  return autocannon({
    url: baseUrl,
    connections,
    duration: seconds,
    timeout: 10,
    method: c.method,
    headers: c.headers,
    requests: [
      {
        setupRequest: (req) => {
          const n = c.next();
          return { ...req, path: n.path, ...(n.body !== undefined ? { body: n.body } : {}) };
        },
      },
    ],
  });
}

function toRow(db: DbKind, c: BenchCase, connections: number, r: autocannon.Result): CaseResult {
  const codes = Object.entries(r.statusCodeStats ?? {})
    .filter(([code]) => !code.startsWith('2'))
    .map(([code, s]) => `${code}×${s.count ?? 0}`)
    .join(' ');
  return {
    db,
    key: c.key,
    label: c.label,
    connections,
    // requests.average is the mean of per-second samples; total/duration covers partial seconds too.
    rps: r['2xx'] / r.duration,
    p50: r.latency.p50,
    p99: r.latency.p99,
    requests: r.requests.total,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
    statusCodes: codes,
  };
}

const fmtMs = (ms: number) => `${ms.toFixed(ms < 10 ? 1 : 0).padStart(5)} ms`;

function printReport(reports: DbReport[], opts: Options): void {
  out('\n' + '='.repeat(100));
  out('Results (req/s counts 2xx responses only; latency in ms; errors = connection errors + timeouts)');
  out('='.repeat(100));
  const header = ['database', 'case', 'conc', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'non-2xx', 'vs baseline'];
  const rows: string[][] = [];
  for (const rep of reports) {
    for (const r of rep.results) {
      const base = rep.results.find((x) => x.key === 'baseline' && x.connections === r.connections);
      const ratio = r.key === 'detail' || r.key === 'create' ? (base && base.rps > 0 ? `${((r.rps / base.rps) * 100).toFixed(0)} %` : 'n/a') : '';
      rows.push([
        rep.db,
        r.label,
        String(r.connections),
        r.rps.toFixed(0),
        r.p50.toFixed(1),
        r.p99.toFixed(1),
        String(r.errors),
        r.non2xx ? `${r.non2xx} (${r.statusCodes})` : '0',
        ratio,
      ]);
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i >= 2 && i <= 7 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
  out(line(header));
  out(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) out(line(row));

  out('\nApp memory after the run (VmRSS from /proc/<pid>/status; VmHWM is the peak):');
  for (const rep of reports) {
    out(`  ${rep.db.padEnd(7)} RSS ${rep.rssMb.toFixed(0)} MB, peak ${rep.peakMb.toFixed(0)} MB; whole run ${rep.seconds.toFixed(0)} s`);
    if (rep.appLog.lines > 0) {
      out(`  ${rep.db.padEnd(7)} the app logged ${rep.appLog.lines} line(s) at warn or above; the last ones:`);
      for (const l of rep.appLog.tail.slice(-5)) out(`      ${l}`);
    }
  }

  out('\nTargets:');
  const check = (ok: boolean, db: DbKind, text: string) => out(`  ${ok ? 'PASS' : 'MISS'}  ${db.padEnd(7)} ${text}`);
  for (const rep of reports) {
    const at = (key: CaseKey, c: number) => rep.results.find((r) => r.key === key && r.connections === c);
    for (const key of ['list', 'search'] as const) {
      const r = at(key, 10);
      if (r) check(r.p99 < TARGETS.listP99Ms && r.non2xx === 0 && r.errors === 0, rep.db, `${r.label} p99 at c=10: ${r.p99.toFixed(1)} ms (target < ${TARGETS.listP99Ms} ms)`);
    }
    for (const c of opts.connections) {
      const base = at('baseline', c);
      for (const [key, target] of [['detail', TARGETS.detailRatio], ['create', TARGETS.createRatio]] as const) {
        const r = at(key, c);
        if (!base || !r) continue;
        const ratio = base.rps > 0 ? r.rps / base.rps : 0;
        check(
          ratio >= target && r.non2xx === 0 && r.errors === 0,
          rep.db,
          `${key} at c=${c}: ${r.rps.toFixed(0)} req/s = ${(ratio * 100).toFixed(0)} % of baseline ${base.rps.toFixed(0)} (target >= ${target * 100} %)`,
        );
      }
    }
    check(rep.rssMb < TARGETS.rssMb, rep.db, `RSS after the run: ${rep.rssMb.toFixed(0)} MB (target < ${TARGETS.rssMb} MB)`);
  }
  const failures = reports.flatMap((rep) => rep.results.filter((r) => r.non2xx > 0 || r.errors > 0).map((r) => `${rep.db} ${r.label} c=${r.connections}`));
  if (failures.length) out(`\nNote: non-2xx responses or errors in: ${failures.join('; ')}`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`\nbenchmark harness failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
