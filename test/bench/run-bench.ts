/**
 * `npm run bench`: measures the real app, started as a child process, on a database of its own
 * with 10,000 vendors. SQLite always; MySQL/MariaDB too when DATABASE_URL names a server (a
 * fresh schema is created on it and dropped afterwards). Prints a table and checks targets:
 *
 *   - vendor list p99 < 25 ms at 10 connections;
 *   - vendor detail p99 < 5 ms at 10 connections (each request checks its session);
 *   - vendor create p99 < 25 ms at 10 connections (the ratio to the baseline is printed too);
 *   - scoring a 1,000-question assessment < 5 ms per call at p99 (in process, no database);
 *   - saving a portal answer p99 < 30 ms with 50 vendors saving at once, each its own session
 *     and on average 5 saves a second (an open load, see ANSWER_RATES); also at 10 a second;
 *   - the portal page of the 65-question baseline module p99 < 30 ms, 10 people each opening
 *     5 pages a second on average;
 *   - the review page of a submitted baseline assessment p99 < 50 ms, the same load;
 *   - the same three closed-loop at 50 and 10 connections (a stress run, against the same figure);
 *   - the app's resident memory < 250 MB after the run;
 *   - at scale (BENCH_SCALE_*: 100,000 vendors, 300,000 assessments, 50,000 contracts, 20,000
 *     findings by default, on a database of their own): a reminder sweep < 20 s, measured on
 *     the first (a catch-up: nothing was ever sent) and on the next day's; a second one with
 *     nothing new < 5 s (each `npm run reminders` as a child process, its peak memory printed),
 *     and `GET /api/dashboard` p99 < 100 ms.
 *   - PDF reports (test/bench/report-bench.ts), sequential downloads timed to the last byte, p95:
 *     a vendor's risk summary of a ~150-question assessment with 40 findings < 200 ms, the same
 *     with the appendix < 400 ms, the portfolio of 1,000 vendors < 2 s (measured on the seeded
 *     register, and again with all but 1,000 archived when it has more); the app's resident
 *     memory grows < 50 MB over 30 consecutive portfolio and summary-with-appendix downloads.
 *     The same reports rendered in process from sample facts show the part that is not the
 *     database's.
 *   - uploads (test/bench/upload-bench.ts): 16 clients at once each send a 25 MB file to the
 *     portal's evidence route; without a session the app's resident memory rises < 20 MB (it
 *     answers 401 without reading the bodies), with a vendor's session < 100 MB (each file
 *     streams to a temporary file).
 *   - backup (test/bench/backup-bench.ts): `npm run backup`, `--verify` and `npm run restore` of
 *     the register with its evidence brought to 1 GB, each one's time and peak memory.
 *
 * The portal and review cases measure `GET /portal` and `GET /assessments/:id/review`; while a
 * page does not answer 200 yet, its JSON twin (`GET /api/portal/assessment`,
 * `GET /api/assessments/:id/review`) is measured instead and the row says so.
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
 *   BENCH_VENDORS          vendors to seed (default 10000, at least 1000)
 *   BENCH_CASES            e.g. baseline,detail (default: all of
 *                          scoring,baseline,list,search,detail,create,answer,portal,review,
 *                          report,portfolio,upload,backup,reminders,dashboard)
 *   BENCH_SCALE_VENDORS, BENCH_SCALE_ASSESSMENTS, BENCH_SCALE_CONTRACTS, BENCH_SCALE_FINDINGS
 *                          the register of the reminders and dashboard cases
 *   BENCH_ASSESSMENTS      assessments the answer case saves into (default 200, at least 100:
 *                          half for the open loads, half for the closed loop)
 *   BENCH_KEEP_DATA=true   keep the temp DATA_DIR (and the MySQL schema) for inspection
 *   BENCH_CPU_PROF         a directory: the app runs with --cpu-prof and writes its profile there
 */
import 'reflect-metadata';
import autocannon from 'autocannon';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { runUploadBench, UploadBenchResult } from './upload-bench';
import { BackupBenchResult, runBackupBench } from './backup-bench';
import { AppProcess } from './app-process';
import { pacedLoad } from './paced-load';
import { AssessmentFixtures, seedAssessments } from './assessment-seed';
import { BenchDatabase, DbKind, prepareDatabase } from './bench-database';
import { printReportBench, RenderTiming, ReportBenchResult, runRenderBench, runReportBench } from './report-bench';
import { runScoringBench, ScoringBenchResult } from './scoring-bench';
import { runSweep, seedReminderData, sweepPlans, SweepResult } from './reminder-bench';
import { BRANDS } from './seed-data';

const ADMIN_EMAIL = 'bench-admin@bench.test';
const ADMIN_PASSWORD = 'bench password, not a secret';

const TARGETS = {
  listP99Ms: 25,
  /** Steering's answer of stop 11: detail keeps its per-request session check; create is judged by its p99 too. */
  detailP99Ms: 5,
  createP99Ms: 25,
  scoringP99Ms: 5,
  answerP99Ms: 30,
  portalP99Ms: 30,
  reviewP99Ms: 50,
  rssMb: 250,
  sweepSeconds: 20,
  secondSweepSeconds: 5,
  dashboardP99Ms: 100,
  summaryMs: 200,
  summaryAppendixMs: 400,
  portfolioMs: 2000,
  reportRssGrowthMb: 50,
};

/**
 * The load of the portal cases. Their targets are measured under an open load (paced-load.ts):
 * 50 vendors saving answers, each on average 5 times a second at random moments (a vendor's page
 * sends at most one save per 800 ms of typing per field, its debounce: 5 a second is four times
 * that), and 10 people opening pages, each on average 5 a second. Each case also runs closed-loop
 * (autocannon: every connection sends again the instant its reply lands) at one connection, the
 * time of one request when nothing waits before it, and at the same 50 or 10 connections: a
 * stress run far beyond what that many people send, printed against the same figure.
 */
const ANSWER_CONNECTIONS = 50;
const ANSWER_RATES = [5, 10];
const PAGE_CONNECTIONS = 10;
const PAGE_RATE = 5;
/**
 * An open load runs at least long enough for this many requests (12 s of saves, 60 s of a page),
 * so that its p99 rests on its 30 slowest. At 1,000, one stall of 30–40 ms that caught the ten
 * requests then in flight set the whole p99: the same save load on MariaDB read 13 to 42 ms from
 * run to run, and 19 ms over 7,500 requests.
 */
const MIN_PACED_REQUESTS = 3000;
/** Assessments about 60 % answered that the portal case reads in turn. */
const PORTAL_ASSESSMENTS = 10;

interface Options {
  databases: DbKind[];
  baseUrl?: string;
  duration: number;
  warmup: number;
  connections: number[];
  vendors: number;
  assessments: number;
  cases: CaseKey[];
  keep: boolean;
  cpuProfDir?: string;
  scale: { vendors: number; assessments: number; contracts: number; findings: number };
}

const CASE_KEYS = ['scoring', 'baseline', 'list', 'search', 'detail', 'create', 'answer', 'portal', 'review', 'report', 'portfolio', 'upload', 'backup', 'reminders', 'dashboard'] as const;
type CaseKey = (typeof CASE_KEYS)[number];
/** Cases that need assessments sent and answered through the app first. */
const PORTAL_CASES: ReadonlySet<CaseKey> = new Set(['answer', 'portal', 'review']);
/** Cases measured on a register at reminder scale (their own, larger database). */
const SCALE_CASES: ReadonlySet<CaseKey> = new Set(['reminders', 'dashboard']);
/** The PDF report cases: measured last on the bench database, whose register they add to. */
const REPORT_CASES: ReadonlySet<CaseKey> = new Set(['report', 'portfolio']);

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
  /** Open load (paced-load.ts): each of the `connections` clients sends this many requests a second on average. */
  rate?: number;
  /**
   * p99 without each connection's first request (cases with `steady`). When every request keeps
   * the app busy for milliseconds, the first requests of the connections autocannon opens at
   * once are answered one after another, the last seconds late: a start-up queue of the load
   * generator that no request sees once the connections are open.
   */
  steadyP99?: number;
}

interface DbReport {
  db: DbKind;
  results: CaseResult[];
  reports: ReportBenchResult | null;
  uploads: UploadBenchResult | null;
  backup: BackupBenchResult | null;
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
    vendors: num('BENCH_VENDORS', 10_000, 1_000, 200_000),
    assessments: num('BENCH_ASSESSMENTS', 200, 2 * ANSWER_CONNECTIONS, 1_000),
    keep: env.BENCH_KEEP_DATA === 'true',
    cpuProfDir: env.BENCH_CPU_PROF ? path.resolve(env.BENCH_CPU_PROF) : undefined,
    scale: {
      vendors: num('BENCH_SCALE_VENDORS', 100_000, 1_000, 1_000_000),
      assessments: num('BENCH_SCALE_ASSESSMENTS', 300_000, 1_000, 3_000_000),
      contracts: num('BENCH_SCALE_CONTRACTS', 50_000, 100, 1_000_000),
      findings: num('BENCH_SCALE_FINDINGS', 20_000, 100, 1_000_000),
    },
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
  out(`Load average before the run: ${fmtLoad()} (other work on the machine skews every number below)`);
  // Pure CPU work first, while no app is running beside it.
  const scoring = opts.cases.includes('scoring') ? benchScoring(opts) : null;
  const rendering = opts.cases.some((c) => REPORT_CASES.has(c)) ? await benchRendering(opts) : null;
  const reports: DbReport[] = [];
  if (opts.cases.some((c) => c !== 'scoring' && !SCALE_CASES.has(c))) {
    for (const db of opts.databases) {
      reports.push(await benchDatabase(db, opts));
      if (interrupted) return;
    }
  }
  const scaleReports: ScaleReport[] = [];
  if (opts.cases.some((c) => SCALE_CASES.has(c))) {
    for (const db of opts.databases) {
      scaleReports.push(await benchScale(db, opts));
      if (interrupted) return;
    }
  }
  printReport(reports, scoring, opts);
  printReportBench(
    rendering,
    reports.flatMap((r) => (r.reports ? [r.reports] : [])),
    TARGETS,
    out,
  );
  printScaleReport(scaleReports, opts);
}

async function benchRendering(opts: Options): Promise<RenderTiming[]> {
  out('\n[reports] rendering the PDF reports in process from sample facts…');
  const rows = await runRenderBench({ report: opts.cases.includes('report'), portfolio: opts.cases.includes('portfolio') });
  for (const r of rows) out(`[reports] ${`${r.label} (${r.locale})`.padEnd(46)} median ${fmtMs(r.median)}  p95 ${fmtMs(r.p95)}  max ${fmtMs(r.max)}  ${fmtKb(r.bytes)}, ${r.pages} pages`);
  return rows;
}

function benchScoring(opts: Options): ScoringBenchResult {
  out('\n[scoring] building and checking a synthetic 1,000-question module…');
  const r = runScoringBench({ seconds: opts.duration });
  const types = Object.entries(r.types)
    .sort(([, a], [, b]) => b - a)
    .map(([t, n]) => `${t} ${n}`)
    .join(', ');
  out(`[scoring] ${r.questions} questions in ${r.sections} sections (${types}); ${r.conditional} conditional; evidence ${r.evidenceRules.required} required, ${r.evidenceRules.optional} optional`);
  out(
    `[scoring] first answer set: ${r.sample.applicable} applicable, ${r.sample.hidden} hidden by conditions, overall ${r.sample.overall} (${r.sample.band}), ` +
      `${r.sample.criticalFailures} critical failures, ${r.sample.unverified} unverified`,
  );
  out(`[scoring] compileQuestionnaire once: ${r.compileMs.toFixed(2)} ms`);
  out(
    `[scoring] scoreAssessment: ${r.calls} calls after ${r.warmupCalls} warm-up in ${r.seconds.toFixed(1)} s; median ${fmtMs(r.p50)}  p99 ${fmtMs(r.p99)}  ` +
      `mean ${r.mean.toFixed(2)} ms  max ${r.max.toFixed(1)} ms`,
  );
  return r;
}

/** A temp DATA_DIR with the bench database and the app on it, while a bench uses them. */
interface Workspace {
  dataDir: string;
  db?: BenchDatabase;
  app?: AppProcess;
}

/**
 * Runs `fn` in a fresh workspace, and afterwards (or on Ctrl-C) stops the app, drops the bench
 * database and removes the DATA_DIR, unless BENCH_KEEP_DATA asks to keep them.
 */
async function inWorkspace<T>(prefix: string, opts: Options, fn: (ws: Workspace) => Promise<T>): Promise<T> {
  const ws: Workspace = { dataDir: mkdtempSync(path.join(tmpdir(), prefix)) };
  const cleanup = async () => {
    ws.app?.killNow();
    if (!opts.keep) {
      await ws.db?.drop().catch((e: unknown) => process.stderr.write(`could not drop the bench database: ${String(e)}\n`));
      rmSync(ws.dataDir, { recursive: true, force: true });
    }
  };
  pending.add(cleanup);
  try {
    return await fn(ws);
  } finally {
    if (ws.app) await ws.app.stop().catch(() => undefined);
    ws.app = undefined;
    await cleanup();
    pending.delete(cleanup);
  }
}

async function benchDatabase(kind: DbKind, opts: Options): Promise<DbReport> {
  return inWorkspace(`vdp-bench-${kind}-`, opts, (ws) => benchDatabaseIn(ws, kind, opts));
}

async function benchDatabaseIn(ws: Workspace, kind: DbKind, opts: Options): Promise<DbReport> {
  const started = Date.now();
  const { dataDir } = ws;
  try {
    out(`\n[${kind}] preparing the database in ${kind === 'sqlite' ? dataDir : 'a fresh schema'}…`);
    const db = (ws.db = await prepareDatabase({
      kind,
      dataDir,
      baseUrl: opts.baseUrl,
      vendorCount: opts.vendors,
      adminEmail: ADMIN_EMAIL,
      adminPassword: ADMIN_PASSWORD,
      log: (l) => out(`[${kind}] ${l}`),
    }));
    const app = (ws.app = await AppProcess.start({
      dataDir,
      databaseUrl: db.url,
      adminEmail: ADMIN_EMAIL,
      adminPassword: ADMIN_PASSWORD,
      nodeArgs: opts.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.cpuProfDir}`, `--cpu-prof-name=app-${kind}-${Date.now()}.cpuprofile`] : [],
    }));
    out(`[${kind}] app pid ${app.pid} ready on ${app.baseUrl}; RSS at start ${app.memory().rssMb.toFixed(0)} MB`);

    const token = await login(app.baseUrl);
    const fixtures = opts.cases.some((c) => PORTAL_CASES.has(c))
      ? await seedAssessments({
          baseUrl: app.baseUrl,
          adminToken: token,
          vendorIds: assessedVendors(db, opts.assessments + PORTAL_ASSESSMENTS + 1),
          answerAssessments: opts.cases.includes('answer') ? opts.assessments : 0,
          portalAssessments: opts.cases.includes('portal') ? PORTAL_ASSESSMENTS : 0,
          review: opts.cases.includes('review'),
          log: (l) => out(`[${kind}] ${l}`),
        })
      : null;
    const cases = [...buildCases(db, token), ...(fixtures ? await buildPortalCases(app.baseUrl, token, fixtures) : [])].filter((c) => opts.cases.includes(c.key));
    await sanityChecks(app.baseUrl, cases);

    const results: CaseResult[] = [];
    for (const c of cases) {
      for (const connections of c.connections ?? opts.connections) {
        if (interrupted) throw new Error('interrupted');
        if (opts.warmup > 0) {
          await fire(app.baseUrl, c, connections, opts.warmup);
          await c.afterRun?.();
        }
        const { result: r, steadyP99 } = await fire(app.baseUrl, c, connections, opts.duration);
        await c.afterRun?.();
        const row = { ...toRow(kind, c, connections, r), steadyP99 };
        results.push(row);
        out(
          `[${kind}] ${c.label.padEnd(24)} c=${String(connections).padEnd(3)} ${row.rps.toFixed(0).padStart(6)} req/s  p50 ${fmtMs(row.p50)}  p90 ${fmtMs(r.latency.p90)}  ` +
            `p99 ${fmtMs(row.p99)}${steadyP99 !== undefined ? ` (steady ${fmtMs(steadyP99)})` : ''}  max ${fmtMs(r.latency.max)}  ` +
            `${fmtKb(r.throughput.total / Math.max(1, r.requests.total))}/resp  errors ${row.errors}  non-2xx ${row.non2xx}${row.statusCodes ? ` (${row.statusCodes})` : ''}`,
        );
      }
      for (const load of c.paced ?? []) {
        if (interrupted) throw new Error('interrupted');
        const run = (seconds: number) =>
          pacedLoad({ baseUrl: app.baseUrl, method: c.method, headers: c.headers, clients: load.clients, rate: load.rate, seconds, next: c.nextOf ?? (() => c.next()), onResponse: c.onResponse });
        if (opts.warmup > 0) await run(opts.warmup);
        const r = await run(Math.max(opts.duration, Math.ceil(MIN_PACED_REQUESTS / (load.clients * load.rate))));
        const row: CaseResult = {
          db: kind,
          key: c.key,
          label: c.label,
          connections: load.clients,
          rate: load.rate,
          rps: r.ok / r.seconds,
          p50: r.p50,
          p99: r.p99,
          requests: r.requests,
          errors: r.errors,
          non2xx: r.non2xx,
          statusCodes: r.statusCodes,
        };
        results.push(row);
        out(
          `[${kind}] ${c.label.padEnd(24)} ${load.clients} clients × ${load.rate}/s ${row.rps.toFixed(0).padStart(6)} req/s  p50 ${fmtMs(r.p50)}  p90 ${fmtMs(r.p90)}  ` +
            `p99 ${fmtMs(r.p99)}  max ${fmtMs(r.max)}  errors ${r.errors}  non-2xx ${r.non2xx}${r.statusCodes ? ` (${r.statusCodes})` : ''}`,
        );
      }
    }
    // Let in-flight work and GC settle for a moment before reading the resident size.
    await new Promise((r) => setTimeout(r, 500));
    const mem = app.memory();
    // The report cases last, after the resident size of the others is read: they print their own.
    const pdfReports = opts.cases.some((c) => REPORT_CASES.has(c))
      ? await runReportBench({
          kind,
          app,
          db,
          dataDir,
          adminToken: token,
          cases: { report: opts.cases.includes('report'), portfolio: opts.cases.includes('portfolio') },
          log: (l) => out(`[${kind}] ${l}`),
        })
      : null;
    // The upload floods last of all: they add 25 MB files to the register.
    const uploads = opts.cases.includes('upload') ? await runUploadBench({ app, adminToken: token, log: (l) => out(`[${kind}] ${l}`) }) : null;
    // Backup and restore of the whole register, its evidence brought to 1 GB first.
    const backup = opts.cases.includes('backup') ? await runBackupBench({ app, dataDir, databaseUrl: db.url, adminToken: token, log: (l) => out(`[${kind}] ${l}`) }) : null;
    const report: DbReport = { db: kind, results, reports: pdfReports, uploads, backup, rssMb: mem.rssMb, peakMb: mem.peakMb, appLog: app.log, seconds: 0 };
    await app.stop();
    ws.app = undefined;
    report.seconds = (Date.now() - started) / 1000;
    return report;
  } catch (err) {
    // A harness failure is often the app's: show what it logged.
    const tail = ws.app?.log.tail ?? [];
    if (err instanceof Error && tail.length) err.message += `\nthe app's last log lines:\n${tail.slice(-8).join('\n')}`;
    throw err;
  }
}

interface ScaleReport {
  db: DbKind;
  seeded: Record<string, number>;
  plans: string[];
  sweeps: Array<SweepResult & { label: string }>;
  dashboard: CaseResult | null;
}

/**
 * Issue 4's cases on their own register at scale: two reminder sweeps (`npm run reminders` as a
 * child process, the second with nothing new to send), the plans of the sweep's queries, and the
 * dashboard under load.
 */
async function benchScale(kind: DbKind, opts: Options): Promise<ScaleReport> {
  return inWorkspace(`vdp-bench-scale-${kind}-`, opts, (ws) => benchScaleIn(ws, kind, opts));
}

async function benchScaleIn(ws: Workspace, kind: DbKind, opts: Options): Promise<ScaleReport> {
  const { dataDir } = ws;
  const report: ScaleReport = { db: kind, seeded: {}, plans: [], sweeps: [], dashboard: null };
  const now = new Date(`${new Date().toISOString().slice(0, 10)}T09:00:00.000Z`);
  out(`\n[${kind}] preparing a register at scale: ${opts.scale.vendors} vendors, ${opts.scale.assessments} assessments, ${opts.scale.contracts} contracts, ${opts.scale.findings} findings…`);
  const started = Date.now();
  const db = (ws.db = await prepareDatabase({
    kind,
    dataDir,
    baseUrl: opts.baseUrl,
    vendorCount: opts.scale.vendors,
    adminEmail: ADMIN_EMAIL,
    adminPassword: ADMIN_PASSWORD,
    log: (l) => out(`[${kind}] ${l}`),
    extra: async (ds, seeded) => {
      report.seeded = await seedReminderData(ds, { ...seeded, now }, opts.scale);
      report.plans = await sweepPlans(ds, kind, now.toISOString().slice(0, 10));
    },
  }));
  out(`[${kind}] seeded ${Object.entries(report.seeded).map(([k, n]) => `${n} ${k}`).join(', ')} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  for (const p of report.plans) out(`[${kind}] plan  ${p}`);
  if (opts.cases.includes('reminders')) {
    for (const [label, at] of [
      ['first sweep (catch-up)', now],
      ['second sweep, nothing new', new Date(now.getTime() + 60_000)],
      ['next day\'s sweep', new Date(now.getTime() + 86_400_000)],
    ] as const) {
      const sweep = await runSweep({ dataDir, databaseUrl: db.url, now: at });
      report.sweeps.push({ ...sweep, label });
      out(`[${kind}] ${label}: ${sweep.seconds.toFixed(1)} s, peak ${sweep.peakMb ?? '?'} MB`);
      for (const l of sweep.output.slice(1)) out(`[${kind}]   ${l.trim()}`);
    }
  }
  if (opts.cases.includes('dashboard')) {
    process.env.REMINDERS_ENABLED = 'false';
    const app = (ws.app = await AppProcess.start({ dataDir, databaseUrl: db.url, adminEmail: ADMIN_EMAIL, adminPassword: ADMIN_PASSWORD }));
    const token = await login(app.baseUrl);
    const c: BenchCase = {
      key: 'dashboard',
      label: 'dashboard GET /api/dashboard',
      method: 'GET',
      headers: { authorization: `Bearer ${token}` },
      next: () => ({ path: '/api/dashboard' }),
      verify: (status, body) => (status === 200 && body?.vendors?.total > 0 ? null : `expected 200 with counts, got ${status}`),
    };
    await sanityChecks(app.baseUrl, [c]);
    if (opts.warmup > 0) await fire(app.baseUrl, c, 10, opts.warmup);
    const { result } = await fire(app.baseUrl, c, 10, opts.duration);
    report.dashboard = toRow(kind, c, 10, result);
    out(`[${kind}] ${c.label} c=10 ${report.dashboard.rps.toFixed(0)} req/s  p50 ${fmtMs(report.dashboard.p50)}  p99 ${fmtMs(report.dashboard.p99)}  errors ${report.dashboard.errors}  non-2xx ${report.dashboard.non2xx}`);
    await app.stop();
    ws.app = undefined;
  }
  return report;
}

function printScaleReport(reports: ScaleReport[], opts: Options): void {
  if (!reports.length) return;
  out('\nAt scale (issue 4): reminder sweeps and the dashboard');
  for (const r of reports) {
    out(`  ${r.db}: ${Object.entries(r.seeded).map(([k, n]) => `${n} ${k}`).join(', ')} beside ${opts.scale.vendors} vendors`);
    for (const s of r.sweeps) out(`    ${s.label.padEnd(28)} ${s.seconds.toFixed(1).padStart(6)} s   peak ${s.peakMb ?? '?'} MB resident`);
    if (r.dashboard) out(`    ${'dashboard c=10'.padEnd(28)} p50 ${r.dashboard.p50.toFixed(1)} ms   p99 ${r.dashboard.p99.toFixed(1)} ms   ${r.dashboard.rps.toFixed(0)} req/s`);
  }
  out('\nTargets at scale:');
  for (const r of reports) {
    const [first, second] = r.sweeps;
    const [, , nextDay] = r.sweeps;
    if (first) out(`  ${first.seconds < TARGETS.sweepSeconds ? 'PASS' : 'MISS'}  ${r.db.padEnd(7)} first sweep (catch-up: nothing was ever sent) ${first.seconds.toFixed(1)} s (target < ${TARGETS.sweepSeconds} s)`);
    if (nextDay) out(`  ${nextDay.seconds < TARGETS.sweepSeconds ? 'PASS' : 'MISS'}  ${r.db.padEnd(7)} next day's sweep ${nextDay.seconds.toFixed(1)} s (target < ${TARGETS.sweepSeconds} s)`);
    if (second) out(`  ${second.seconds < TARGETS.secondSweepSeconds ? 'PASS' : 'MISS'}  ${r.db.padEnd(7)} second sweep ${second.seconds.toFixed(1)} s (target < ${TARGETS.secondSweepSeconds} s)`);
    if (r.dashboard) out(`  ${r.dashboard.rps > 0 && r.dashboard.errors === 0 && r.dashboard.p99 < TARGETS.dashboardP99Ms ? 'PASS' : 'MISS'}  ${r.db.padEnd(7)} dashboard p99 at c=10: ${r.dashboard.p99.toFixed(1)} ms (target < ${TARGETS.dashboardP99Ms} ms)`);
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

interface NextRequest {
  path: string;
  body?: string;
  /** Added to the case's headers for this request (a vendor's own session, say). */
  headers?: Record<string, string>;
  /** Handed back to onResponse with this request's response. */
  tag?: number;
}

interface BenchCase {
  key: CaseKey;
  label: string;
  method: 'GET' | 'POST' | 'PUT';
  headers: Record<string, string>;
  /** The next request's path (and body, headers): rotated by setupRequest. */
  next: () => NextRequest;
  /** Sees every response, with the tag of its request (e.g. to learn an answer's new version). */
  onResponse?: (status: number, body: string, tag: number | undefined) => void;
  /** Checks one response of the case before it is measured. */
  verify: (status: number, body: any) => string | null;
  /** Concurrency the case always runs at (its target is stated at it), instead of BENCH_CONNECTIONS. */
  connections?: number[];
  /** Also time each request itself, to give the p99 without each connection's first request. */
  steady?: boolean;
  /** Open loads to run after the closed-loop ones: clients, each sending `rate` requests a second on average. */
  paced?: Array<{ clients: number; rate: number }>;
  /** The next request of one client of an open load (each client its own vendor, say); `next` when absent. */
  nextOf?: (client: number) => NextRequest;
  /** Runs after each closed-loop run, whose replies in flight at its end autocannon drops. */
  afterRun?: () => Promise<void>;
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

/** `count` vendors spread over the register, active ones first (a questionnaire goes to live vendors). */
function assessedVendors(db: BenchDatabase, count: number): string[] {
  const live = db.vendors.filter((v) => !v.archivedAt);
  const pool = [...live.filter((v) => v.status === 'active'), ...live.filter((v) => v.status !== 'active')];
  if (pool.length < count) throw new Error(`the portal cases need ${count} vendors that are not archived; the register has ${pool.length}`);
  const step = Math.max(1, Math.floor(pool.length / count));
  return Array.from({ length: count }, (_, i) => pool[(i * step) % pool.length].id);
}

/** Whether a staff or vendor page already answers 200 with HTML (the pages are built after the API). */
async function pageAnswers(url: string, cookie: string): Promise<boolean> {
  const res = await fetch(url, { headers: { cookie }, redirect: 'manual', signal: AbortSignal.timeout(15_000) });
  await res.arrayBuffer();
  return res.status === 200 && (res.headers.get('content-type') ?? '').startsWith('text/html');
}

const questionsOf = (sections: unknown): number =>
  Array.isArray(sections) ? sections.reduce((n: number, s: any) => n + (Array.isArray(s?.questions) ? s.questions.length : 0), 0) : -1;

const looksLikePage = (s: number, body: unknown): string | null =>
  s === 200 && typeof body === 'string' && /<html/i.test(body) && body.length > 2000 ? null : 'expected 200 with an HTML page';

/**
 * The portal cases. `answer`: each request saves one question of one of the assessments, the
 * assessments taken in turn so that concurrent saves come from different vendors, each
 * (assessment, question) saved once per pass with the version the last save returned.
 */
async function buildPortalCases(baseUrl: string, staffToken: string, fx: AssessmentFixtures): Promise<BenchCase[]> {
  const cases: BenchCase[] = [];
  const { assessments, targets } = fx.answer;
  if (assessments.length) {
    const versions = new Int32Array(assessments.length * targets.length);
    let seq = 0;
    // autocannon drops the replies in flight when a run ends, so a closed-loop run leaves some
    // versions behind: they are read again after each (afterRun), and the open loads, which wait
    // for every reply, save into vendors of their own.
    const pacedVendors = Math.min(ANSWER_CONNECTIONS, Math.floor(assessments.length / 2));
    const closedVendors = assessments.length - pacedVendors;
    const saved = new Int32Array(pacedVendors);
    const save = (a: number, n: number): NextRequest => {
      const q = n % targets.length;
      const pass = Math.floor(n / targets.length);
      const pair = a * targets.length + q;
      return {
        path: `/api/portal/answers/${targets[q].key}`,
        headers: { authorization: `Bearer ${assessments[a].session}` },
        body: JSON.stringify({ value: targets[q].values[pass % 2], baseVersion: versions[pair] }),
        tag: pair,
      };
    };
    cases.push({
      key: 'answer',
      label: `save answer (${assessments.length} vendors)`,
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      connections: [1, ANSWER_CONNECTIONS],
      steady: true,
      paced: ANSWER_RATES.map((rate) => ({ clients: pacedVendors, rate })),
      next: () => {
        const n = seq++;
        return save(pacedVendors + (n % closedVendors), Math.floor(n / closedVendors));
      },
      // Each client of the open load is one vendor, saving its questions in turn.
      nextOf: (client) => save(client, saved[client]++),
      onResponse: (status, body, tag) => {
        if (tag === undefined || (status !== 200 && status !== 409)) return;
        try {
          const parsed = JSON.parse(body);
          // 409 answer_conflict carries the answer as it is now: the next pass starts from it.
          const version = status === 200 ? parsed?.version : parsed?.current?.version;
          if (typeof version === 'number') versions[tag] = version;
        } catch {
          // not JSON: counted as non-2xx all the same
        }
      },
      verify: (s, body) => (s === 200 && typeof body?.version === 'number' && typeof body?.progress?.answered === 'number' ? null : 'expected 200 with the saved answer'),
      afterRun: async () => {
        const at = new Map(targets.map((t, q) => [t.key, q]));
        for (let a = pacedVendors; a < assessments.length; a++) {
          const res = await fetch(`${baseUrl}/api/portal/assessment`, { headers: { authorization: `Bearer ${assessments[a].session}` }, signal: AbortSignal.timeout(15_000) });
          if (res.status !== 200) throw new Error(`reading the answers of bench assessment ${a} again: HTTP ${res.status}`);
          const view = (await res.json()) as { sections: Array<{ questions: Array<{ key: string; version: number }> }> };
          for (const question of view.sections.flatMap((sec) => sec.questions)) {
            const q = at.get(question.key);
            if (q !== undefined) versions[a * targets.length + q] = question.version;
          }
        }
      },
    });
  }

  if (fx.portal.length) {
    const sessions = fx.portal.map((p) => p.session);
    let p = 0;
    const page = await pageAnswers(`${baseUrl}/portal`, `vdp_portal=${sessions[0]}`);
    cases.push(
      page
        ? {
            key: 'portal',
            label: `portal page GET /portal (${fx.questionCount} q)`,
            method: 'GET',
            headers: {},
            connections: [1, PAGE_CONNECTIONS],
            paced: [{ clients: PAGE_CONNECTIONS, rate: PAGE_RATE }],
            steady: true,
            next: () => ({ path: '/portal', headers: { cookie: `vdp_portal=${sessions[p++ % sessions.length]}` } }),
            verify: looksLikePage,
          }
        : {
            key: 'portal',
            label: `portal view API, no /portal page yet (${fx.questionCount} q)`,
            method: 'GET',
            headers: {},
            connections: [1, PAGE_CONNECTIONS],
            paced: [{ clients: PAGE_CONNECTIONS, rate: PAGE_RATE }],
            steady: true,
            next: () => ({ path: '/api/portal/assessment', headers: { authorization: `Bearer ${sessions[p++ % sessions.length]}` } }),
            verify: (s, body) =>
              s === 200 && questionsOf(body?.sections) === fx.questionCount && body?.progress?.answered > 0
                ? null
                : `expected 200 with the ${fx.questionCount} questions, some answered`,
          },
    );
  }

  if (fx.review) {
    const id = fx.review.assessmentId;
    const page = await pageAnswers(`${baseUrl}/assessments/${id}/review`, `vdp_session=${staffToken}`);
    cases.push(
      page
        ? {
            key: 'review',
            label: 'review page GET /assessments/:id/review',
            method: 'GET',
            headers: { cookie: `vdp_session=${staffToken}` },
            connections: [1, PAGE_CONNECTIONS],
            paced: [{ clients: PAGE_CONNECTIONS, rate: PAGE_RATE }],
            steady: true,
            next: () => ({ path: `/assessments/${id}/review` }),
            verify: looksLikePage,
          }
        : {
            key: 'review',
            label: 'review sheet API, no review page yet',
            method: 'GET',
            headers: { authorization: `Bearer ${staffToken}` },
            connections: [1, PAGE_CONNECTIONS],
            paced: [{ clients: PAGE_CONNECTIONS, rate: PAGE_RATE }],
            steady: true,
            next: () => ({ path: `/api/assessments/${id}/review` }),
            verify: (s, body) =>
              s === 200 && body?.assessment?.status === 'submitted' && typeof body?.overall?.score === 'number' && questionsOf(body?.sections) >= fx.review!.answered
                ? null
                : `expected 200 with the submitted assessment's ${fx.review!.answered} answers scored`,
          },
    );
  }
  return cases;
}

async function sanityChecks(baseUrl: string, cases: BenchCase[]): Promise<void> {
  for (const c of cases) {
    const req = c.next();
    const res = await fetch(baseUrl + req.path, { method: c.method, headers: { ...c.headers, ...req.headers }, body: req.body, signal: AbortSignal.timeout(15_000) });
    const text = await res.text();
    c.onResponse?.(res.status, text, req.tag);
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

interface RequestContext {
  tag?: number;
  sentAt?: bigint;
  initial?: boolean;
}

async function fire(baseUrl: string, c: BenchCase, connections: number, seconds: number): Promise<{ result: autocannon.Result; steadyP99?: number }> {
  // autocannon builds each connection's first request when it creates the connection, and every
  // later one right after the previous response, just before sending it.
  const steady: number[] = [];
  let responded = false;
  const onResponse =
    c.onResponse || c.steady
      ? (status: number, body: string, context: object) => {
          const ctx = context as RequestContext;
          if (c.steady && !ctx.initial && ctx.sentAt !== undefined) steady.push(Number(process.hrtime.bigint() - ctx.sentAt) / 1e6);
          responded = true;
          c.onResponse?.(status, body, ctx.tag);
        }
      : undefined;
  const result = await autocannon({
    url: baseUrl,
    connections,
    duration: seconds,
    timeout: 10,
    method: c.method,
    headers: c.headers,
    requests: [
      {
        // The context belongs to the connection; with one request in flight per connection it
        // carries this request's tag (and send time) to its response.
        setupRequest: (req, context) => {
          const n = c.next();
          Object.assign(context as RequestContext, { tag: n.tag, sentAt: process.hrtime.bigint(), initial: !responded });
          return { ...req, path: n.path, ...(n.body !== undefined ? { body: n.body } : {}), ...(n.headers ? { headers: { ...req.headers, ...n.headers } } : {}) };
        },
        ...(onResponse ? { onResponse } : {}),
      },
    ],
  });
  if (!c.steady || steady.length === 0) return { result };
  steady.sort((a, b) => a - b);
  return { result, steadyP99: steady[Math.min(steady.length - 1, Math.ceil(0.99 * steady.length) - 1)] };
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

const fmtLoad = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');

const fmtKb = (bytes: number) => (bytes < 10_240 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024).toFixed(0)} KB`);

/** The load of a row: its connections (closed loop) or its clients × each one's rate (open load). */
const loadOf = (r: CaseResult) => (r.rate === undefined ? String(r.connections) : `${r.connections} × ${r.rate}/s`);

const fmtMs = (ms: number) => `${ms.toFixed(ms < 10 ? 1 : 0).padStart(5)} ms`;

function printReport(reports: DbReport[], scoring: ScoringBenchResult | null, opts: Options): void {
  out('\n' + '='.repeat(100));
  out('Results (req/s counts 2xx responses only; latency in ms; errors = connection errors + timeouts;');
  out('the in-process row counts calls per second of one thread, and its latency is per call)');
  out('='.repeat(100));
  const header = ['database', 'case', 'conc', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'non-2xx', 'vs baseline'];
  const rows: string[][] = [];
  if (scoring) {
    rows.push(['in-process', `scoreAssessment ${scoring.questions} q`, '1', (scoring.calls / scoring.seconds).toFixed(0), scoring.p50.toFixed(2), scoring.p99.toFixed(2), '0', '0', '']);
  }
  for (const rep of reports) {
    for (const r of rep.results) {
      const base = rep.results.find((x) => x.key === 'baseline' && x.connections === r.connections && x.rate === undefined);
      const ratio = r.key === 'detail' || r.key === 'create' ? (base && base.rps > 0 ? `${((r.rps / base.rps) * 100).toFixed(0)} %` : 'n/a') : '';
      rows.push([
        rep.db,
        r.label,
        loadOf(r),
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

  if (reports.some((r) => r.uploads)) {
    out(`\nUploads, ${16} clients at once, 25 MB each (app VmRSS before, at the peak, 2 s after; targets: +20 MB anonymous, +100 MB with a session):`);
    for (const rep of reports) {
      for (const f of rep.uploads?.floods ?? []) {
        const rise = f.rssPeakMb - f.rssBeforeMb;
        const target = f.label.startsWith('anonymous') ? 20 : 100;
        out(`  ${rise < target ? 'PASS' : 'MISS'}  ${rep.db.padEnd(7)} ${f.label.padEnd(24)} ${f.statuses.padEnd(10)} ${f.seconds.toFixed(1)} s  RSS ${f.rssBeforeMb.toFixed(0)} -> ${f.rssPeakMb.toFixed(0)} -> ${f.rssAfterMb.toFixed(0)} MB (+${rise.toFixed(0)} MB, target < ${target})`);
      }
    }
  }

  for (const rep of reports) {
    if (!rep.backup) continue;
    const b = rep.backup;
    out(`\nBackup and restore (${rep.db}): ${opts.vendors} vendors, ${b.files} stored files of ${b.evidenceMb.toFixed(0)} MB; archive ${b.archiveMb.toFixed(0)} MB`);
    for (const r of b.rows) out(`  ${r.step.padEnd(8)} ${r.seconds.toFixed(1).padStart(6)} s   peak memory ${String(r.peakMb).padStart(4)} MB`);
  }

  out('\nApp memory after the run (VmRSS from /proc/<pid>/status; VmHWM is the peak):');
  for (const rep of reports) {
    out(`  ${rep.db.padEnd(7)} RSS ${rep.rssMb.toFixed(0)} MB, peak ${rep.peakMb.toFixed(0)} MB; whole run ${rep.seconds.toFixed(0)} s`);
    if (rep.appLog.lines > 0) {
      out(`  ${rep.db.padEnd(7)} the app logged ${rep.appLog.lines} line(s) at warn or above; the last ones:`);
      for (const l of rep.appLog.tail.slice(-5)) out(`      ${l}`);
    }
  }

  out(`\nLoad average after the run: ${fmtLoad()} (1, 5 and 15 minutes)`);
  out('\nTargets:');
  const check = (ok: boolean, db: string, text: string) => out(`  ${ok ? 'PASS' : 'MISS'}  ${db.padEnd(10)} ${text}`);
  if (scoring) {
    check(
      scoring.p99 < TARGETS.scoringP99Ms,
      'in-process',
      `scoreAssessment of ${scoring.questions} questions: median ${scoring.p50.toFixed(2)} ms, p99 ${scoring.p99.toFixed(2)} ms per call (target < ${TARGETS.scoringP99Ms} ms at p99)`,
    );
  }
  for (const rep of reports) {
    const at = (key: CaseKey, c: number, rate?: number) => rep.results.find((r) => r.key === key && r.connections === c && r.rate === rate);
    for (const key of ['list', 'search'] as const) {
      const r = at(key, 10);
      if (r) check(r.p99 < TARGETS.listP99Ms && r.non2xx === 0 && r.errors === 0, rep.db, `${r.label} p99 at c=10: ${r.p99.toFixed(1)} ms (target < ${TARGETS.listP99Ms} ms)`);
    }
    for (const [key, target] of [['detail', TARGETS.detailP99Ms], ['create', TARGETS.createP99Ms]] as const) {
      const r = at(key, 10);
      const base = at('baseline', 10);
      if (!r) continue;
      const ratio = base && base.rps > 0 ? ` (${((r.rps / base.rps) * 100).toFixed(0)} % of the baseline's req/s)` : '';
      check(r.p99 < target && r.non2xx === 0 && r.errors === 0, rep.db, `${key} p99 at c=10: ${r.p99.toFixed(1)} ms, ${r.rps.toFixed(0)} req/s${ratio} (target < ${target} ms)`);
    }
    for (const [key, c, rate, target] of [
      ['answer', ANSWER_CONNECTIONS, ANSWER_RATES[0], TARGETS.answerP99Ms],
      ['portal', PAGE_CONNECTIONS, PAGE_RATE, TARGETS.portalP99Ms],
      ['review', PAGE_CONNECTIONS, PAGE_RATE, TARGETS.reviewP99Ms],
    ] as const) {
      // The target under the open load, then the closed-loop stress run against the same figure.
      for (const r of [at(key, c, rate), at(key, c)]) {
        if (!r) continue;
        const failed = r.non2xx + r.errors;
        check(
          r.p99 < target && failed === 0,
          rep.db,
          `${r.label} p99 ${r.rate === undefined ? `closed-loop at c=${c} (stress), ${r.rps.toFixed(0)} req/s` : `with ${c} clients each sending ${r.rate} a second (${r.rps.toFixed(0)} req/s)`}: ` +
            `${r.p99.toFixed(1)} ms (target < ${target} ms)` +
            (r.steadyP99 !== undefined ? `; without each connection's first request ${r.steadyP99.toFixed(1)} ms` : '') +
            (failed ? `; ${failed} of ${r.requests} requests failed` : ''),
        );
      }
    }
    check(rep.rssMb < TARGETS.rssMb, rep.db, `RSS after the run: ${rep.rssMb.toFixed(0)} MB (target < ${TARGETS.rssMb} MB)`);
  }
  const failures = reports.flatMap((rep) => rep.results.filter((r) => r.non2xx > 0 || r.errors > 0).map((r) => `${rep.db} ${r.label} c=${loadOf(r)}`));
  if (failures.length) out(`\nNote: non-2xx responses or errors in: ${failures.join('; ')}`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`\nbenchmark harness failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
