import { loadModules, ModuleLoadError } from '../../src/questionnaires/module-loader';
import { QuestionnaireVersionEntity } from '../../src/questionnaires/questionnaire-version.entity';
import { QuestionnairesService } from '../../src/questionnaires/questionnaires.service';
import type { Response } from 'supertest';
import { bearer, expectProblem, PROFILES, StaffUser, TestContext } from '../support/test-app';

describe('questionnaire library: shipped modules as immutable versions', () => {
  let ctx: TestContext;
  let admin: StaffUser;
  let viewer: StaffUser;

  beforeAll(async () => {
    ctx = await TestContext.create();
    admin = await ctx.admin();
    viewer = await ctx.newUser('viewer');
  });
  afterAll(async () => ctx.close());

  it('publishes every shipped module at start, once', async () => {
    const rows = await ctx.dataSource.getRepository(QuestionnaireVersionEntity).find();
    expect(rows.map((r) => `${r.moduleKey}@${r.version}:${r.source}`).sort()).toEqual([
      'baseline-lite@1.0.0:shipped',
      'baseline@1.0.0:shipped',
      'cloud-hosting@1.0.0:shipped',
      'payment-processor@1.0.0:shipped',
      'privacy-processor@1.0.0:shipped',
    ]);
    // A second start publishes nothing new.
    await ctx.app.get(QuestionnairesService).publishShipped(loadModules());
    expect(await ctx.dataSource.getRepository(QuestionnaireVersionEntity).count()).toBe(5);
    // The large definition round-trips whole (MEDIUMTEXT on MySQL).
    const baseline = rows.find((r) => r.moduleKey === 'baseline')!;
    expect(JSON.stringify(baseline.definition).length).toBeGreaterThan(65_535);
    expect(baseline.definition).toEqual(loadModules().find((l) => l.module.key === 'baseline')!.module);
  });

  it('lists the modules and shows one with its versions, to every staff role', async () => {
    const list = await ctx.http.get('/api/questionnaires').set(bearer(viewer.token)).expect(200);
    expect(list.body.map((m: { key: string }) => m.key).sort()).toEqual(['baseline', 'baseline-lite', 'cloud-hosting', 'payment-processor', 'privacy-processor']);
    expect(list.body.find((m: { key: string }) => m.key === 'baseline')).toMatchObject({ version: '1.0.0', source: 'shipped', questionCount: 65, title: { en: expect.any(String), 'zh-CN': expect.any(String) } });

    const one = await ctx.http.get('/api/questionnaires/payment-processor').set(bearer(viewer.token)).expect(200);
    expect(one.body).toMatchObject({ key: 'payment-processor', version: '1.0.0', versions: ['1.0.0'], definition: { key: 'payment-processor', sections: expect.any(Array) } });
    await ctx.http.get('/api/questionnaires/payment-processor/versions/1.0.0').set(bearer(viewer.token)).expect(200);
    expectProblem(await ctx.http.get('/api/questionnaires/payment-processor/versions/9.9.9').set(bearer(viewer.token)), 404, 'questionnaire.not_found');
    expectProblem(await ctx.http.get('/api/questionnaires/no-such-module').set(bearer(viewer.token)), 404, 'questionnaire.not_found');
    expectProblem(await ctx.http.get('/api/questionnaires/Bad%20Key').set(bearer(viewer.token)), 404, 'questionnaire.not_found');
    expectProblem(await ctx.http.get('/api/questionnaires'), 401);
  });

  it('stops the start when a shipped file changed without a new version, naming the file', async () => {
    const loaded = loadModules();
    const changed = structuredClone(loaded.find((l) => l.module.key === 'baseline-lite')!);
    changed.module.sections[0].questions[1].text.en = 'A reworded question';
    const err = await ctx.app
      .get(QuestionnairesService)
      .publishShipped([changed])
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModuleLoadError);
    expect((err as ModuleLoadError).problems).toEqual([
      'baseline-lite.yaml: version: baseline-lite@1.0.0 is already published with other content; give the changed module a new version',
    ]);
  });

  it('publishes a changed module as a new version and keeps sent assessments on the version they were sent with', async () => {
    const vendorId = await ctx.newVendor(admin.id);
    const sent = await ctx.http.post('/api/assessments').set(bearer(admin.token)).send({ vendorId, modules: ['baseline-lite'], dueDate: '2026-04-01' }).expect(201);

    const loaded = loadModules();
    const changed = structuredClone(loaded.find((l) => l.module.key === 'baseline-lite')!);
    changed.module.version = '1.1.0';
    changed.module.sections[0].questions[1].text.en = 'A reworded inventory question';
    await ctx.app.get(QuestionnairesService).publishShipped([changed]);

    const one = await ctx.http.get('/api/questionnaires/baseline-lite').set(bearer(admin.token)).expect(200);
    expect(one.body).toMatchObject({ version: '1.1.0', versions: ['1.1.0', '1.0.0'] });

    // The assessment sent before still asks the 1.0.0 wording; a new one gets 1.1.0.
    const review = await ctx.http.get(`/api/assessments/${sent.body.assessment.id}/review`).set(bearer(admin.token)).expect(200);
    const old = review.body.sections.flatMap((s: { questions: Array<{ key: string; text: string }> }) => s.questions).find((q: { key: string }) => q.key === 'scope.inventory');
    expect(old.text).toBe(loaded.find((l) => l.module.key === 'baseline-lite')!.module.sections[0].questions[1].text.en);
    const newer = await ctx.http.post('/api/assessments').set(bearer(admin.token)).send({ vendorId, modules: ['baseline-lite'], dueDate: '2026-04-01' }).expect(201);
    const review2 = await ctx.http.get(`/api/assessments/${newer.body.assessment.id}/review`).set(bearer(admin.token)).expect(200);
    expect(review2.body.sections.flatMap((s: { questions: Array<{ key: string; text: string }> }) => s.questions).find((q: { key: string }) => q.key === 'scope.inventory').text).toBe(
      'A reworded inventory question',
    );
  });

  it('refuses to send modules that ask the same questions together', async () => {
    const vendorId = await ctx.newVendor(admin.id);
    const res = await ctx.http.post('/api/assessments').set(bearer(admin.token)).send({ vendorId, modules: ['baseline', 'baseline-lite'], dueDate: '2026-04-01' });
    expectProblem(res, 400, 'questionnaire.shared_question_keys');
    const unknown = await ctx.http.post('/api/assessments').set(bearer(admin.token)).send({ vendorId, modules: ['baseline', 'nope'], dueDate: '2026-04-01' });
    expect(expectProblem(unknown, 404, 'questionnaire.not_found').errors).toEqual([expect.objectContaining({ path: 'modules.1' })]);
  });

  it('proposes modules from the vendor’s tier and category', async () => {
    const payment = await ctx.newVendor(admin.id, { category: 'payment', profile: PROFILES.paymentProcessor });
    const res = await ctx.http.get(`/api/assessments/proposal?vendorId=${payment}`).set(bearer(admin.token)).expect(200);
    expect(res.body.modules).toEqual(expect.arrayContaining(['baseline', 'payment-processor']));
    expect(res.body.modules).not.toContain('baseline-lite');
  });
});

describe('questionnaire import, export and new versions', () => {
  let ctx: TestContext;
  let admin: StaffUser;
  let reviewer: StaffUser;
  let procurement: StaffUser;

  beforeAll(async () => {
    ctx = await TestContext.create();
    admin = await ctx.admin();
    reviewer = await ctx.newUser('reviewer');
    procurement = await ctx.newUser('procurement');
  });
  afterAll(async () => ctx.close());

  const CSV = [
    'key,section,text,type,options,weight,critical',
    'acme.mfa,Access,Do all staff use MFA?,yes_no,,2,true',
    'acme.training,People,How often is training given?,single_choice,yearly=1:Every year|never=0:Never,1,false',
  ].join('\r\n');

  const upload = (token: string, file: Buffer, name: string, fields: Record<string, string>) => {
    let req = ctx.http.post('/api/questionnaires/import').set(bearer(token));
    for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
    return req.attach('file', file, name);
  };

  it('imports a customer questionnaire from CSV as a new module, sendable at once', async () => {
    const res = await upload(reviewer.token, Buffer.from(CSV), 'acme.csv', { key: 'acme', version: '1.0.0', titleEn: 'ACME security questions' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ key: 'acme', version: '1.0.0', source: 'imported', questionCount: 2, title: { en: 'ACME security questions' } });
    const one = await ctx.http.get('/api/questionnaires/acme').set(bearer(reviewer.token)).expect(200);
    expect(one.body.definition.sections.map((s: { title: { en: string } }) => s.title.en)).toEqual(['Access', 'People']);
    expect(one.body.definition.sections[0].questions[0]).toMatchObject({ key: 'acme.mfa', type: 'yes_no', weight: 2, critical: true });

    const vendorId = await ctx.newVendor(admin.id);
    const sent = await ctx.http.post('/api/assessments').set(bearer(procurement.token)).send({ vendorId, modules: ['acme'], dueDate: '2026-04-01' });
    expect(sent.status).toBe(201);
    expect(sent.body.assessment.questionCount).toBe(2);
  });

  it('reports every bad row with its line and stores nothing', async () => {
    const bad = [
      'key,section,text,type,options,weight,critical',
      'ok.one,S,Fine question?,yes_no,,1,false',
      'bad.type,S,Odd type,essay,,1,false',
      'bad.weight,S,Odd weight,yes_no,,heavy,false',
    ].join('\n');
    const before = await ctx.dataSource.getRepository(QuestionnaireVersionEntity).count();
    const res = await upload(reviewer.token, Buffer.from(bad), 'bad.csv', { key: 'acme-bad', version: '1.0.0', titleEn: 'Bad' });
    const problem = expectProblem(res, 400, 'questionnaire.invalid');
    const paths = problem.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['line.3.type', 'line.4.weight']));
    expect(problem.errors.find((e: { path: string }) => e.path === 'line.3.type').message).toMatch(/^line 3, column type: /);
    expect(await ctx.dataSource.getRepository(QuestionnaireVersionEntity).count()).toBe(before);
  });

  it('refuses a shipped key, an old version, a file that is not CSV or XLSX, missing fields, and roles without the right', async () => {
    expectProblem(await upload(reviewer.token, Buffer.from(CSV), 'a.csv', { key: 'baseline', version: '9.0.0', titleEn: 'x' }), 409, 'questionnaire.shipped_key');
    expectProblem(await upload(reviewer.token, Buffer.from(CSV), 'a.csv', { key: 'acme', version: '1.0.0', titleEn: 'x' }), 409, 'questionnaire.version_exists');
    expectProblem(await upload(reviewer.token, Buffer.from(CSV), 'a.xlsx', { key: 'acme2', version: '1.0.0', titleEn: 'x' }), 400, 'questionnaire.invalid');
    const missing = expectProblem(await upload(reviewer.token, Buffer.from(CSV), 'a.csv', { key: 'acme3' }), 400, 'common.validation');
    expect(missing.errors.map((e: { path: string }) => e.path).sort()).toEqual(['titleEn', 'version']);
    expectProblem(await upload(procurement.token, Buffer.from(CSV), 'a.csv', { key: 'acme4', version: '1.0.0', titleEn: 'x' }), 403, 'auth.forbidden');
  });

  it('exports a module as CSV and XLSX that import back to the same questions', async () => {
    const csv = await ctx.http.get('/api/questionnaires/payment-processor/versions/1.0.0/export?format=csv').set(bearer(procurement.token)).buffer(true).parse(binary);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe('attachment; filename="payment-processor-1.0.0.csv"; filename*=UTF-8\'\'payment-processor-1.0.0.csv');
    const xlsx = await ctx.http.get('/api/questionnaires/payment-processor/versions/1.0.0/export?format=xlsx').set(bearer(procurement.token)).buffer(true).parse(binary);
    expect(xlsx.status).toBe(200);
    expect((xlsx.body as Buffer).readUInt32LE(0)).toBe(0x04034b50);

    const original = (await ctx.http.get('/api/questionnaires/payment-processor').set(bearer(reviewer.token))).body.definition;
    for (const [file, name] of [
      [csv.body as Buffer, 'pp.csv'],
      [xlsx.body as Buffer, 'pp.xlsx'],
    ] as const) {
      const key = `pp-${name.split('.')[1]}`;
      await upload(reviewer.token, file, name, { key, version: '1.0.0', titleEn: 'Copy' }).expect(201);
      const copy = (await ctx.http.get(`/api/questionnaires/${key}`).set(bearer(reviewer.token))).body.definition;
      expect(copy.sections).toEqual(original.sections);
    }
    expectProblem(await ctx.http.get('/api/questionnaires/payment-processor/versions/1.0.0/export?format=pdf').set(bearer(procurement.token)), 400, 'common.validation');
  });

  it('publishes an edited module as a new version, checked like a file, and only with a newer version', async () => {
    const current = (await ctx.http.get('/api/questionnaires/acme').set(bearer(reviewer.token))).body.definition;
    const edited = structuredClone(current);
    edited.version = '1.1.0';
    edited.sections[0].questions[0].text.en = 'Do all staff and contractors use MFA?';
    const res = await ctx.http.post('/api/questionnaires/acme/versions').set(bearer(reviewer.token)).send({ definition: edited });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ key: 'acme', version: '1.1.0', source: 'edited' });

    expectProblem(await ctx.http.post('/api/questionnaires/acme/versions').set(bearer(reviewer.token)).send({ definition: edited }), 409, 'questionnaire.version_exists');
    const older = { ...structuredClone(edited), version: '1.0.5' };
    expectProblem(await ctx.http.post('/api/questionnaires/acme/versions').set(bearer(reviewer.token)).send({ definition: older }), 409, 'questionnaire.version_not_newer');
    const broken = structuredClone(edited);
    broken.version = '2.0.0';
    broken.sections[0].questions[0].type = 'essay';
    const problem = expectProblem(await ctx.http.post('/api/questionnaires/acme/versions').set(bearer(reviewer.token)).send({ definition: broken }), 400, 'questionnaire.invalid');
    expect(problem.errors[0].path).toBe('definition.sections[0].questions[0].type');
    expectProblem(await ctx.http.post('/api/questionnaires/baseline/versions').set(bearer(reviewer.token)).send({ definition: { ...edited, key: 'baseline' } }), 409, 'questionnaire.shipped_key');
    expectProblem(await ctx.http.post('/api/questionnaires/acme/versions').set(bearer(procurement.token)).send({ definition: edited }), 403, 'auth.forbidden');
  });

  it('imports from the questionnaire page too, listing bad lines and keeping the typed fields', async () => {
    const page = await ctx.http.get('/questionnaires').set(bearer(reviewer.token)).expect(200);
    expect(page.text).toContain('action="/questionnaires/import"');
    expect((await ctx.http.get('/questionnaires').set(bearer(procurement.token))).text).not.toContain('action="/questionnaires/import"');

    const bad = 'key,section,text,type,options,weight,critical\nx.one,S,Q?,essay,,1,false\n';
    const refused = await ctx.http.post('/questionnaires/import').set(bearer(reviewer.token)).field('key', 'page-import').field('version', '1.0.0').field('titleEn', 'From the page').attach('file', Buffer.from(bad), 'q.csv');
    expect(refused.status).toBe(400);
    expect(refused.text).toMatch(/line 2, column type: /);
    expect(refused.text).toContain('value="From the page"');

    const good = 'key,section,text,type,options,weight,critical\nx.one,S,Q?,yes_no,,1,false\n';
    const ok = await ctx.http.post('/questionnaires/import').set(bearer(reviewer.token)).field('key', 'page-import').field('version', '1.0.0').field('titleEn', 'From the page').attach('file', Buffer.from(good), 'q.csv');
    expect(ok.status).toBe(303);
    expect(ok.headers.location).toBe('/questionnaires/page-import?notice=imported');
    const detail = await ctx.http.get(String(ok.headers.location)).set(bearer(reviewer.token)).expect(200);
    expect(detail.text).toContain('The questionnaire is imported.');
    expect(detail.text).toContain('href="/api/questionnaires/page-import/versions/1.0.0/export?format=csv"');
    expect((await ctx.http.post('/questionnaires/import').set(bearer(procurement.token)).field('key', 'x').attach('file', Buffer.from(good), 'q.csv')).status).toBe(403);
  });

  it('exports a vendor’s answers with their scores, in the language asked', async () => {
    const vendorId = await ctx.newVendor(admin.id);
    const sent = await ctx.http.post('/api/assessments').set(bearer(procurement.token)).send({ vendorId, modules: ['acme'], dueDate: '2026-04-01' }).expect(201);
    const token = sent.body.link.url.split('/').pop();
    const session = (await ctx.http.post('/api/portal/session').send({ token }).expect(200)).body.token;
    await ctx.http.put('/api/portal/answers/acme.mfa').set(bearer(session)).send({ value: 'no', comment: 'Rolling out in Q3', baseVersion: 0 }).expect(200);
    const res = await ctx.http.get(`/api/assessments/${sent.body.assessment.id}/answers/export?format=csv&lang=en`).set(bearer(procurement.token)).buffer(true).parse(binary);
    expect(res.status).toBe(200);
    const text = (res.body as Buffer).toString('utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const line = text.split('\r\n').find((l) => l.includes('acme.mfa'))!;
    expect(line).toContain('Rolling out in Q3');
    expect(line).toContain('No');
    const zh = await ctx.http.get(`/api/assessments/${sent.body.assessment.id}/answers/export?format=csv&lang=zh-CN`).set(bearer(procurement.token)).buffer(true).parse(binary);
    expect((zh.body as Buffer).toString('utf8').split('\r\n').find((l) => l.includes('acme.mfa'))).toContain('否');
  });
});

/** Reads a response body as bytes (supertest parses only text and JSON by itself). */
function binary(res: Response, cb: (err: Error | null, body: Buffer) => void): void {
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => cb(null, Buffer.concat(chunks)));
}
