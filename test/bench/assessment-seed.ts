/**
 * Assessments for the portal and review cases of `npm run bench`, made through the running
 * app's API exactly as staff and vendors make them: the bench admin sends the `baseline` module
 * to seeded vendors (`POST /api/assessments`), each link token is exchanged for a portal session
 * (`POST /api/portal/session`), and vendors answer, attach evidence and submit through
 * `/api/portal/…`. So every row has the shape the app itself writes.
 *
 *   - `answer`: fresh assessments (one per vendor), and the questions a save may target;
 *   - `portal`: assessments about 60 % answered, some with files: a vendor halfway through;
 *   - `review`: one assessment answered in full, with evidence, and submitted.
 */
import { AnswerValue, evaluateCondition, referencedKeys } from '../../src/questionnaires/conditions/condition';
import { CompiledQuestionnaire, compileQuestionnaire } from '../../src/questionnaires/compiled-module';
import { loadModules } from '../../src/questionnaires/module-loader';
import type { QuestionDefinition } from '../../src/questionnaires/questionnaire-module';

export const BENCH_MODULE = 'baseline';

/** A question a save may target, with two valid values to alternate between. */
export interface SaveTarget {
  key: string;
  values: readonly [unknown, unknown];
}

export interface PortalAssessment {
  assessmentId: string;
  /** Portal session token: `Authorization: Bearer` on /api/portal, or the `vdp_portal` cookie. */
  session: string;
}

export interface AssessmentFixtures {
  /** Question count of the module sent. */
  questionCount: number;
  answer: { assessments: PortalAssessment[]; targets: SaveTarget[] };
  portal: Array<PortalAssessment & { answered: number; files: number }>;
  review: (PortalAssessment & { answered: number; files: number }) | null;
  seconds: number;
}

export interface AssessmentSeedOptions {
  baseUrl: string;
  /** The bench admin's bearer token. */
  adminToken: string;
  /** Vendors to send questionnaires to (not archived); one assessment each. */
  vendorIds: readonly string[];
  answerAssessments: number;
  portalAssessments: number;
  review: boolean;
  log: (line: string) => void;
}

/** A small valid PDF: the upload check reads the magic bytes and the extension. */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');
const CONCURRENCY = 8;
/**
 * Questionnaires are sent one at a time: on MariaDB, two `POST /api/assessments` at once can
 * deadlock (the link's supersede-UPDATE and INSERT on portal_links take gap locks) and one
 * answers 500. That is the app's to fix; the seed only needs the rows.
 */
const SEND_CONCURRENCY = 1;

class ApiError extends Error {}

/** One request to the app under measure; any status but `expect` throws with the answer's start. */
export async function call<T>(
  baseUrl: string,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH',
  path: string,
  opts: { bearer?: string; json?: unknown; form?: FormData; expect: number },
): Promise<T> {
  const headers: Record<string, string> = {};
  if (opts.bearer) headers.authorization = `Bearer ${opts.bearer}`;
  if (opts.json !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(baseUrl + path, {
    method,
    headers,
    body: opts.form ?? (opts.json !== undefined ? JSON.stringify(opts.json) : undefined),
    signal: AbortSignal.timeout(60_000),
  });
  const text = await res.text();
  if (res.status !== opts.expect) throw new ApiError(`${method} ${path}: expected HTTP ${opts.expect}, got ${res.status} ${text.slice(0, 400)}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** The module as the app publishes it at start: the same YAML file, compiled the same way. */
export function benchQuestionnaire(): CompiledQuestionnaire {
  const loaded = loadModules().find((l) => l.module.key === BENCH_MODULE);
  if (!loaded) throw new Error(`questionnaires/ has no '${BENCH_MODULE}' module`);
  return compileQuestionnaire([loaded.module]);
}

/** Questions a vendor can always answer with a value: no condition, not a file. Two valid values each. */
export function saveTargets(c: CompiledQuestionnaire): SaveTarget[] {
  const targets: SaveTarget[] = [];
  for (const key of c.order) {
    const { question: q, condition } = c.questions.get(key)!;
    if (condition || q.type === 'file') continue;
    targets.push({ key, values: alternatives(q) });
  }
  return targets;
}

function alternatives(q: QuestionDefinition): readonly [unknown, unknown] {
  switch (q.type) {
    case 'yes_no':
      return ['yes', 'no'];
    case 'yes_no_na':
      return ['yes', 'na'];
    case 'single_choice':
      return [q.options![0].key, q.options![1].key];
    case 'multi_choice':
      return [[q.options![0].key], [q.options![0].key, q.options![1].key]];
    case 'number':
      return [12, 15];
    case 'date':
      return ['2025-10-01', '2025-11-14'];
    default:
      return ['Customer data stays in two EU regions (Frankfurt, Dublin).', 'Customer data stays in Frankfurt; support staff in Dublin reach it over VPN.'];
  }
}

/**
 * The answer a careful vendor gives to question number `i`: mostly favourable, one in
 * `weakEvery` (seven) not (never on a question other questions depend on, so all of them show). Choice questions
 * take the last of their best options, which shows the follow-up questions.
 */
export function answerFor(q: QuestionDefinition, i: number, steers: boolean, weakEvery = 7): AnswerValue {
  const weak = !steers && i % weakEvery === 3;
  switch (q.type) {
    case 'yes_no': {
      const good = q.expected ?? 'yes';
      return weak ? (good === 'yes' ? 'no' : 'yes') : good;
    }
    case 'yes_no_na':
      return weak ? 'na' : 'yes';
    case 'single_choice': {
      const opts = [...q.options!].sort((a, b) => b.score - a.score);
      const best = opts.filter((o) => o.score === opts[0].score);
      return weak && opts.length > best.length ? opts[best.length].key : best[best.length - 1].key;
    }
    case 'multi_choice':
      return [...q.options!]
        .sort((a, b) => b.score - a.score)
        .slice(0, weak ? 1 : 3)
        .map((o) => o.key);
    case 'number':
      return 6;
    case 'date':
      return '2025-11-14';
    default:
      return (
        'Identity and contact details of customers, their order history, and support tickets that may hold further personal ' +
        'details. Stored in Alibaba Cloud cn-shanghai and AWS eu-central-1; our support team in Shanghai can reach both.'
      );
  }
}

export interface AnswerPlan {
  /** Of the questions, how many to answer (default: all). */
  fraction?: number;
  /** Every how many answers one is weak (see answerFor). */
  weakEvery?: number;
  /** Comments given, in turn, to every third answer (default: none). */
  comments?: readonly string[];
}

/**
 * Answers the visible questions in order as the vendor (following the conditions), with files
 * where asked or, for optional evidence, on every third question.
 */
export async function answerAssessment(baseUrl: string, session: string, c: CompiledQuestionnaire, plan: AnswerPlan = {}): Promise<{ answered: number; files: number }> {
  const steering = new Set<string>();
  for (const { condition } of c.questions.values()) if (condition) for (const k of referencedKeys(condition)) steering.add(k);
  const values: Record<string, AnswerValue> = {};
  const limit = Math.round(c.order.length * (plan.fraction ?? 1));
  let answered = 0;
  let files = 0;
  const upload = async (key: string, i: number) => {
    const form = new FormData();
    form.append('file', new Blob([PDF], { type: 'application/pdf' }), `evidence-${key.replace(/\W+/g, '-')}-${i + 1}.pdf`);
    await call(baseUrl, 'POST', `/api/portal/answers/${encodeURIComponent(key)}/evidence`, { bearer: session, form, expect: 201 });
    files++;
  };
  for (const [i, key] of c.order.entries()) {
    if (answered >= limit) break;
    const { question: q, condition } = c.questions.get(key)!;
    if (condition && !evaluateCondition(condition, values)) continue;
    if (q.type === 'file') {
      await upload(key, i);
      values[key] = 'yes';
    } else {
      const value = answerFor(q, i, steering.has(key), plan.weakEvery);
      const comment = plan.comments && i % 3 === 0 ? plan.comments[i % plan.comments.length] : undefined;
      await call(baseUrl, 'PUT', `/api/portal/answers/${encodeURIComponent(key)}`, { bearer: session, json: { value, comment, baseVersion: 0 }, expect: 200 });
      values[key] = value;
      if (q.evidence === 'required' || (q.evidence === 'optional' && i % 3 === 0)) await upload(key, i);
    }
    answered++;
  }
  return { answered, files };
}

export async function seedAssessments(opts: AssessmentSeedOptions): Promise<AssessmentFixtures> {
  const started = Date.now();
  const c = benchQuestionnaire();
  const needed = opts.answerAssessments + opts.portalAssessments + (opts.review ? 1 : 0);
  if (opts.vendorIds.length < needed) throw new Error(`${needed} assessments need as many vendors; only ${opts.vendorIds.length} given`);
  const dueDate = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);

  const sent = await mapLimit(opts.vendorIds.slice(0, needed), SEND_CONCURRENCY, async (vendorId) => {
    const r = await call<{ assessment: { id: string; questionCount: number }; link: { url: string } | null }>(opts.baseUrl, 'POST', '/api/assessments', {
      bearer: opts.adminToken,
      json: { vendorId, modules: [BENCH_MODULE], dueDate },
      expect: 201,
    });
    const token = r.link?.url.split('/portal/t/')[1];
    if (!token) throw new Error(`POST /api/assessments gave no portal link: ${JSON.stringify(r)}`);
    const s = await call<{ token: string }>(opts.baseUrl, 'POST', '/api/portal/session', { json: { token }, expect: 200 });
    return { assessmentId: r.assessment.id, session: s.token };
  });
  opts.log(`sent ${needed} '${BENCH_MODULE}' questionnaires (${c.order.length} questions) and opened their portal sessions in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  const answer = sent.slice(0, opts.answerAssessments);
  const portalSent = sent.slice(opts.answerAssessments, opts.answerAssessments + opts.portalAssessments);
  const t1 = Date.now();
  const portal = await mapLimit(portalSent, CONCURRENCY, async (a) => ({ ...a, ...(await answerAssessment(opts.baseUrl, a.session, c, { fraction: 0.6 })) }));
  let review: AssessmentFixtures['review'] = null;
  if (opts.review) {
    const a = sent[needed - 1];
    const done = await answerAssessment(opts.baseUrl, a.session, c);
    await call(opts.baseUrl, 'POST', '/api/portal/submit', { bearer: a.session, expect: 200 });
    review = { ...a, ...done };
  }
  if (portal.length || review) {
    opts.log(
      `answered ${portal.length} assessment(s) ~60 %` +
        (review ? ` and submitted one in full (${review.answered} answers, ${review.files} files)` : '') +
        ` in ${((Date.now() - t1) / 1000).toFixed(1)} s`,
    );
  }
  return { questionCount: c.order.length, answer: { assessments: answer, targets: saveTargets(c) }, portal, review, seconds: (Date.now() - started) / 1000 };
}
