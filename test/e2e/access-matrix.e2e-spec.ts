import { SYSTEM_ACTOR } from '../../src/audit/audit-context';
import type { Role } from '../../src/auth/permissions';
import { QuestionnairesService } from '../../src/questionnaires/questionnaires.service';
import { CalendarService } from '../../src/reminders/calendar.service';
import { ReviewCycleEntity } from '../../src/review-cycles/review-cycle.entity';
import { ReviewCyclesService } from '../../src/review-cycles/review-cycles.service';
import { VendorsService } from '../../src/vendors/vendors.service';
import { AssessmentsService } from '../../src/assessments/assessments.service';
import {
  answerFavourably,
  createAssessment,
  DUE_DATE,
  linkToken,
  openPortal,
  PDF,
  portalView,
  snapshot,
  submittedAssessment,
  uploadEvidence,
} from '../support/assessment-factory';
import { contractInput, newContract } from '../support/contract-factory';
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  bearer,
  expectProblem,
  PROFILES,
  StaffUser,
  TestContext,
  USER_PASSWORD,
  vendorInput,
} from '../support/test-app';

type Who = Role | 'anonymous';
const WHO: Who[] = ['admin', 'procurement', 'reviewer', 'viewer', 'anonymous'];

/**
 * The written permission matrix (README), route by route: the status each caller gets.
 * 2xx = allowed, 403 = signed in but not allowed, 401 = not signed in. Kept by hand on
 * purpose: it must not be derived from src/auth/permissions.ts, or it could never fail.
 */
const MATRIX: Array<[route: string, statuses: [admin: number, procurement: number, reviewer: number, viewer: number, anonymous: number]]> = [
  ['GET /api/vendors', /*                          */ [200, 200, 200, 200, 401]],
  ['POST /api/vendors', /*                         */ [201, 201, 403, 403, 401]],
  ['POST /api/vendors/tier-preview', /*            */ [200, 200, 200, 200, 401]],
  ['GET /api/vendors/:id', /*                      */ [200, 200, 200, 200, 401]],
  ['PATCH /api/vendors/:id', /*                    */ [200, 200, 403, 403, 401]],
  ['PUT /api/vendors/:id/tier-override', /*        */ [200, 200, 200, 403, 401]],
  ['DELETE /api/vendors/:id/tier-override', /*     */ [200, 200, 200, 403, 401]],
  ['POST /api/vendors/:id/archive', /*             */ [200, 200, 403, 403, 401]],
  ['POST /api/vendors/:id/restore', /*             */ [200, 403, 403, 403, 401]],
  ['GET /api/users', /*                            */ [200, 403, 403, 403, 401]],
  ['POST /api/users', /*                           */ [201, 403, 403, 403, 401]],
  ['GET /api/users/directory', /*                  */ [200, 200, 200, 403, 401]],
  ['GET /api/users/:id', /*                        */ [200, 403, 403, 403, 401]],
  ['PATCH /api/users/:id', /*                      */ [200, 403, 403, 403, 401]],
  ['PUT /api/users/:id/password', /*               */ [204, 403, 403, 403, 401]],
  ['GET /api/me', /*                               */ [200, 200, 200, 200, 401]],
  ['PUT /api/me/password', /*                      */ [204, 204, 204, 204, 401]],
  ['POST /api/auth/login', /*                      */ [200, 200, 200, 200, 200]],
  ['POST /api/auth/logout', /*                     */ [204, 204, 204, 204, 401]],
  ['GET /api/auth/session', /*                     */ [200, 200, 200, 200, 401]],
  ['GET /api/audit', /*                            */ [200, 403, 403, 403, 401]],
  ['GET /health', /*                               */ [200, 200, 200, 200, 200]],
  ['GET /health/ready', /*                         */ [200, 200, 200, 200, 200]],
  ['GET /api/docs/json', /*                        */ [200, 200, 200, 200, 200]],
  ['GET /api/questionnaires', /*                   */ [200, 200, 200, 200, 401]],
  ['GET /api/questionnaires/:key', /*              */ [200, 200, 200, 200, 401]],
  ['GET /api/questionnaires/:key/versions/:version', [200, 200, 200, 200, 401]],
  ['GET /api/questionnaires/:key/versions/:version/export', [200, 200, 200, 200, 401]],
  ['POST /api/questionnaires/import', /*           */ [201, 403, 201, 403, 401]],
  ['POST /api/questionnaires/:key/versions', /*    */ [201, 403, 201, 403, 401]],
  ['GET /api/assessments/:id/answers/export', /*   */ [200, 200, 200, 200, 401]],
  ['GET /api/assessments', /*                      */ [200, 200, 200, 200, 401]],
  ['POST /api/assessments', /*                     */ [201, 201, 403, 403, 401]],
  ['GET /api/assessments/proposal', /*             */ [200, 200, 403, 403, 401]],
  ['GET /api/assessments/:id', /*                  */ [200, 200, 200, 200, 401]],
  ['POST /api/assessments/:id/send', /*            */ [200, 200, 403, 403, 401]],
  ['POST /api/assessments/:id/resend', /*          */ [200, 200, 403, 403, 401]],
  ['POST /api/assessments/:id/revoke-link', /*     */ [200, 200, 403, 403, 401]],
  ['POST /api/assessments/:id/cancel', /*          */ [200, 200, 403, 403, 401]],
  ['GET /api/assessments/:id/review', /*           */ [200, 200, 200, 200, 401]],
  ['GET /api/assessments/:id/evidence/:fileId', /* */ [200, 200, 200, 403, 401]],
  ['POST /api/assessments/:id/review/start', /*    */ [200, 403, 200, 403, 401]],
  ['PUT /api/assessments/:id/answers/:key/review', [200, 403, 200, 403, 401]],
  ['POST /api/assessments/:id/clarification', /*   */ [200, 403, 200, 403, 401]],
  ['POST /api/assessments/:id/complete', /*        */ [200, 403, 200, 403, 401]],
  ['GET /api/findings', /*                         */ [200, 200, 200, 200, 401]],
  ['POST /api/findings', /*                        */ [201, 201, 201, 403, 401]],
  ['GET /api/findings/:id', /*                     */ [200, 200, 200, 200, 401]],
  ['PATCH /api/findings/:id', /*                   */ [200, 200, 200, 403, 401]],
  ['POST /api/findings/:id/accept-risk', /*        */ [200, 403, 200, 403, 401]],
  ['GET /api/contracts', /*                        */ [200, 200, 200, 200, 401]],
  ['POST /api/contracts', /*                       */ [201, 201, 403, 403, 401]],
  ['GET /api/contracts/clauses', /*                */ [200, 200, 200, 200, 401]],
  ['GET /api/contracts/:id', /*                    */ [200, 200, 200, 200, 401]],
  ['PATCH /api/contracts/:id', /*                  */ [200, 200, 403, 403, 401]],
  ['POST /api/contracts/:id/terminate', /*         */ [200, 200, 403, 403, 401]],
  ['PATCH /api/contracts/:id/checklist', /*        */ [200, 200, 200, 403, 401]],
  ['POST /api/contracts/:id/document', /*          */ [200, 200, 403, 403, 401]],
  ['GET /api/contracts/:id/document', /*           */ [200, 200, 200, 200, 401]],
  ['GET /api/vendors/:id/contract-gaps', /*        */ [200, 200, 200, 200, 401]],
  ['GET /api/review-cycles', /*                    */ [200, 200, 200, 200, 401]],
  ['GET /api/review-cycles/:id', /*                */ [200, 200, 200, 200, 401]],
  ['POST /api/review-cycles/:id/start', /*         */ [200, 200, 403, 403, 401]],
  ['POST /api/review-cycles/:id/complete', /*      */ [200, 200, 200, 403, 401]],
  ['GET /api/dashboard', /*                        */ [200, 200, 200, 200, 401]],
  // The PDF reports need vendor.read, assessment.read and contract.read together.
  ['GET /api/vendors/:id/risk-summary.pdf', /*     */ [200, 200, 200, 200, 401]],
  ['GET /api/assessments/:id/report.pdf', /*       */ [200, 200, 200, 200, 401]],
  ['GET /api/reports/portfolio.pdf', /*            */ [200, 200, 200, 200, 401]],
  ['GET /api/me/reminders', /*                     */ [200, 200, 200, 200, 401]],
  ['PUT /api/me/reminders', /*                     */ [200, 200, 200, 200, 401]],
  ['POST /api/me/calendar', /*                     */ [200, 200, 200, 200, 401]],
  ['DELETE /api/me/calendar', /*                   */ [204, 204, 204, 204, 401]],
  // The calendar feed: its secret is the key (calendar apps have no session).
  ['GET /calendar/:file', /*                       */ [200, 200, 200, 200, 200]],
  // The vendor portal: the link exchange is public; everything else needs a portal session,
  // which no staff session is (401 portal.session_required for every staff role too).
  ['POST /api/portal/session', /*                  */ [200, 200, 200, 200, 200]],
  ['GET /api/portal/assessment', /*                */ [401, 401, 401, 401, 401]],
  ['PUT /api/portal/answers/:key', /*              */ [401, 401, 401, 401, 401]],
  ['POST /api/portal/answers/:key/confirm', /*     */ [401, 401, 401, 401, 401]],
  ['POST /api/portal/answers/:key/evidence', /*    */ [401, 401, 401, 401, 401]],
  ['GET /api/portal/evidence/:id', /*              */ [401, 401, 401, 401, 401]],
  ['DELETE /api/portal/evidence/:id', /*           */ [401, 401, 401, 401, 401]],
  ['POST /api/portal/submit', /*                   */ [401, 401, 401, 401, 401]],
];

/** Routes only a vendor's portal session opens: a staff session there is as good as none. */
const isPortalRoute = (route: string) => / \/api\/portal\/(?!session$)/.test(route);

interface Call {
  path: string;
  body?: object;
  query?: Record<string, string>;
  /** The session to send; defaults to the caller's own. */
  token?: string;
  /** A multipart upload (field `file`) instead of a JSON body. */
  file?: { name: string; data: Buffer };
  /** Text fields sent with the multipart upload. */
  fields?: Record<string, string>;
}

describe('access matrix: every role on every route', () => {
  let ctx: TestContext;
  const actors: Partial<Record<Role, StaffUser>> = {};
  let owner: StaffUser;
  let sharedVendor: string;
  let targetUser: StaffUser;
  let shared: { id: string; session: string; fileId: string };
  let reviewing: string;
  let sharedFinding: string;
  let sharedContract: string;
  let n = 0;

  beforeAll(async () => {
    ctx = await TestContext.create({ LOGIN_IP_LIMIT: '10000' });
    actors.admin = await ctx.admin();
    for (const role of ['procurement', 'reviewer', 'viewer'] as const) actors[role] = await ctx.newUser(role);
    owner = actors.procurement!;
    sharedVendor = await ctx.newVendor(owner.id, { name: 'Matrix Shared Vendor' });
    targetUser = await ctx.newUser('viewer', { name: 'Matrix Target' });

    // A questionnaire in progress with a file, one submitted for review, and a finding, shared by the read routes.
    const sent = await createAssessment(ctx, admin().token, sharedVendor, { modules: ['baseline-lite'] });
    const session = await openPortal(ctx, sent.token);
    const file = await uploadEvidence(ctx, session, 'policy.written', 'matrix.pdf');
    shared = { id: sent.id, session, fileId: file.body.id };
    reviewing = (await submittedAssessment(ctx, admin().token, sharedVendor, { modules: ['baseline-lite'] })).id;
    sharedFinding = (await ctx.http.post('/api/findings').set(bearer(admin().token)).send(findingInput()).expect(201)).body.id;
    const contract = await newContract(ctx, admin().token, sharedVendor, { title: 'Matrix shared contract' });
    await ctx.http.post(`/api/contracts/${contract.id}/document`).set(bearer(admin().token)).field('version', '1').attach('file', PDF, 'signed.pdf').expect(200);
    sharedContract = contract.id;
  });
  afterAll(async () => ctx.close());

  const vendors = () => ctx.app.get(VendorsService);
  const freshVendor = () => ctx.newVendor(owner.id, { name: `Matrix Vendor ${++n}` });
  const admin = () => actors.admin!;
  const findingInput = () => ({ vendorId: sharedVendor, title: `Matrix finding ${++n}`, severity: 'medium', recommendation: 'Fix it within the quarter.' });
  /** A questionnaire sent to the shared vendor (a call may change it: each caller gets its own). */
  const freshSent = () => createAssessment(ctx, admin().token, sharedVendor, { modules: ['baseline-lite'] });
  const freshSubmitted = async () => (await submittedAssessment(ctx, admin().token, sharedVendor, { modules: ['baseline-lite'] })).id;
  const freshContract = () => newContract(ctx, admin().token, sharedVendor, { title: `Matrix contract ${++n}` });
  /** The review cycle the reminder sweep schedules for a vendor or subject (it runs first). */
  const cycleOf = async (where: { vendorId?: string; kind?: ReviewCycleEntity['kind']; subjectId?: string }) => {
    await ctx.app.get(ReviewCyclesService).schedule('2026-03-02');
    return (await ctx.dataSource.getRepository(ReviewCycleEntity).findOneByOrFail({ ...where, state: 'scheduled' })).id;
  };
  const freshFinding = async () => (await ctx.http.post('/api/findings').set(bearer(admin().token)).send(findingInput()).expect(201)).body.id as string;
  /** Rows of every table a refused call could write to, and the stored files. */
  const counts = async () => ({ ...(await ctx.counts()), ...(await snapshot(ctx)) });

  /** How to call each route so that an allowed caller really succeeds. */
  const SETUP: Record<string, (who: Who) => Promise<Call>> = {
    'GET /api/vendors': async () => ({ path: '/api/vendors', query: { q: 'Matrix' } }),
    'POST /api/vendors': async () => ({ path: '/api/vendors', body: vendorInput(owner.id, 1000 + ++n) }),
    'POST /api/vendors/tier-preview': async () => {
      const { jurisdictions: _j, ...tierInput } = PROFILES.courier;
      return { path: '/api/vendors/tier-preview', body: tierInput };
    },
    'GET /api/vendors/:id': async () => ({ path: `/api/vendors/${sharedVendor}` }),
    'PATCH /api/vendors/:id': async (who) => ({ path: `/api/vendors/${sharedVendor}`, body: { services: `Changed by ${who}` } }),
    'PUT /api/vendors/:id/tier-override': async (who) => ({
      path: `/api/vendors/${await freshVendor()}/tier-override`,
      body: { tier: 'high', reason: `Overridden by ${who} for the matrix` },
    }),
    'DELETE /api/vendors/:id/tier-override': async () => {
      const id = await freshVendor();
      await vendors().overrideTier(id, 'critical', 'Set up for the matrix test', SYSTEM_ACTOR);
      return { path: `/api/vendors/${id}/tier-override` };
    },
    'POST /api/vendors/:id/archive': async () => ({ path: `/api/vendors/${await freshVendor()}/archive`, body: { reason: 'Matrix' } }),
    'POST /api/vendors/:id/restore': async () => {
      const id = await freshVendor();
      await vendors().archive(id, 'Set up for the matrix test', SYSTEM_ACTOR);
      return { path: `/api/vendors/${id}/restore` };
    },
    'GET /api/users': async () => ({ path: '/api/users' }),
    'POST /api/users': async (who) => ({
      path: '/api/users',
      body: { email: `made.by.${who}.${++n}@portal.test`, name: 'Made In Matrix', role: 'viewer', password: USER_PASSWORD },
    }),
    'GET /api/users/directory': async () => ({ path: '/api/users/directory' }),
    'GET /api/users/:id': async () => ({ path: `/api/users/${targetUser.id}` }),
    'PATCH /api/users/:id': async (who) => ({ path: `/api/users/${targetUser.id}`, body: { name: `Renamed by ${who}` } }),
    'PUT /api/users/:id/password': async () => ({ path: `/api/users/${targetUser.id}/password`, body: { password: `another long password ${++n}` } }),
    'GET /api/me': async () => ({ path: '/api/me' }),
    // Changing the own password ends every session of the caller: use a user of the same role made for it.
    'PUT /api/me/password': async (who) => {
      const body = { currentPassword: USER_PASSWORD, newPassword: 'a changed long password' };
      if (who === 'anonymous') return { path: '/api/me/password', body };
      return { path: '/api/me/password', body, token: (await ctx.newUser(who)).token };
    },
    'POST /api/auth/login': async (who) => {
      const user = who === 'anonymous' ? actors.viewer! : actors[who]!;
      return { path: '/api/auth/login', body: { email: user.email, password: who === 'admin' ? ADMIN_PASSWORD : USER_PASSWORD } };
    },
    // Logging out ends the session: use a session of its own.
    'POST /api/auth/logout': async (who) => {
      if (who === 'anonymous') return { path: '/api/auth/logout' };
      const user = actors[who]!;
      return { path: '/api/auth/logout', token: await ctx.login(user.email, who === 'admin' ? ADMIN_PASSWORD : USER_PASSWORD) };
    },
    'GET /api/auth/session': async () => ({ path: '/api/auth/session' }),
    'GET /api/audit': async () => ({ path: '/api/audit' }),
    'GET /health': async () => ({ path: '/health' }),
    'GET /health/ready': async () => ({ path: '/health/ready' }),
    'GET /api/docs/json': async () => ({ path: '/api/docs/json' }),
    'GET /api/questionnaires': async () => ({ path: '/api/questionnaires' }),
    'GET /api/questionnaires/:key': async () => ({ path: '/api/questionnaires/baseline-lite' }),
    'GET /api/questionnaires/:key/versions/:version': async () => ({ path: '/api/questionnaires/baseline-lite/versions/1.0.0' }),
    'GET /api/questionnaires/:key/versions/:version/export': async () => ({ path: '/api/questionnaires/baseline-lite/versions/1.0.0/export', query: { format: 'csv' } }),
    'POST /api/questionnaires/import': async (who) => ({
      path: '/api/questionnaires/import',
      fields: { key: `matrix-${who}-${++n}`, version: '1.0.0', titleEn: 'Matrix import' },
      file: { name: 'matrix.csv', data: Buffer.from('key,section,text,type,options,weight,critical\nmx.one,S,Is it so?,yes_no,,1,false\n') },
    }),
    'POST /api/questionnaires/:key/versions': async (who) => {
      const key = `matrix-edit-${who}-${++n}`;
      const definition = { key, version: '1.0.0', title: { en: 'M', 'zh-CN': 'M' }, description: { en: 'M', 'zh-CN': 'M' }, sections: [{ key: 's', title: { en: 'S', 'zh-CN': 'S' }, questions: [{ key: 'mx.q', type: 'text', text: { en: 'Q', 'zh-CN': 'Q' } }] }] };
      await ctx.app.get(QuestionnairesService).publish(definition as never, 'imported', SYSTEM_ACTOR);
      return { path: `/api/questionnaires/${key}/versions`, body: { definition: { ...definition, version: '1.1.0' } } };
    },
    'GET /api/assessments/:id/answers/export': async () => ({ path: `/api/assessments/${shared.id}/answers/export`, query: { format: 'csv' } }),
    'GET /api/assessments': async () => ({ path: '/api/assessments', query: { vendorId: sharedVendor } }),
    'POST /api/assessments': async () => ({ path: '/api/assessments', body: { vendorId: sharedVendor, modules: ['baseline-lite'], dueDate: DUE_DATE } }),
    'GET /api/assessments/proposal': async () => ({ path: '/api/assessments/proposal', query: { vendorId: sharedVendor } }),
    'GET /api/assessments/:id': async () => ({ path: `/api/assessments/${shared.id}` }),
    'POST /api/assessments/:id/send': async () => {
      const draft = await createAssessment(ctx, admin().token, sharedVendor, { modules: ['baseline-lite'], send: false });
      return { path: `/api/assessments/${draft.id}/send` };
    },
    'POST /api/assessments/:id/resend': async () => ({ path: `/api/assessments/${(await freshSent()).id}/resend`, body: { dueDate: '2026-04-15' } }),
    'POST /api/assessments/:id/revoke-link': async () => ({ path: `/api/assessments/${(await freshSent()).id}/revoke-link` }),
    'POST /api/assessments/:id/cancel': async () => ({ path: `/api/assessments/${(await freshSent()).id}/cancel`, body: { reason: 'Cancelled in the matrix' } }),
    'GET /api/assessments/:id/review': async () => ({ path: `/api/assessments/${shared.id}/review` }),
    'GET /api/assessments/:id/evidence/:fileId': async () => ({ path: `/api/assessments/${shared.id}/evidence/${shared.fileId}` }),
    'POST /api/assessments/:id/review/start': async () => ({ path: `/api/assessments/${await freshSubmitted()}/review/start` }),
    'PUT /api/assessments/:id/answers/:key/review': async (who) => ({
      path: `/api/assessments/${reviewing}/answers/policy.owner/review`,
      body: { decision: 'accepted', note: `Reviewed by ${who}` },
    }),
    'POST /api/assessments/:id/clarification': async () => ({
      path: `/api/assessments/${await freshSubmitted()}/clarification`,
      body: { questionKeys: ['policy.owner'], message: 'Who is it?' },
    }),
    'POST /api/assessments/:id/complete': async () => ({ path: `/api/assessments/${await freshSubmitted()}/complete`, body: {} }),
    'GET /api/findings': async () => ({ path: '/api/findings', query: { vendorId: sharedVendor } }),
    'POST /api/findings': async () => ({ path: '/api/findings', body: findingInput() }),
    'GET /api/findings/:id': async () => ({ path: `/api/findings/${sharedFinding}` }),
    'PATCH /api/findings/:id': async () => ({ path: `/api/findings/${await freshFinding()}`, body: { version: 1, status: 'in_remediation' } }),
    'POST /api/findings/:id/accept-risk': async () => ({
      path: `/api/findings/${await freshFinding()}/accept-risk`,
      body: { version: 1, reason: 'Accepted for the matrix test', until: '2026-12-31' },
    }),
    'GET /api/contracts': async () => ({ path: '/api/contracts', query: { vendorId: sharedVendor } }),
    'POST /api/contracts': async () => ({ path: '/api/contracts', body: contractInput(sharedVendor, { title: `Matrix contract ${++n}` }) }),
    'GET /api/contracts/clauses': async () => ({ path: '/api/contracts/clauses' }),
    'GET /api/contracts/:id': async () => ({ path: `/api/contracts/${sharedContract}` }),
    'PATCH /api/contracts/:id': async (who) => ({ path: `/api/contracts/${(await freshContract()).id}`, body: { version: 1, notes: `Changed by ${who}` } }),
    'POST /api/contracts/:id/terminate': async () => ({
      path: `/api/contracts/${(await freshContract()).id}/terminate`,
      body: { version: 1, terminatedOn: '2026-03-01', reason: 'Ended in the matrix' },
    }),
    'PATCH /api/contracts/:id/checklist': async () => ({
      path: `/api/contracts/${(await freshContract()).id}/checklist`,
      body: { version: 1, entries: [{ clause: 'bp.breach_window', status: 'present', sectionRef: '§9', params: { notify_hours: 24 } }] },
    }),
    'POST /api/contracts/:id/document': async () => ({ path: `/api/contracts/${(await freshContract()).id}/document`, fields: { version: '1' }, file: { name: 'signed.pdf', data: PDF } }),
    'GET /api/contracts/:id/document': async () => ({ path: `/api/contracts/${sharedContract}/document` }),
    'GET /api/vendors/:id/contract-gaps': async () => ({ path: `/api/vendors/${sharedVendor}/contract-gaps` }),
    'GET /api/review-cycles': async () => ({ path: '/api/review-cycles', query: { vendorId: sharedVendor } }),
    'GET /api/review-cycles/:id': async () => ({ path: `/api/review-cycles/${await cycleOf({ vendorId: sharedVendor, kind: 'reassessment' })}` }),
    'POST /api/review-cycles/:id/start': async () => ({ path: `/api/review-cycles/${await cycleOf({ vendorId: await freshVendor(), kind: 'reassessment' })}/start`, body: { version: 1, dueDate: DUE_DATE, modules: ['baseline-lite'] } }),
    'POST /api/review-cycles/:id/complete': async () => ({
      path: `/api/review-cycles/${await cycleOf({ subjectId: (await freshContract()).id })}/complete`,
      body: { version: 1, note: 'Renewed for a year' },
    }),
    'GET /api/dashboard': async () => ({ path: '/api/dashboard', query: { mine: 'true' } }),
    'GET /api/vendors/:id/risk-summary.pdf': async () => ({ path: `/api/vendors/${sharedVendor}/risk-summary.pdf`, query: { lang: 'zh-CN' } }),
    'GET /api/assessments/:id/report.pdf': async () => ({ path: `/api/assessments/${shared.id}/report.pdf`, query: { lang: 'en' } }),
    'GET /api/reports/portfolio.pdf': async () => ({ path: '/api/reports/portfolio.pdf' }),
    'GET /api/me/reminders': async () => ({ path: '/api/me/reminders' }),
    'PUT /api/me/reminders': async () => ({ path: '/api/me/reminders', body: { delivery: 'digest' } }),
    'POST /api/me/calendar': async () => ({ path: '/api/me/calendar' }),
    'DELETE /api/me/calendar': async () => ({ path: '/api/me/calendar' }),
    'GET /calendar/:file': async () => ({ path: new URL(await ctx.app.get(CalendarService).regenerate(owner.id, SYSTEM_ACTOR)).pathname }),
    // Staff tokens are sent along (ignored by the public exchange).
    'POST /api/portal/session': async () => ({ path: '/api/portal/session', body: { token: (await freshSent()).token } }),
    'GET /api/portal/assessment': async () => ({ path: '/api/portal/assessment' }),
    'PUT /api/portal/answers/:key': async () => {
      const { questions } = await portalView(ctx, shared.session);
      return { path: '/api/portal/answers/policy.owner', body: { value: 'yes', baseVersion: questions.get('policy.owner')!.version } };
    },
    // A re-assessment carrying over the submitted one's answers: confirming needs a carried-over answer.
    'POST /api/portal/answers/:key/confirm': async () => {
      const { link } = await ctx.app.get(AssessmentsService).create({ vendorId: sharedVendor, dueDate: DUE_DATE, modules: ['baseline-lite'] }, SYSTEM_ACTOR, { prefillFrom: reviewing });
      return { path: '/api/portal/answers/policy.owner/confirm', body: { baseVersion: 1 }, token: await openPortal(ctx, linkToken(link!.url)) };
    },
    'POST /api/portal/answers/:key/evidence': async () => ({ path: '/api/portal/answers/policy.written/evidence', file: { name: 'matrix.pdf', data: PDF } }),
    'GET /api/portal/evidence/:id': async () => ({ path: `/api/portal/evidence/${shared.fileId}` }),
    'DELETE /api/portal/evidence/:id': async () => {
      const file = await uploadEvidence(ctx, shared.session, 'access.mfa', 'to-remove.pdf');
      return { path: `/api/portal/evidence/${file.body.id}` };
    },
    'POST /api/portal/submit': async () => {
      const sent = await freshSent();
      return { path: '/api/portal/submit', token: await answeredSession(sent.token) };
    },
  };

  /** A portal session on a questionnaire with every required question answered: ready to submit. */
  const answeredSession = async (linkToken: string) => {
    const session = await openPortal(ctx, linkToken);
    await answerFavourably(ctx, session, admin().token);
    return session;
  };

  const cases = MATRIX.flatMap(([route, statuses]) => WHO.map((who, i) => [route, who, statuses[i]] as const));
  const isRefusal = (status: number) => status === 401 || status === 403;

  /** Sets the route up for the caller (fresh records where a call uses one up); returns the call itself. */
  const prepare = async (route: string, who: Who) => {
    const c = await SETUP[route](who);
    const method = route.split(' ')[0].toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
    const send = (portalSession?: string) => {
      let req = ctx.http[method](c.path);
      // On portal routes the call's own session is a portal one: the callers send their staff session instead.
      const staffToken = who === 'anonymous' ? undefined : isPortalRoute(route) ? actors[who]!.token : (c.token ?? actors[who]!.token);
      const token = portalSession ?? staffToken;
      if (token) req = req.set(bearer(token));
      if (c.query) req = req.query(c.query);
      for (const [k, v] of Object.entries(c.fields ?? {})) req = req.field(k, v);
      if (c.file) return req.attach('file', c.file.data, c.file.name);
      return c.body ? req.send(c.body) : req;
    };
    return Object.assign(send, { call: c });
  };

  it.each(cases.filter(([, , status]) => !isRefusal(status)))('%s as %s answers %i', async (route, who, expected) => {
    const res = await (await prepare(route, who))();
    expect({ status: res.status, body: res.body }).toMatchObject({ status: expected });
  });

  it.each(cases.filter(([, , status]) => isRefusal(status)))('%s as %s is refused with %i and writes nothing', async (route, who, expected) => {
    const send = await prepare(route, who);
    const before = await counts();
    const res = await send();
    const code = expected === 403 ? 'auth.forbidden' : isPortalRoute(route) ? 'portal.session_required' : 'auth.unauthenticated';
    expectProblem(res, expected, code);
    expect(await counts()).toEqual(before);
  });

  it.each(MATRIX.filter(([route]) => isPortalRoute(route)).map(([route]) => route))('%s answers a portal session (the call above is a valid one)', async (route) => {
    const send = await prepare(route, 'anonymous');
    const res = await send(send.call.token ?? shared.session);
    expect({ status: res.status, body: res.body, ok: res.status >= 200 && res.status < 300 }).toMatchObject({ ok: true });
  });

  it('covers every operation the API documents', async () => {
    const doc = (await ctx.http.get('/api/docs/json').expect(200)).body as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
    );
    const inMatrix = MATRIX.map(([route]) => route);
    expect(documented.filter((r) => !inMatrix.includes(r))).toEqual([]);
    expect(inMatrix.filter((r) => !documented.includes(r) && r !== 'GET /api/docs/json')).toEqual([]);
  });

  describe('ids that are malformed or name nothing', () => {
    const ROUTES_WITH_ID: Array<[method: 'get' | 'patch' | 'put' | 'delete' | 'post', path: (id: string) => string, body?: object]> = [
      ['get', (id) => `/api/vendors/${id}`],
      ['patch', (id) => `/api/vendors/${id}`, { services: 'Changed' }],
      ['put', (id) => `/api/vendors/${id}/tier-override`, { tier: 'high', reason: 'A reason long enough' }],
      ['delete', (id) => `/api/vendors/${id}/tier-override`],
      ['post', (id) => `/api/vendors/${id}/archive`],
      ['post', (id) => `/api/vendors/${id}/restore`],
      ['get', (id) => `/api/users/${id}`],
      ['patch', (id) => `/api/users/${id}`, { name: 'Changed' }],
      ['put', (id) => `/api/users/${id}/password`, { password: 'a long enough password' }],
      ['get', (id) => `/api/assessments/${id}`],
      ['post', (id) => `/api/assessments/${id}/cancel`, { reason: 'A reason' }],
      ['get', (id) => `/api/assessments/${id}/review`],
      ['post', (id) => `/api/assessments/${id}/review/start`],
      ['get', (id) => `/api/findings/${id}`],
      ['patch', (id) => `/api/findings/${id}`, { version: 1, status: 'resolved' }],
      ['get', (id) => `/api/contracts/${id}`],
      ['patch', (id) => `/api/contracts/${id}`, { version: 1, notes: 'Changed' }],
      ['post', (id) => `/api/contracts/${id}/terminate`, { version: 1, terminatedOn: '2026-03-01', reason: 'A reason' }],
      ['patch', (id) => `/api/contracts/${id}/checklist`, { version: 1, entries: [] }],
      ['get', (id) => `/api/contracts/${id}/document`],
      ['get', (id) => `/api/vendors/${id}/contract-gaps`],
      ['get', (id) => `/api/review-cycles/${id}`],
      ['post', (id) => `/api/review-cycles/${id}/start`, { version: 1, dueDate: '2026-04-01' }],
      ['post', (id) => `/api/review-cycles/${id}/complete`, { version: 1, note: 'A decision' }],
    ];
    const BAD_IDS: Array<[label: string, id: () => string]> = [
      ['a word', () => 'not-a-uuid'],
      ['a number', () => '12345'],
      ['SQL', () => encodeURIComponent("1' OR '1'='1")],
      ['the nil UUID', () => '00000000-0000-0000-0000-000000000000'],
      ['a version-1 UUID', () => 'e4eaaaf2-d142-11e1-b3e4-080027620cdd'],
      ['a UUID with a trailing character', () => `${sharedVendor}x`],
      ['a 100-character id', () => 'a'.repeat(100)],
      ['an unknown v4 UUID', () => '3f0e4b1c-5a2d-4e8f-9b7a-1c2d3e4f5a6b'],
    ];

    it.each(ROUTES_WITH_ID.flatMap(([method, path, body]) => BAD_IDS.map(([label, id]) => [method.toUpperCase(), path('{id}'), label, method, path, body, id] as const)))(
      '%s %s with %s answers 404',
      async (_m, _p, _label, method, path, body, id) => {
        const before = await ctx.counts();
        let req = ctx.http[method](path(id())).set(bearer(actors.admin!.token));
        if (body) req = req.send(body);
        expectProblem(await req, 404);
        expect(await ctx.counts()).toEqual(before);
      },
    );

    it('answers 414 as a problem document for an id longer than the router takes', async () => {
      const res = await ctx.http.get(`/api/vendors/${'a'.repeat(1000)}`).set(bearer(actors.admin!.token));
      expectProblem(res, 414);
    });

    it('answers 404, not 500, for the id of another kind of record', async () => {
      const admin = actors.admin!;
      expectProblem(await ctx.http.get(`/api/vendors/${targetUser.id}`).set(bearer(admin.token)), 404, 'vendor.not_found');
      expectProblem(await ctx.http.patch(`/api/vendors/${targetUser.id}`).set(bearer(admin.token)).send({ name: 'X' }), 404, 'vendor.not_found');
      expectProblem(await ctx.http.post(`/api/vendors/${targetUser.id}/archive`).set(bearer(admin.token)), 404, 'vendor.not_found');
      expectProblem(await ctx.http.get(`/api/users/${sharedVendor}`).set(bearer(admin.token)), 404, 'user.not_found');
      expectProblem(await ctx.http.patch(`/api/users/${sharedVendor}`).set(bearer(admin.token)).send({ name: 'X' }), 404, 'user.not_found');
      expectProblem(
        await ctx.http.put(`/api/users/${sharedVendor}/password`).set(bearer(admin.token)).send({ password: 'a long enough password' }),
        404,
        'user.not_found',
      );
    });

    it('answers 404 to any reader of a vendor that does not exist, and 403 before looking for one the caller may not change', async () => {
      expectProblem(await ctx.http.get('/api/vendors/not-a-uuid').set(bearer(actors.viewer!.token)), 404);
      expectProblem(await ctx.http.get('/api/vendors/3f0e4b1c-5a2d-4e8f-9b7a-1c2d3e4f5a6b').set(bearer(actors.viewer!.token)), 404, 'vendor.not_found');
      expectProblem(await ctx.http.patch('/api/vendors/not-a-uuid').set(bearer(actors.viewer!.token)).send({ name: 'X' }), 403, 'auth.forbidden');
      expectProblem(await ctx.http.get('/api/vendors/not-a-uuid'), 401, 'auth.unauthenticated');
    });
  });

  it('signs in with the admin of the environment', async () => {
    // Sanity check of the fixture the matrix relies on.
    expect(actors.admin!.email).toBe(ADMIN_EMAIL);
    await ctx.http.get('/api/me').set(bearer(actors.admin!.token)).expect(200);
  });
});
