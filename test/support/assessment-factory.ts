/**
 * Assessments the way staff and vendors make them: sent through the staff API, opened through
 * the portal, answered and submitted through the portal API. Plus a snapshot of everything a
 * refused request must leave alone.
 */
import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import type { Response } from 'supertest';
import { AnswerEntity } from '../../src/assessments/answer.entity';
import { AssessmentEntity } from '../../src/assessments/assessment.entity';
import { EvidenceFileEntity } from '../../src/assessments/evidence-file.entity';
import { AuditEventEntity } from '../../src/audit/audit-event.entity';
import { PortalLinkEntity } from '../../src/portal/portal-link.entity';
import { PortalSessionEntity } from '../../src/portal/portal-session.entity';
import { FindingEntity } from '../../src/reviews/finding.entity';
import { bearer, TestContext } from './test-app';

/** The due date used unless a test gives one: a month after the test clock's default day. */
export const DUE_DATE = '2026-04-01';

/** A small valid PDF, accepted as evidence. */
export const PDF = Buffer.from('%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n', 'latin1');

export interface SentAssessment {
  id: string;
  /** The portal link's token (the last part of its URL). */
  token: string;
  url: string;
}

export interface SendOptions {
  modules?: string[];
  dueDate?: string;
  recipient?: { name: string; email: string; language: 'en' | 'zh-CN' };
  message?: string;
  send?: boolean;
}

/** The token of a portal link URL. */
export function linkToken(url: string): string {
  const m = /\/portal\/t\/([A-Za-z0-9_-]+)$/.exec(url);
  if (!m) throw new Error(`not a portal link: ${url}`);
  return m[1];
}

function check(res: Response, status: number, what: string): Response {
  if (res.status !== status) throw new Error(`${what}: expected ${status}, got ${res.status} ${JSON.stringify(res.body)}`);
  return res;
}

/** Creates and sends an assessment for a vendor with `POST /api/assessments`. */
export async function createAssessment(ctx: TestContext, staffToken: string, vendorId: string, options: SendOptions = {}): Promise<SentAssessment> {
  const res = check(
    await ctx.http
      .post('/api/assessments')
      .set(bearer(staffToken))
      .send({ vendorId, dueDate: options.dueDate ?? DUE_DATE, ...(options.modules ? { modules: options.modules } : {}), ...pick(options, ['recipient', 'message', 'send']) }),
    201,
    'POST /api/assessments',
  );
  const url = res.body.link?.url as string | undefined;
  return { id: res.body.assessment.id as string, token: url ? linkToken(url) : '', url: url ?? '' };
}

function pick<T extends object>(o: T, keys: Array<keyof T>): Partial<T> {
  return Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]])) as Partial<T>;
}

/** Exchanges a link token for a portal session token with `POST /api/portal/session`. */
export async function openPortal(ctx: TestContext, linkTokenValue: string): Promise<string> {
  const res = check(await ctx.http.post('/api/portal/session').send({ token: linkTokenValue }), 200, 'POST /api/portal/session');
  return res.body.token as string;
}

export interface PortalQuestion {
  key: string;
  type: string;
  required: boolean;
  evidence: 'none' | 'optional' | 'required';
  options: Array<{ key: string; label: string }>;
  visible: boolean;
  value: unknown;
  version: number;
  files: Array<{ id: string; name: string; size: number }>;
  editable: boolean;
  /** Carried over from the last assessment and not confirmed yet. */
  carriedOver: boolean;
}

/** The vendor's view (`GET /api/portal/assessment`), with its questions flattened. */
export async function portalView(ctx: TestContext, session: string): Promise<{ body: any; questions: Map<string, PortalQuestion> }> {
  const res = check(await ctx.http.get('/api/portal/assessment').set(bearer(session)), 200, 'GET /api/portal/assessment');
  const questions = new Map<string, PortalQuestion>();
  for (const s of res.body.sections as Array<{ questions: PortalQuestion[] }>) for (const q of s.questions) questions.set(q.key, q);
  return { body: res.body, questions };
}

interface DefinitionQuestion {
  key: string;
  type: string;
  expected?: 'yes' | 'no';
  options?: Array<{ key: string; score: number }>;
}

/** The module definitions behind an assessment, from the staff API (scores are not shown to vendors). */
async function definitions(ctx: TestContext, staffToken: string, modules: Array<{ key: string; version: string }>): Promise<Map<string, DefinitionQuestion>> {
  const out = new Map<string, DefinitionQuestion>();
  for (const m of modules) {
    const res = check(await ctx.http.get(`/api/questionnaires/${m.key}/versions/${m.version}`).set(bearer(staffToken)), 200, `GET questionnaire ${m.key}`);
    for (const s of res.body.definition.sections as Array<{ questions: DefinitionQuestion[] }>) for (const q of s.questions) out.set(q.key, q);
  }
  return out;
}

/** The best-scoring answer to a question: the expected yes/no, the top option, options summing to 1. */
export function favourableValue(q: DefinitionQuestion): unknown {
  switch (q.type) {
    case 'yes_no':
    case 'yes_no_na':
      return q.expected ?? 'yes';
    case 'single_choice':
      return [...(q.options ?? [])].sort((a, b) => b.score - a.score)[0].key;
    case 'multi_choice': {
      const chosen: string[] = [];
      let sum = 0;
      for (const o of [...(q.options ?? [])].sort((a, b) => b.score - a.score)) {
        if (sum >= 1 || o.score <= 0) break;
        chosen.push(o.key);
        sum += o.score;
      }
      return chosen;
    }
    case 'number':
      return 3;
    case 'date':
      return '2026-01-15';
    default:
      return 'Answered by the test vendor.';
  }
}

export async function uploadEvidence(ctx: TestContext, session: string, key: string, name = 'evidence.pdf', data: Buffer = PDF): Promise<Response> {
  return ctx.http.post(`/api/portal/answers/${key}/evidence`).set(bearer(session)).attach('file', data, name);
}

/**
 * Answers every visible required question favourably (uploading a PDF for file questions),
 * round after round, since answers can make further questions visible. With `evidence`, also
 * attaches a PDF to every visible question whose evidence is required.
 */
export async function answerFavourably(ctx: TestContext, session: string, staffToken: string, options: { evidence?: boolean } = {}): Promise<void> {
  let defs: Map<string, DefinitionQuestion> | undefined;
  for (let round = 0; round < 20; round++) {
    const view = await portalView(ctx, session);
    defs ??= await definitions(ctx, staffToken, view.body.modules as Array<{ key: string; version: string }>);
    const todo = [...view.questions.values()].filter((q) => {
      if (!q.visible) return false;
      const unanswered = q.type === 'file' ? q.files.length === 0 : q.value === null;
      const needsFile = options.evidence === true && q.evidence === 'required' && q.type !== 'file' && q.files.length === 0;
      return (q.required && unanswered) || needsFile;
    });
    if (!todo.length) return;
    for (const q of todo) {
      if (q.type === 'file' || (q.value !== null && q.files.length === 0)) {
        check(await uploadEvidence(ctx, session, q.key), 201, `upload for ${q.key}`);
        continue;
      }
      check(
        await ctx.http.put(`/api/portal/answers/${q.key}`).set(bearer(session)).send({ value: favourableValue(defs.get(q.key)!), baseVersion: q.version }),
        200,
        `answer ${q.key}`,
      );
    }
  }
  throw new Error('answerFavourably: the questionnaire never settled');
}

export async function submitAssessment(ctx: TestContext, session: string): Promise<Response> {
  return check(await ctx.http.post('/api/portal/submit').set(bearer(session)), 200, 'POST /api/portal/submit');
}

/** An assessment sent, opened, answered favourably and submitted by the vendor. */
export async function submittedAssessment(
  ctx: TestContext,
  staffToken: string,
  vendorId: string,
  options: SendOptions & { evidence?: boolean } = {},
): Promise<SentAssessment & { session: string }> {
  const sent = await createAssessment(ctx, staffToken, vendorId, options);
  const session = await openPortal(ctx, sent.token);
  await answerFavourably(ctx, session, staffToken, { evidence: options.evidence });
  await submitAssessment(ctx, session);
  return { ...sent, session };
}

/** Every file under `dir`, relative to it; [] when `dir` does not exist. */
export function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

export interface Snapshot {
  assessments: number;
  answers: number;
  evidence: number;
  findings: number;
  audit: number;
  links: number;
  sessions: number;
  files: string[];
  /** Versions of every assessment and answer: a write that changes no row count still shows here. */
  versions: string[];
}

/** What a refused request must leave as it was: row counts, row versions and the stored files. */
export async function snapshot(ctx: TestContext): Promise<Snapshot> {
  const ds = ctx.dataSource;
  const [assessments, answers, evidence, findings, audit, links, sessions, aRows, answerRows, evidenceRows] = await Promise.all([
    ds.getRepository(AssessmentEntity).count(),
    ds.getRepository(AnswerEntity).count(),
    ds.getRepository(EvidenceFileEntity).count(),
    ds.getRepository(FindingEntity).count(),
    ds.getRepository(AuditEventEntity).count(),
    ds.getRepository(PortalLinkEntity).count(),
    ds.getRepository(PortalSessionEntity).count(),
    ds.getRepository(AssessmentEntity).find({ select: { id: true, version: true, status: true } }),
    ds.getRepository(AnswerEntity).find({ select: { id: true, version: true, reviewDecision: true, overrideX100: true } }),
    ds.getRepository(EvidenceFileEntity).find({ select: { id: true, removedAt: true } }),
  ]);
  const versions = [
    ...aRows.map((a) => `a:${a.id}:${a.version}:${a.status}`),
    ...answerRows.map((a) => `q:${a.id}:${a.version}:${a.reviewDecision}:${a.overrideX100}`),
    ...evidenceRows.map((e) => `e:${e.id}:${e.removedAt ? 'removed' : 'live'}`),
  ].sort();
  return { assessments, answers, evidence, findings, audit, links, sessions, files: listFiles(path.join(ctx.config.dataDir, 'files')), versions };
}

/** Audit actions on one target, oldest first. */
export async function auditActions(ctx: TestContext, targetId: string): Promise<string[]> {
  const rows = await ctx.dataSource.getRepository(AuditEventEntity).find({ select: { id: true, action: true }, where: { targetId }, order: { id: 'ASC' } });
  return rows.map((r) => r.action);
}
