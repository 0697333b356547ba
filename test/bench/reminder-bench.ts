/**
 * The reminder and dashboard benchmarks of issue 4, on a register at scale (by default 100,000
 * vendors, 300,000 assessments, 50,000 contracts, 20,000 findings, and the review cycles a
 * running portal would have): two sweeps of `npm run reminders` as child processes (the second
 * has nothing new to send), the plans of the sweep's queries, and `GET /api/dashboard` under load.
 * Staff in the seed take the daily digest, as anyone owning thousands of vendors would.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { AssessmentEntity } from '../../src/assessments/assessment.entity';
import { addDays, toIsoDate } from '../../src/common/dates';
import { ContractEntity } from '../../src/contracts/contract.entity';
import { currentTermEnd, noticeDeadline } from '../../src/contracts/contract-terms';
import { CONTRACTS_SQL, QUESTIONNAIRES_SQL, REVIEWS_SQL, RISKS_SQL, SweepQuery, WAITING_REVIEW_SQL } from '../../src/reminders/reminder-engine.service';
import { FindingEntity } from '../../src/reviews/finding.entity';
import { ReviewCycleEntity } from '../../src/review-cycles/review-cycle.entity';
import { newCycleRow } from '../../src/review-cycles/review-cycles.service';
import { UserEntity } from '../../src/users/user.entity';
import { insertChunked } from './bench-database';
import type { Rng, SeedUser, SeedVendor } from './seed-data';

export const REMINDERS_JS = path.resolve(__dirname, '../../src/cli/reminders.js');
const DAY_MS = 86_400_000;

export interface ReminderScale {
  assessments: number;
  contracts: number;
  findings: number;
}

/** Seeds assessments, contracts, findings and open review cycles around `now`; returns the counts. */
export async function seedReminderData(ds: DataSource, seeded: { users: SeedUser[]; vendors: SeedVendor[]; now: Date; rng: Rng }, scale: ReminderScale): Promise<Record<string, number>> {
  const { users, vendors, now, rng } = seeded;
  const today = toIsoDate(now);
  await ds.createQueryBuilder().update(UserEntity).set({ reminderDelivery: 'digest' }).execute();
  const current = vendors.filter((v) => !v.archivedAt);
  const reviewers = users.filter((u) => u.role === 'reviewer');
  const owners = users.filter((u) => u.role !== 'viewer');

  const assessments: AssessmentEntity[] = [];
  for (let i = 0; i < scale.assessments; i++) {
    const v = rng.pick(vendors);
    const status = rng.weighted<AssessmentEntity['status']>([
      ['completed', 70],
      ['sent', 8],
      ['in_progress', 7],
      ['submitted', 5],
      ['in_review', 2],
      ['expired', 5],
      ['cancelled', 3],
    ]);
    const waiting = status === 'sent' || status === 'in_progress';
    const dueDate = waiting ? addDays(today, rng.int(100) - 40) : addDays(today, -rng.int(700));
    const createdAt = new Date(Date.parse(`${dueDate}T10:00:00Z`) - 30 * DAY_MS);
    const submittedAt = status === 'submitted' ? new Date(now.getTime() - rng.int(30) * DAY_MS - rng.int(DAY_MS)) : ['completed', 'in_review'].includes(status) ? createdAt : null;
    assessments.push({
      id: rng.uuid(),
      vendorId: v.id,
      status,
      dueDate,
      recipientName: v.contactName,
      recipientEmail: v.contactEmail,
      language: v.contactLanguage,
      message: null,
      createdBy: v.ownerId,
      createdAt,
      updatedAt: createdAt,
      sentAt: createdAt,
      submittedAt,
      completedAt: status === 'completed' ? createdAt : null,
      cancelledAt: status === 'cancelled' ? createdAt : null,
      reviewerId: status === 'in_review' || status === 'completed' ? (reviewers[0]?.id ?? null) : null,
      clarificationMessage: null,
      scoreX100: status === 'completed' ? 5000 + rng.int(5000) : null,
      band: null,
      criticalFailures: 0,
      answeredCount: 0,
      questionCount: 22,
      residualRisk: null,
      inherentTier: null,
      version: 1,
    });
  }
  await insertChunked(ds, AssessmentEntity, assessments);

  const contracts: ContractEntity[] = [];
  const cycles: ReviewCycleEntity[] = [];
  for (let i = 0; i < scale.contracts; i++) {
    const v = rng.pick(vendors);
    const c = randomContract(rng, { vendorId: v.id, ownerId: v.ownerId, counterparty: v.legalEntity ?? v.name }, i, today, now);
    const state = c.state;
    contracts.push(c);
    if (state === 'active' && c.noticeDeadline && !v.archivedAt) cycles.push(cycle(rng, now, 'contract_renewal', v.id, c.id, c.noticeDeadline));
  }
  await insertChunked(ds, ContractEntity, contracts);

  for (const v of current) if (v.status !== 'terminated') cycles.push(cycle(rng, now, 'reassessment', v.id, null, v.nextReviewDate));

  const findings: FindingEntity[] = [];
  for (let i = 0; i < scale.findings; i++) {
    const v = rng.pick(vendors);
    const f = randomFinding(rng, v.id, owners, today, now, {
      title: `Finding ${i + 1}`,
      statuses: [
        ['open', 60],
        ['risk_accepted', 10],
        ['resolved', 30],
      ],
    });
    findings.push(f);
    if (f.status === 'risk_accepted' && !v.archivedAt) cycles.push(cycle(rng, now, 'risk_acceptance', v.id, f.id, f.riskAcceptedUntil!));
  }
  await insertChunked(ds, FindingEntity, findings);
  await insertChunked(ds, ReviewCycleEntity, cycles);
  // Fresh statistics, as a database that grew to this size over time has (bulk loading leaves them stale).
  const tables = ['vendors', 'users', 'assessments', 'contracts', 'findings', 'review_cycles', 'reminder_outbox'];
  if (ds.options.type === 'better-sqlite3') await ds.query('ANALYZE');
  else for (const t of tables) await ds.query(`ANALYZE TABLE ${t}`);
  return { assessments: assessments.length, contracts: contracts.length, findings: findings.length, reviewCycles: cycles.length };
}

function cycle(rng: Rng, now: Date, kind: ReviewCycleEntity['kind'], vendorId: string, subjectId: string | null, dueDate: string): ReviewCycleEntity {
  return newCycleRow({ id: rng.uuid(), kind, vendorId, subjectId, dueDate, now });
}

export interface SweepResult {
  seconds: number;
  output: string[];
  peakMb: number | null;
}

/** One `npm run reminders -- --now …` as a child process against the bench database. */
export function runSweep(opts: { dataDir: string; databaseUrl?: string; now: Date }): Promise<SweepResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: opts.dataDir, LOG_LEVEL: 'warn', NODE_ENV: 'production' };
  delete env.DATABASE_URL;
  if (opts.databaseUrl) env.DATABASE_URL = opts.databaseUrl;
  const started = Date.now();
  return new Promise((resolve, reject) => {
    // The same heap cap as `npm run reminders`.
    const child = spawn(process.execPath, ['--max-old-space-size=256', REMINDERS_JS, '--now', opts.now.toISOString()], { cwd: opts.dataDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`the reminder sweep exited with ${code}:\n${err || out}`));
      const lines = out.trim().split('\n');
      const peak = /peak memory: (\d+) MB/.exec(out);
      resolve({ seconds: (Date.now() - started) / 1000, output: lines, peakMb: peak ? Number(peak[1]) : null });
    });
  });
}

/**
 * The plans of the sweep's queries (MySQL/MariaDB `EXPLAIN`, SQLite `EXPLAIN QUERY PLAN`): for
 * each rule, the id range and the chunk read (with a chunk of 1,000 ids), one access per table.
 */
export async function sweepPlans(ds: DataSource, kind: 'sqlite' | 'mysql', today: string): Promise<string[]> {
  const queries: Array<[string, SweepQuery, unknown[], string]> = [
    ['questionnaires', QUESTIONNAIRES_SQL, [addDays(today, -10), addDays(today, 7)], 'assessments'],
    ['reviews', REVIEWS_SQL, [addDays(today, 30)], 'review_cycles'],
    ['contracts', CONTRACTS_SQL, [today, addDays(today, 60)], 'contracts'],
    ['accepted risks', RISKS_SQL, [today, addDays(today, 30)], 'findings'],
    ['waiting for review', WAITING_REVIEW_SQL, [kind === 'sqlite' ? `${addDays(today, -4)} 00:00:00.000` : `${addDays(today, -4)} 00:00:00`], 'assessments'],
  ];
  const explain = async (sql: string, params: unknown[]): Promise<string> => {
    if (kind === 'sqlite') {
      const rows: Array<{ detail: string }> = await ds.query(`EXPLAIN QUERY PLAN ${sql}`, params);
      return rows.map((r) => r.detail).join(' | ');
    }
    const rows: Array<{ table: string; type: string; key: string | null; rows: number; Extra: string | null }> = await ds.query(`EXPLAIN ${sql}`, params);
    return rows.map((r) => `${r.table} ${r.type}${r.key ? ` via ${r.key}` : ''} (~${r.rows} rows${r.Extra ? `; ${r.Extra}` : ''})`).join(' | ');
  };
  const lines: string[] = [];
  for (const [name, q, params, table] of queries) {
    const sample: Array<{ id: string }> = await ds.query(`SELECT id FROM ${table} LIMIT 1000`);
    const ids = sample.map((r) => r.id);
    lines.push(`${name}, ids: ${await explain(q.ids, params)}`);
    lines.push(`${name}, chunk: ${await explain(q.rows.replace(':ids', ids.map(() => '?').join(', ')), ids)}`);
  }
  return lines;
}

export const HOURS_9 = (now: Date) => new Date(`${toIsoDate(now)}T09:00:00.000Z`);

/**
 * A contract of `v` with random terms, as the benchmarks seed them: mostly active (some
 * terminated or draft), ending between 100 days ago and three years ahead, 40 % renewing on
 * their own, with a 30, 60 or 90-day notice period, of one of `types`.
 */
export function randomContract(
  rng: Rng,
  v: Pick<ContractEntity, 'vendorId' | 'ownerId' | 'counterparty'>,
  i: number,
  today: string,
  now: Date,
  options: { title?: string; types?: readonly ContractEntity['type'][] } = {},
): ContractEntity {
  const state = rng.weighted<ContractEntity['state']>([
    ['active', 85],
    ['terminated', 10],
    ['draft', 5],
  ]);
  const autoRenewal = rng.chance(0.4);
  const expiryDate = addDays(today, rng.int(1100) - 100);
  const effectiveDate = addDays(expiryDate, -(365 + rng.int(730)));
  const terms = { state, effectiveDate, expiryDate, autoRenewal, renewalMonths: autoRenewal ? 12 : null, noticeDays: rng.pick([30, 60, 90]) };
  const c: ContractEntity = {
    id: rng.uuid(),
    vendorId: v.vendorId,
    title: options.title ?? `Agreement ${i + 1}`,
    reference: `AG-${i + 1}`,
    type: rng.pick(options.types ?? (['msa', 'dpa', 'sow', 'nda', 'order_form'] as const)),
    counterparty: v.counterparty,
    ...terms,
    termEnd: currentTermEnd(terms, today),
    noticeDeadline: noticeDeadline(terms, today),
    value: null,
    currency: null,
    ownerId: v.ownerId,
    notes: null,
    documentKey: null,
    documentName: null,
    documentSha256: null,
    documentSize: null,
    documentMime: null,
    terminatedOn: state === 'terminated' ? today : null,
    terminationReason: state === 'terminated' ? 'Replaced' : null,
    createdBy: v.ownerId,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  return c;
}

/**
 * A finding of vendor `vendorId` raised by a reviewer (no question), as the benchmarks seed
 * them: owned by one of `owners` (raised and any risk accepted by the first), due between 60
 * days ago and 120 days ahead, a risk acceptance running 1 to 400 days on, of the weighted
 * `statuses` and `severities` (by default: every status and severity, most open and medium).
 */
export function randomFinding(
  rng: Rng,
  vendorId: string,
  owners: ReadonlyArray<{ id: string }>,
  today: string,
  now: Date,
  options: { title?: string; statuses?: Array<[FindingEntity['status'], number]>; severities?: Array<[FindingEntity['severity'], number]> } = {},
): FindingEntity {
  const status = rng.weighted<FindingEntity['status']>(
    options.statuses ?? [
      ['open', 45],
      ['in_remediation', 15],
      ['risk_accepted', 10],
      ['resolved', 30],
    ],
  );
  const severity = rng.weighted<FindingEntity['severity']>(
    options.severities ?? [
      ['critical', 10],
      ['high', 25],
      ['medium', 40],
      ['low', 25],
    ],
  );
  const accepted = status === 'risk_accepted';
  return {
    id: rng.uuid(),
    vendorId,
    assessmentId: null,
    questionKey: null,
    title: options.title ?? 'Finding',
    severity,
    severityRank: ['low', 'medium', 'high', 'critical'].indexOf(severity),
    recommendation: 'Agree a remediation plan with the vendor and check it at the next review.',
    status,
    ownerId: rng.pick(owners).id,
    dueDate: addDays(today, rng.int(180) - 60),
    note: null,
    riskAcceptedReason: accepted ? 'Compensating control: access only through the bastion host.' : null,
    riskAcceptedUntil: accepted ? addDays(today, 1 + rng.int(400)) : null,
    riskAcceptedBy: accepted ? owners[0].id : null,
    resolvedAt: status === 'resolved' ? now : null,
    createdBy: owners[0].id,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
}
