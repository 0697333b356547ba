/**
 * The PDF report cases of `npm run bench`, end to end over HTTP against the running app, and the
 * same documents rendered in process from sample facts (no database), so that the time spent
 * reading the facts and the time spent drawing the PDF can be told apart.
 *
 *   - `report`: a vendor's risk summary (`GET /api/vendors/:id/risk-summary.pdf`), without and
 *     with the appendix, for a vendor whose current assessment has ~150 questions (the baseline,
 *     cloud-hosting, payment-processor and privacy-processor modules sent together) and 40
 *     findings, a completed assessment before it (the change per section) and two contracts,
 *     one with a clause checklist. All of it is made through the API as staff and the vendor
 *     would make it: sent, answered with evidence, submitted, reviewed, completed; the findings
 *     its failed questions raised, topped up with reviewers' own to 40. Then the app's resident
 *     memory across consecutive downloads.
 *   - `portfolio`: `GET /api/reports/portfolio.pdf` on the seeded register, given contracts
 *     (with clause checklists), findings, review cycles and residual risks first, written
 *     straight into the database like the scale benchmark's register. When the register has
 *     more than 1,000 vendors that are not archived, it is measured again with all but 1,000 of
 *     them archived.
 *
 * Every download is sequential (one request at a time, a few warm-up ones first) and timed to
 * the last byte of the body; each is checked to be a whole PDF.
 */
import { Readable } from 'node:stream';
import { DataSource, In, IsNull } from 'typeorm';
import { AssessmentEntity } from '../../src/assessments/assessment.entity';
import { addDays, toIsoDate } from '../../src/common/dates';
import { loadConfig } from '../../src/config/app-config';
import type { ClauseLibrary, ClauseParam } from '../../src/contracts/clause-library';
import { loadClauseLibrary } from '../../src/contracts/clause-library-loader';
import { ContractClauseEntity } from '../../src/contracts/contract-clause.entity';
import type { ClauseStatus, ParamValue } from '../../src/contracts/contract-gaps';
import { ContractEntity } from '../../src/contracts/contract.entity';
import { buildDataSourceOptions } from '../../src/database/data-source-options';
import type { Locale } from '../../src/i18n/i18n';
import { CompiledQuestionnaire, compileQuestionnaire } from '../../src/questionnaires/compiled-module';
import { loadModules } from '../../src/questionnaires/module-loader';
import { ReminderRunEntity } from '../../src/reminders/reminder-run.entity';
import { ReviewCycleEntity } from '../../src/review-cycles/review-cycle.entity';
import { newCycleRow } from '../../src/review-cycles/review-cycles.service';
import { renderPortfolioReport } from '../../src/reports/pdf/portfolio-report.pdf';
import { renderVendorSummary } from '../../src/reports/pdf/vendor-summary.pdf';
import { buildPortfolioReport } from '../../src/reports/portfolio-report.model';
import { buildVendorSummary } from '../../src/reports/vendor-report.model';
import { FindingEntity } from '../../src/reviews/finding.entity';
import { VendorEntity } from '../../src/vendors/vendor.entity';
import { TIERS, type Tier } from '../../src/vendors/vendor.enums';
import { samplePortfolioFacts } from '../support/portfolio-facts';
import { sampleVendorFacts } from '../support/report-facts';
import type { AppProcess } from './app-process';
import { BenchDatabase, DbKind, insertChunked } from './bench-database';
import { answerAssessment, call } from './assessment-seed';
import { randomContract, randomFinding } from './reminder-bench';
import { Rng } from './seed-data';

/** Sent together: 65 + 28 + 26 + 28 = 147 questions. */
export const REPORT_MODULES = ['baseline', 'cloud-hosting', 'payment-processor', 'privacy-processor'] as const;
export const REPORT_FINDINGS = 40;
/** The portfolio the target is stated for. */
export const PORTFOLIO_VENDORS = 1_000;
/** Timed downloads (and renders) per case, after the warm-up ones. */
const RUNS = 20;
const WARMUP = 3;
/** Consecutive rounds of the memory case, each a portfolio and a summary with the appendix. */
const MEMORY_ROUNDS = 30;
/** The vendor's current assessment: one answer in WEAK_EVERY is a weak one (never a question others depend on). */
const WEAK_EVERY = 6;
/** Its previous one: fewer weak answers (the vendor has improved since, or not). */
const PREVIOUS_WEAK_EVERY = 9;
const UNRESOLVED = ['open', 'in_remediation', 'risk_accepted'];
const LOCALES: readonly Locale[] = ['en', 'zh-CN'];

export type ReportKind = 'summary' | 'appendix' | 'portfolio';

export interface Timing {
  runs: number;
  median: number;
  p95: number;
  max: number;
  /** Size and page count of the last document. */
  bytes: number;
  pages: number;
}

export interface RenderTiming extends Timing {
  kind: ReportKind;
  locale: Locale;
  label: string;
}

export interface HttpTiming extends RenderTiming {
  /** Time to the response headers, median. */
  firstByte: number;
  /** For the portfolio: vendors in it (not archived) and in the register. */
  vendors?: { active: number; register: number };
}

export interface MemoryResult {
  rounds: number;
  what: string;
  /** Before the report cases made or downloaded any report (completing an assessment renders its snapshots). */
  startMb: number;
  beforeMb: number;
  /** Highest VmRSS sampled every 20 ms during the rounds. */
  peakMb: number;
  /** After the rounds and a second's rest. */
  afterMb: number;
}

export interface ReportSubject {
  vendorName: string;
  tier: string;
  questions: number;
  answered: number;
  files: number;
  findings: number;
  raisedByQuestions: number;
  contracts: number;
}

export interface ReportBenchResult {
  db: DbKind;
  subject: ReportSubject | null;
  portfolioSeed: Record<string, number> | null;
  timings: HttpTiming[];
  memory: MemoryResult | null;
  /** Reminder runs the app's own scheduler made while the cases ran (each competes for the CPU). */
  reminderRuns: number;
  seconds: number;
}

export interface ReportTargets {
  summaryMs: number;
  summaryAppendixMs: number;
  portfolioMs: number;
  reportRssGrowthMb: number;
}

// ---------------------------------------------------------------------------------------------
// timing helpers

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

function summarise(times: number[], bytes: number, pages: number): Timing {
  const sorted = [...times].sort((a, b) => a - b);
  return { runs: sorted.length, median: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), max: sorted[sorted.length - 1], bytes, pages };
}

const msSince = (t: bigint) => Number(process.hrtime.bigint() - t) / 1e6;

/** Pages of a PDF as pdfkit writes it: one uncompressed `/Type /Page` dictionary each. */
function pageCount(pdf: Buffer): number {
  return pdf.toString('latin1').match(/\/Type \/Page\b(?!s)/g)?.length ?? 0;
}

function pdfProblem(pdf: Buffer): string | null {
  if (pdf.subarray(0, 5).toString('latin1') !== '%PDF-') return 'does not start with %PDF-';
  if (!pdf.subarray(-64).toString('latin1').includes('%%EOF')) return 'does not end with %%EOF';
  return null;
}

// ---------------------------------------------------------------------------------------------
// in process: the pure renderers on sample facts

async function renderOnce(pending: Promise<PDFKit.PDFDocument>): Promise<Buffer> {
  const doc = await pending;
  const chunks: Buffer[] = [];
  for await (const chunk of doc as unknown as Readable) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Builds the model and renders the PDF to its last byte, from facts made in memory: what a
 * request costs without the database. Sample facts of the sizes the targets name.
 */
export async function runRenderBench(cases: { report: boolean; portfolio: boolean }): Promise<RenderTiming[]> {
  const facts = { en: sampleVendorFacts({ questions: 150, findings: REPORT_FINDINGS }), 'zh-CN': sampleVendorFacts({ questions: 150, findings: REPORT_FINDINGS, chinese: true }) };
  const portfolio = { en: samplePortfolioFacts(PORTFOLIO_VENDORS), 'zh-CN': samplePortfolioFacts(PORTFOLIO_VENDORS, { chinese: true }) };
  const plan: Array<{ kind: ReportKind; locale: Locale; label: string; make: () => Promise<PDFKit.PDFDocument> }> = [];
  for (const locale of LOCALES) {
    if (cases.report) {
      plan.push({ kind: 'summary', locale, label: `vendor summary, 150 q, ${REPORT_FINDINGS} findings`, make: () => renderVendorSummary(buildVendorSummary(facts[locale], locale, { appendix: false })) });
      plan.push({ kind: 'appendix', locale, label: 'vendor summary + appendix', make: () => renderVendorSummary(buildVendorSummary(facts[locale], locale, { appendix: true })) });
    }
    if (cases.portfolio) plan.push({ kind: 'portfolio', locale, label: `portfolio, ${PORTFOLIO_VENDORS.toLocaleString('en')} vendors`, make: () => renderPortfolioReport(buildPortfolioReport(portfolio[locale], locale)) });
  }
  const out: RenderTiming[] = [];
  for (const p of plan) {
    let last: Buffer = Buffer.alloc(0);
    for (let i = 0; i < WARMUP; i++) last = await renderOnce(p.make());
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t = process.hrtime.bigint();
      last = await renderOnce(p.make());
      times.push(msSince(t));
    }
    const problem = pdfProblem(last);
    if (problem) throw new Error(`the in-process ${p.label} (${p.locale}) ${problem}`);
    out.push({ kind: p.kind, locale: p.locale, label: p.label, ...summarise(times, last.length, pageCount(last)) });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// over HTTP

interface Download {
  ms: number;
  firstByte: number;
  body: Buffer;
}

async function download(baseUrl: string, path: string, token: string): Promise<Download> {
  const t = process.hrtime.bigint();
  const res = await fetch(baseUrl + path, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(120_000) });
  const firstByte = msSince(t);
  const body = Buffer.from(await res.arrayBuffer());
  const ms = msSince(t);
  if (res.status !== 200) throw new Error(`GET ${path}: HTTP ${res.status} ${body.toString('utf8').slice(0, 400)}`);
  const type = res.headers.get('content-type') ?? '';
  if (!type.startsWith('application/pdf')) throw new Error(`GET ${path}: content-type ${type}, not application/pdf`);
  const problem = pdfProblem(body);
  if (problem) throw new Error(`GET ${path}: the body (${body.length} bytes) ${problem}`);
  return { ms, firstByte, body };
}

async function timeDownloads(baseUrl: string, path: string, token: string): Promise<Timing & { firstByte: number }> {
  let last: Download | undefined;
  for (let i = 0; i < WARMUP; i++) last = await download(baseUrl, path, token);
  const times: number[] = [];
  const firstBytes: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    last = await download(baseUrl, path, token);
    times.push(last.ms);
    firstBytes.push(last.firstByte);
  }
  return { ...summarise(times, last!.body.length, pageCount(last!.body)), firstByte: percentile([...firstBytes].sort((a, b) => a - b), 0.5) };
}

export interface ReportBenchOptions {
  kind: DbKind;
  app: AppProcess;
  db: BenchDatabase;
  dataDir: string;
  adminToken: string;
  cases: { report: boolean; portfolio: boolean };
  log: (line: string) => void;
}

/** The HTTP cases on the bench database the app runs on; rows written through the API or, for the portfolio's register, straight into the database. */
export async function runReportBench(opts: ReportBenchOptions): Promise<ReportBenchResult> {
  const started = Date.now();
  const { app, adminToken: token, log } = opts;
  const config = loadConfig({ DATA_DIR: opts.dataDir, ...(opts.db.url ? { DATABASE_URL: opts.db.url } : {}) });
  const ds = new DataSource(buildDataSourceOptions(config));
  await ds.initialize();
  const result: ReportBenchResult = { db: opts.kind, subject: null, portfolioSeed: null, timings: [], memory: null, reminderRuns: 0, seconds: 0 };
  const runsBefore = await ds.getRepository(ReminderRunEntity).count();
  const startMb = app.memory().rssMb;
  try {
    let subject: { id: string; info: ReportSubject } | null = null;
    if (opts.cases.report) {
      const t = Date.now();
      subject = await seedSubject(app.baseUrl, token, ds, opts.db);
      result.subject = subject.info;
      const s = subject.info;
      log(
        `report subject: ${s.vendorName} (${s.tier}): ${s.questions} questions (${s.answered} answered, ${s.files} files), ${s.findings} findings ` +
          `(${s.raisedByQuestions} raised by its failed questions), a completed assessment before it, ${s.contracts} contracts; made through the API in ${((Date.now() - t) / 1000).toFixed(1)} s`,
      );
    }
    if (opts.cases.portfolio) {
      const t = Date.now();
      result.portfolioSeed = await seedPortfolio(ds, opts.db, subject?.id ?? null);
      log(`portfolio register: ${Object.entries(result.portfolioSeed).map(([k, n]) => `${n} ${k}`).join(', ')} in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    }
    const register = await ds.getRepository(VendorEntity).count();
    const active = () => ds.getRepository(VendorEntity).countBy({ archivedAt: IsNull() });

    const record = (row: HttpTiming) => {
      result.timings.push(row);
      log(
        `${`${row.label} (${row.locale})`.padEnd(46)} median ${fmt(row.median)}  p95 ${fmt(row.p95)}  max ${fmt(row.max)}  first byte ${fmt(row.firstByte)}  ` +
          `${(row.bytes / 1024).toFixed(0)} KB, ${row.pages} pages`,
      );
    };
    if (subject) {
      for (const locale of LOCALES) {
        for (const appendix of [false, true]) {
          const path = `/api/vendors/${subject.id}/risk-summary.pdf?lang=${locale}${appendix ? '&appendix=true' : ''}`;
          const label = appendix ? 'vendor summary + appendix' : `vendor summary, ${subject.info.questions} q, ${subject.info.findings} findings`;
          record({ kind: appendix ? 'appendix' : 'summary', locale, label, ...(await timeDownloads(app.baseUrl, path, token)) });
        }
      }
    }
    const portfolioLabel = (n: { active: number; register: number }) =>
      `portfolio, ${n.active.toLocaleString('en')} vendors` + (n.register !== n.active ? ` of ${n.register.toLocaleString('en')}` : '');
    if (opts.cases.portfolio) {
      const vendors = { active: await active(), register };
      for (const locale of LOCALES) {
        record({ kind: 'portfolio', locale, label: portfolioLabel(vendors), vendors, ...(await timeDownloads(app.baseUrl, `/api/reports/portfolio.pdf?lang=${locale}`, token)) });
      }
    }
    if (subject) {
      const paths = [...(opts.cases.portfolio ? ['/api/reports/portfolio.pdf?lang=en'] : []), `/api/vendors/${subject.id}/risk-summary.pdf?lang=en&appendix=true`];
      result.memory = { startMb, ...(await memoryRounds(app, token, paths, opts.cases.portfolio ? 'portfolio + summary with appendix' : 'summary with appendix')) };
      const m = result.memory;
      log(`memory, ${m.rounds} × ${m.what}: RSS before ${m.beforeMb.toFixed(0)} MB, peak ${m.peakMb.toFixed(0)} MB, after ${m.afterMb.toFixed(0)} MB (${m.startMb.toFixed(0)} MB before the first report)`);
    }
    if (opts.cases.portfolio && (await active()) > PORTFOLIO_VENDORS) {
      await archiveAllBut(ds, PORTFOLIO_VENDORS, subject?.id ?? null);
      const vendors = { active: await active(), register };
      log(`archived all but ${vendors.active} of the register's vendors for the ${PORTFOLIO_VENDORS.toLocaleString('en')}-vendor portfolio`);
      record({
        kind: 'portfolio',
        locale: 'en',
        label: portfolioLabel(vendors) + ' (rest archived)',
        vendors,
        ...(await timeDownloads(app.baseUrl, '/api/reports/portfolio.pdf?lang=en', token)),
      });
    }
    result.reminderRuns = (await ds.getRepository(ReminderRunEntity).count()) - runsBefore;
    result.seconds = (Date.now() - started) / 1000;
    return result;
  } finally {
    await ds.destroy();
  }
}

async function memoryRounds(app: AppProcess, token: string, paths: string[], what: string): Promise<Omit<MemoryResult, 'startMb'>> {
  await new Promise((r) => setTimeout(r, 1000));
  const beforeMb = app.memory().rssMb;
  let peakMb = beforeMb;
  const sampler = setInterval(() => {
    try {
      peakMb = Math.max(peakMb, app.memory().rssMb);
    } catch {
      // the app is gone: the download below fails and says so
    }
  }, 20);
  try {
    for (let i = 0; i < MEMORY_ROUNDS; i++) for (const p of paths) await download(app.baseUrl, p, token);
  } finally {
    clearInterval(sampler);
  }
  await new Promise((r) => setTimeout(r, 1000));
  const afterMb = app.memory().rssMb;
  return { rounds: MEMORY_ROUNDS, what, beforeMb, peakMb: Math.max(peakMb, afterMb), afterMb };
}

// ---------------------------------------------------------------------------------------------
// the report's vendor, made through the API

const COMMENTS = [
  'Policy v4, approved by the board in March; reviewed every year.',
  'Covered by our ISO 27001 certificate (scope: all production systems). The statement of applicability is attached.',
  '由信息安全委员会每年审查一次，最近一次审查于今年三月完成。',
  'Quarterly access reviews for privileged accounts; leavers are removed within one working day.',
];

function reportQuestionnaire(): CompiledQuestionnaire {
  const loaded = loadModules();
  return compileQuestionnaire(
    REPORT_MODULES.map((key) => {
      const m = loaded.find((l) => l.module.key === key);
      if (!m) throw new Error(`questionnaires/ has no '${key}' module`);
      return m.module;
    }),
  );
}

interface FindingRow {
  id: string;
  version: number;
  status: string;
}

/** Sends the modules, answers them as the vendor, submits, and completes the review (with verdicts and notes on some answers). */
async function assessOnce(
  baseUrl: string,
  token: string,
  vendorId: string,
  c: CompiledQuestionnaire,
  weakEvery: number,
  verdicts: boolean,
): Promise<{ id: string; questionCount: number; answered: number; files: number; findings: FindingRow[] }> {
  const dueDate = addDays(toIsoDate(new Date()), 30);
  const r = await call<{ assessment: { id: string; questionCount: number }; link: { url: string } | null }>(baseUrl, 'POST', '/api/assessments', {
    bearer: token,
    json: { vendorId, modules: REPORT_MODULES, dueDate },
    expect: 201,
  });
  const linkToken = r.link?.url.split('/portal/t/')[1];
  if (!linkToken) throw new Error(`POST /api/assessments gave no portal link: ${JSON.stringify(r)}`);
  const s = await call<{ token: string }>(baseUrl, 'POST', '/api/portal/session', { json: { token: linkToken }, expect: 200 });
  const done = await answerAssessment(baseUrl, s.token, c, { weakEvery, comments: COMMENTS });
  await call(baseUrl, 'POST', '/api/portal/submit', { bearer: s.token, expect: 200 });
  const id = r.assessment.id;
  if (verdicts) {
    await call(baseUrl, 'POST', `/api/assessments/${id}/review/start`, { bearer: token, expect: 200 });
    const sheet = await call<{ sections: Array<{ questions: Array<{ key: string; answer: unknown }> }> }>(baseUrl, 'GET', `/api/assessments/${id}/review`, { bearer: token, expect: 200 });
    const keys = sheet.sections.flatMap((x) => x.questions).filter((q) => q.answer !== null && q.answer !== undefined).map((q) => q.key);
    for (const [i, key] of keys.entries()) {
      if (i % 4 !== 0) continue;
      await call(baseUrl, 'PUT', `/api/assessments/${id}/answers/${encodeURIComponent(key)}/review`, {
        bearer: token,
        json: { decision: 'accepted', note: i % 8 === 0 ? 'Checked against the policy document and the last audit report.' : null },
        expect: 200,
      });
    }
  }
  const completed = await call<{ assessment: { questionCount: number; answeredCount: number }; findings: FindingRow[] }>(baseUrl, 'POST', `/api/assessments/${id}/complete`, {
    bearer: token,
    json: {},
    expect: 200,
  });
  // Counted at completion: the questions the answers made visible, not those visible when sent.
  return { id, questionCount: completed.assessment.questionCount, answered: completed.assessment.answeredCount, files: done.files, findings: completed.findings };
}

/**
 * A high-tier vendor that has no assessment yet gets: a DPA with a clause checklist and an MSA;
 * a completed assessment whose findings were since resolved; a current completed one whose
 * failed questions raised findings, topped up with reviewers' own to REPORT_FINDINGS, a quarter
 * of them in remediation.
 */
async function seedSubject(baseUrl: string, token: string, ds: DataSource, db: BenchDatabase): Promise<{ id: string; info: ReportSubject }> {
  const rng = new Rng(20260501);
  const assessed = new Set((await ds.getRepository(AssessmentEntity).find({ select: { vendorId: true } })).map((a) => a.vendorId));
  const vendor =
    db.vendors.find((v) => !v.archivedAt && v.status === 'active' && (v.tier === 'high' || v.tier === 'critical') && !assessed.has(v.id)) ??
    db.vendors.find((v) => !v.archivedAt && v.status === 'active' && !assessed.has(v.id));
  if (!vendor) throw new Error('the report case needs an active vendor without assessments; the register has none');
  const today = toIsoDate(new Date());

  const library = loadClauseLibrary();
  const dpa = await call<{ id: string; version: number }>(baseUrl, 'POST', '/api/contracts', {
    bearer: token,
    json: { vendorId: vendor.id, title: 'Data processing agreement', type: 'dpa', reference: 'DPA-2025-031', effectiveDate: addDays(today, -400), expiryDate: addDays(today, 330), autoRenewal: true, renewalMonths: 12, noticeDays: 90 },
    expect: 201,
  });
  const entries = checklist(library, rng).map((e) => ({ clause: e.clauseKey, status: e.status, sectionRef: e.sectionRef, params: e.params, notes: e.notes, reason: e.reason }));
  await call(baseUrl, 'PATCH', `/api/contracts/${dpa.id}/checklist`, { bearer: token, json: { version: dpa.version, entries }, expect: 200 });
  await call(baseUrl, 'POST', '/api/contracts', {
    bearer: token,
    json: { vendorId: vendor.id, title: 'Master services agreement', type: 'msa', reference: 'MSA-2024-007', effectiveDate: addDays(today, -700), expiryDate: null },
    expect: 201,
  });

  const c = reportQuestionnaire();
  const previous = await assessOnce(baseUrl, token, vendor.id, c, PREVIOUS_WEAK_EVERY, false);
  for (const f of previous.findings) {
    await call(baseUrl, 'PATCH', `/api/findings/${f.id}`, { bearer: token, json: { version: f.version, status: 'resolved', note: 'Fixed and checked at the next assessment.' }, expect: 200 });
  }
  const current = await assessOnce(baseUrl, token, vendor.id, c, WEAK_EVERY, true);
  const findings = [...current.findings];
  const severities = ['critical', 'high', 'medium', 'low'] as const;
  for (let i = findings.length; i < REPORT_FINDINGS; i++) {
    findings.push(
      await call<FindingRow>(baseUrl, 'POST', '/api/findings', {
        bearer: token,
        json: {
          vendorId: vendor.id,
          assessmentId: current.id,
          title: `Reviewer's finding ${i + 1}: privileged access is not reviewed for every production system`,
          severity: severities[i % 4],
          recommendation: 'Review privileged accounts on every production system each quarter and keep a record of each review, signed by the system owner.',
        },
        expect: 201,
      }),
    );
  }
  for (const [i, f] of findings.entries()) {
    if (i % 4 !== 1) continue;
    await call(baseUrl, 'PATCH', `/api/findings/${f.id}`, { bearer: token, json: { version: f.version, status: 'in_remediation', note: 'The vendor has a plan; next check in a month.' }, expect: 200 });
  }
  // What the report will list: the vendor's unresolved findings and all of the current assessment's.
  const listed = await ds
    .getRepository(FindingEntity)
    .createQueryBuilder('f')
    .where('f.vendorId = :v', { v: vendor.id })
    .andWhere('(f.status IN (:...s) OR f.assessmentId = :a)', { s: UNRESOLVED, a: current.id })
    .getCount();
  return {
    id: vendor.id,
    info: {
      vendorName: vendor.name,
      tier: vendor.tier,
      questions: current.questionCount,
      answered: current.answered,
      files: current.files,
      findings: listed,
      raisedByQuestions: current.findings.length,
      contracts: 2,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// the portfolio's register, written straight into the database

/** A valid value of a clause parameter: mostly within the good range, one in five on the gap side. */
function paramValue(p: ClauseParam, rng: Rng): ParamValue {
  if (p.type === 'boolean') return rng.chance(0.2) ? !(p.expected ?? true) : (p.expected ?? true);
  if (p.type === 'text') return 'As set out in Schedule 3 of the agreement.';
  const gap = rng.chance(0.2);
  let v: number;
  if (p.gapAbove !== undefined || p.weakAbove !== undefined) v = gap ? (p.gapAbove ?? p.weakAbove!) + 1 : (p.weakAbove ?? p.gapAbove!);
  else if (p.gapBelow !== undefined || p.weakBelow !== undefined) v = gap ? (p.gapBelow ?? p.weakBelow!) - 1 : (p.weakBelow ?? p.gapBelow!);
  else v = p.min ?? 1;
  if (p.min !== undefined) v = Math.max(p.min, v);
  if (p.max !== undefined) v = Math.min(p.max, v);
  return p.type === 'integer' ? Math.round(v) : v;
}

/** A clause checklist as a reviewer fills it in: most of the library's clauses, mostly present. */
function checklist(library: ClauseLibrary, rng: Rng): Array<Pick<ContractClauseEntity, 'clauseKey' | 'status' | 'sectionRef' | 'params' | 'notes' | 'reason'>> {
  const rows: Array<Pick<ContractClauseEntity, 'clauseKey' | 'status' | 'sectionRef' | 'params' | 'notes' | 'reason'>> = [];
  for (const [i, clause] of library.clauses.entries()) {
    if (rng.chance(0.25)) continue;
    const status = rng.weighted<ClauseStatus>([
      ['present', 70],
      ['partial', 15],
      ['missing', 10],
      ['not_applicable', 5],
    ]);
    const stated = status === 'present' || status === 'partial';
    const params = stated && clause.params?.length ? Object.fromEntries(clause.params.map((p) => [p.key, paramValue(p, rng)])) : null;
    rows.push({
      clauseKey: clause.key,
      status,
      sectionRef: stated ? `Schedule 2, §${1 + Math.floor(i / 5)}.${1 + (i % 5)}` : null,
      params,
      notes: status === 'partial' ? 'Only for production data; backups are not covered.' : null,
      reason: status === 'not_applicable' ? 'The vendor does not process this kind of data for us.' : null,
    });
  }
  return rows;
}

/**
 * Around the vendors that are not archived (but the report's vendor), as the scale benchmark's
 * register has them: 1.5 contracts and 2 findings each, on vendors picked at random from the
 * whole register; a clause checklist on most DPAs and MSAs in force; the review cycles of the
 * vendors' re-assessments, of the contracts' notice deadlines and of the accepted risks (but
 * those the app's own reminder runs have scheduled already); a residual risk on four vendors
 * in five.
 */
async function seedPortfolio(ds: DataSource, db: BenchDatabase, exceptVendor: string | null): Promise<Record<string, number>> {
  const rng = new Rng(20260502);
  const now = new Date();
  const today = toIsoDate(now);
  const vendorRepo = ds.getRepository(VendorEntity);
  const vendors = (await vendorRepo.find({ order: { id: 'ASC' } })).filter((v) => v.id !== exceptVendor);
  const active = vendors.filter((v) => !v.archivedAt);
  const owners = db.users.filter((u) => u.role !== 'viewer');
  const scheduled = new Set((await ds.getRepository(ReviewCycleEntity).find({ select: { cycleKey: true } })).map((c) => c.cycleKey));
  const cycles: ReviewCycleEntity[] = [];
  const addCycle = (kind: ReviewCycleEntity['kind'], vendorId: string, subjectId: string | null, dueDate: string) => {
    const row = newCycleRow({ id: rng.uuid(), kind, vendorId, subjectId, dueDate, now });
    if (!scheduled.has(row.cycleKey)) cycles.push(row);
    scheduled.add(row.cycleKey);
  };

  const library = loadClauseLibrary();
  const contracts: ContractEntity[] = [];
  const clauses: ContractClauseEntity[] = [];
  for (let i = 0; i < Math.round(active.length * 1.5); i++) {
    const v = rng.pick(vendors);
    const c = randomContract(rng, { vendorId: v.id, ownerId: v.ownerId, counterparty: v.legalEntity ?? v.name }, i, today, now, {
      title: rng.pick(['Master services agreement', 'Data processing agreement', 'Statement of work', 'Order form']) + ` ${i + 1}`,
      types: ['msa', 'dpa', 'dpa', 'sow', 'nda', 'order_form'],
    });
    const state = c.state;
    contracts.push(c);
    if (state === 'active' && (c.type === 'dpa' || c.type === 'msa') && rng.chance(0.7)) {
      for (const e of checklist(library, rng)) clauses.push({ id: rng.uuid(), contractId: c.id, ...e, updatedBy: owners[0].id, updatedAt: now });
    }
    if (state === 'active' && c.noticeDeadline && !v.archivedAt) addCycle('contract_renewal', v.id, c.id, c.noticeDeadline);
  }

  const findings: FindingEntity[] = [];
  for (let i = 0; i < active.length * 2; i++) {
    const v = rng.pick(vendors);
    const f = randomFinding(rng, v.id, owners, today, now, {
      title: rng.pick(['Multi-factor authentication is not enforced for remote access', 'No tested backup restore in the last year', 'Sub-processors are not listed', 'Access reviews are incomplete']),
    });
    findings.push(f);
    if (f.status === 'risk_accepted' && !v.archivedAt) addCycle('risk_acceptance', v.id, f.id, f.riskAcceptedUntil!);
  }
  for (const v of active) if (v.status !== 'terminated') addCycle('reassessment', v.id, null, v.nextReviewDate);

  await insertChunked(ds, ContractEntity, contracts);
  await insertChunked(ds, ContractClauseEntity, clauses);
  await insertChunked(ds, FindingEntity, findings);
  await insertChunked(ds, ReviewCycleEntity, cycles);

  const byRisk = new Map<Tier, string[]>(TIERS.map((t) => [t, []]));
  for (const v of active) {
    if (!rng.chance(0.8)) continue;
    byRisk.get(rng.weighted<Tier>([['low', 35], ['medium', 35], ['high', 20], ['critical', 10]]))!.push(v.id);
  }
  let risks = 0;
  for (const [risk, ids] of byRisk) {
    for (let i = 0; i < ids.length; i += 500) {
      await vendorRepo.createQueryBuilder().update().set({ residualRisk: risk, residualRiskAt: now }).where({ id: In(ids.slice(i, i + 500)) }).execute();
    }
    risks += ids.length;
  }
  // Fresh statistics, as a database that grew to this size over time has.
  if (ds.options.type === 'better-sqlite3') await ds.query('ANALYZE');
  else for (const t of ['vendors', 'contracts', 'contract_clauses', 'findings', 'review_cycles']) await ds.query(`ANALYZE TABLE ${t}`);
  return { contracts: contracts.length, clauseEntries: clauses.length, findings: findings.length, reviewCycles: cycles.length, residualRisks: risks };
}

/** Archives every vendor that is not archived but `keep` of them (spread over the register, the report's vendor among them). */
async function archiveAllBut(ds: DataSource, keep: number, keepVendor: string | null): Promise<void> {
  const repo = ds.getRepository(VendorEntity);
  const active = (await repo.find({ select: { id: true }, where: { archivedAt: IsNull() }, order: { id: 'ASC' } })).map((v) => v.id);
  const step = active.length / keep;
  const kept = new Set(Array.from({ length: keep }, (_, i) => active[Math.floor(i * step)]));
  if (keepVendor && !kept.has(keepVendor)) {
    kept.delete(active[Math.floor((keep - 1) * step)]);
    kept.add(keepVendor);
  }
  const archive = active.filter((id) => !kept.has(id));
  const now = new Date();
  for (let i = 0; i < archive.length; i += 500) {
    await repo.createQueryBuilder().update().set({ archivedAt: now, archiveReason: 'Outside the benchmark’s 1,000-vendor portfolio' }).where({ id: In(archive.slice(i, i + 500)) }).execute();
  }
}

// ---------------------------------------------------------------------------------------------
// the table

const fmt = (ms: number) => `${ms.toFixed(ms < 10 ? 1 : 0).padStart(5)} ms`;

export function printReportBench(render: RenderTiming[] | null, results: ReportBenchResult[], targets: ReportTargets, out: (line?: string) => void): void {
  if (!render?.length && !results.length) return;
  out(`\nPDF reports: sequential downloads over HTTP, timed to the last byte of the body (${RUNS} after ${WARMUP} warm-up), and the same reports rendered in`);
  out('process from sample facts (no database: model and PDF only). "render only" is that in-process median beside each HTTP row. The sample');
  out('facts make a smaller document than the real vendor\'s (compare size and pages), so HTTP minus render only over-states the database\'s share.');
  for (const r of results) {
    if (r.subject) {
      const s = r.subject;
      out(`  ${r.db}: report vendor ${s.vendorName} (${s.tier}), ${s.questions} questions, ${s.answered} answered, ${s.files} files, ${s.findings} findings, ${s.contracts} contracts`);
    }
    if (r.portfolioSeed) out(`  ${r.db}: portfolio register ${Object.entries(r.portfolioSeed).map(([k, n]) => `${n} ${k}`).join(', ')}`);
    if (r.reminderRuns) out(`  ${r.db}: note: the app's reminder scheduler ran ${r.reminderRuns} time(s) during these cases`);
  }
  const header = ['database', 'case', 'lang', 'n', 'median', 'p95', 'max', 'first byte', 'render only', 'size', 'pages', 'target'];
  const rows: string[][] = [];
  const target = (kind: ReportKind) => (kind === 'summary' ? targets.summaryMs : kind === 'appendix' ? targets.summaryAppendixMs : targets.portfolioMs);
  const kb = (b: number) => `${(b / 1024).toFixed(0)} KB`;
  for (const t of render ?? []) {
    rows.push(['in-process', t.label, t.locale, String(t.runs), t.median.toFixed(1), t.p95.toFixed(1), t.max.toFixed(1), '', '', kb(t.bytes), String(t.pages), `< ${target(t.kind)} ms`]);
  }
  for (const r of results) {
    for (const t of r.timings) {
      const own = render?.find((x) => x.kind === t.kind && x.locale === t.locale);
      rows.push([r.db, t.label, t.locale, String(t.runs), t.median.toFixed(1), t.p95.toFixed(1), t.max.toFixed(1), t.firstByte.toFixed(1), own ? own.median.toFixed(1) : '', kb(t.bytes), String(t.pages), `< ${target(t.kind)} ms`]);
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i >= 3 && i <= 10 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
  out(line(header));
  out(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) out(line(row));
  const memory = results.filter((r) => r.memory);
  if (memory.length) {
    out('\nApp memory while downloading reports (VmRSS sampled every 20 ms; "after" is after a second\'s rest; "first" is before the report cases):');
    for (const r of memory) {
      const m = r.memory!;
      out(
        `  ${r.db.padEnd(10)} ${`${m.rounds} × ${m.what}`.padEnd(40)} RSS first ${m.startMb.toFixed(0)} MB; before ${m.beforeMb.toFixed(0)} MB, peak ${m.peakMb.toFixed(0)} MB, after ${m.afterMb.toFixed(0)} MB ` +
          `(growth ${(m.afterMb - m.beforeMb).toFixed(0)} MB)   target: bounded, growth < ${targets.reportRssGrowthMb} MB`,
      );
    }
  }

  out('\nTargets of the PDF reports (p95 of the sequential downloads):');
  const check = (ok: boolean, db: string, text: string) => out(`  ${ok ? 'PASS' : 'MISS'}  ${db.padEnd(10)} ${text}`);
  for (const r of results) {
    for (const t of r.timings) {
      const limit = target(t.kind);
      check(t.p95 < limit, r.db, `${t.label} (${t.locale}): median ${t.median.toFixed(0)} ms, p95 ${t.p95.toFixed(0)} ms, max ${t.max.toFixed(0)} ms (target < ${limit} ms)`);
    }
    if (r.memory) {
      const m = r.memory;
      const growth = m.afterMb - m.beforeMb;
      check(
        growth < targets.reportRssGrowthMb,
        r.db,
        `memory over ${m.rounds} × ${m.what}: RSS ${m.beforeMb.toFixed(0)} → ${m.afterMb.toFixed(0)} MB (growth ${growth.toFixed(0)} MB; target growth < ${targets.reportRssGrowthMb} MB); ` +
          `peak ${m.peakMb.toFixed(0)} MB, ${m.startMb.toFixed(0)} MB before the first report`,
      );
    }
  }
}
