import { createHash } from 'node:crypto';
import type { Response } from 'supertest';
import { ReportSnapshotEntity } from '../../src/reports/report-snapshot.entity';
import { EvidenceStore } from '../../src/storage/evidence-store';
import { createAssessment, submittedAssessment } from '../support/assessment-factory';
import { newContract, setChecklist } from '../support/contract-factory';
import { pageGet, sessionCookie } from '../support/page-client';
import { layoutProblems, qpdfCheck, readPdf } from '../support/pdf-inspect';
import { bearer, expectProblem, PROFILES, StaffUser, TestContext } from '../support/test-app';

/** GETs a PDF and keeps its bytes (supertest does not buffer binary bodies by itself). */
async function getPdf(ctx: TestContext, url: string, token: string, status = 200): Promise<Response & { body: Buffer }> {
  return (await ctx.http
    .get(url)
    .set(bearer(token))
    .buffer(true)
    .parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    })
    .expect(status)) as Response & { body: Buffer };
}

describe('PDF reports: vendor risk summary, assessment report and its snapshot, portfolio', () => {
  let ctx: TestContext;
  let admin: StaffUser;
  let reviewer: StaffUser;
  let viewer: StaffUser;
  let vendorId: string;
  let bareVendorId: string;
  let assessmentId: string;
  let criticalKey: string;
  let criticalText: { en: string; zh: string };

  beforeAll(async () => {
    ctx = await TestContext.create({}, '2026-03-02T09:00:00.000Z');
    admin = await ctx.admin();
    reviewer = await ctx.newUser('reviewer', { name: 'Rae Reviewer' });
    viewer = await ctx.newUser('viewer');
    vendorId = await ctx.newVendor(admin.id, { name: 'Paycrest Payments', category: 'payment', profile: PROFILES.paymentProcessor });
    bareVendorId = await ctx.newVendor(admin.id, { name: '云途物流 Yuntu Logistics' });
    const contract = await newContract(ctx, admin.token, vendorId, { title: 'Data processing agreement' });
    await setChecklist(ctx, admin.token, contract.id, contract.version, [{ clause: 'gdpr.dpa.written', status: 'present' }]);

    const sent = await submittedAssessment(ctx, admin.token, vendorId, { modules: ['baseline-lite'], evidence: true });
    assessmentId = sent.id;
    // The reviewer fails one critical question: a critical failure, and a finding on completion.
    const sheet = (await ctx.http.get(`/api/assessments/${assessmentId}/review?lang=en`).set(bearer(reviewer.token)).expect(200)).body;
    const critical = sheet.sections.flatMap((s: any) => s.questions).find((q: any) => q.critical && q.score.applicable);
    criticalKey = critical.key;
    const zhSheet = (await ctx.http.get(`/api/assessments/${assessmentId}/review?lang=zh-CN`).set(bearer(reviewer.token)).expect(200)).body;
    criticalText = { en: critical.text, zh: zhSheet.sections.flatMap((s: any) => s.questions).find((q: any) => q.key === criticalKey).text };
    await ctx.http
      .put(`/api/assessments/${assessmentId}/answers/${criticalKey}/review`)
      .set(bearer(reviewer.token))
      .send({ decision: 'rejected', note: 'The policy provided does not cover this.', overrideScore: 0, overrideReason: 'Evidence does not support the answer.' })
      .expect(200);
  });
  afterAll(async () => ctx.close());

  it('gives a provisional report of an assessment before its review is completed', async () => {
    const res = await getPdf(ctx, `/api/assessments/${assessmentId}/report.pdf?lang=en`, viewer.token);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['x-report-snapshot']).toBe('false');
    const reading = readPdf(res.body);
    expect(reading.text).toContain('Provisional');
    expect(reading.text).toContain('Not raised yet (review pending)');
    expect(await ctx.dataSource.getRepository(ReportSnapshotEntity).countBy({ assessmentId })).toBe(0);
  });

  it('stores the report of a completed assessment in both languages, and serves that snapshot unchanged afterwards', async () => {
    await ctx.http.post(`/api/assessments/${assessmentId}/complete`).set(bearer(reviewer.token)).send({}).expect(200);
    const rows = await ctx.dataSource.getRepository(ReportSnapshotEntity).find({ where: { assessmentId }, order: { locale: 'ASC' } });
    expect(rows.map((r) => r.locale)).toEqual(['en', 'zh-CN']);

    const en = await getPdf(ctx, `/api/assessments/${assessmentId}/report.pdf?lang=en`, viewer.token);
    expect(en.headers['x-report-snapshot']).toBe('true');
    expect(en.headers['content-disposition']).toMatch(/^attachment; filename="assessment-report-paycrest-payments-2026-03-02-en\.pdf"/);
    expect(createHash('sha256').update(en.body).digest('hex')).toBe(rows[0].sha256);
    const stored = await ctx.app.get(EvidenceStore).read(rows[0].storageKey);
    expect(stored.equals(en.body)).toBe(true);
    const reading = readPdf(en.body);
    expect(reading.info).toMatchObject({ Title: 'Vendor risk summary: Paycrest Payments', Author: 'Vendor due-diligence portal' });
    expect(reading.text).toContain('Residual risk: High');
    expect(reading.text).toContain('Rae Reviewer');
    expect(reading.text).toContain('Appendix: every question');
    expect(reading.text).toContain('The policy provided does not cover this.');

    // Data changes later: the vendor is renamed, its finding resolved. The record stays as it was.
    await ctx.http.patch(`/api/vendors/${vendorId}`).set(bearer(admin.token)).send({ name: 'Paycrest Renamed', version: (await ctx.http.get(`/api/vendors/${vendorId}`).set(bearer(admin.token))).body.version }).expect(200);
    ctx.clock.set('2026-03-10T09:00:00.000Z');
    for (const u of [admin, reviewer, viewer]) await ctx.relogin(u);
    const again = await getPdf(ctx, `/api/assessments/${assessmentId}/report.pdf?lang=en`, viewer.token);
    expect(again.body.equals(en.body)).toBe(true);
    const zh = await getPdf(ctx, `/api/assessments/${assessmentId}/report.pdf?lang=zh-CN`, viewer.token);
    expect(createHash('sha256').update(zh.body).digest('hex')).toBe(rows[1].sha256);
    expect(readPdf(zh.body).text).toContain('供应商风险摘要：Paycrest Payments');
  });

  it('draws the vendor summary as of now, in English: facts, findings with the critical failure, clause coverage, evidence', async () => {
    const res = await getPdf(ctx, `/api/vendors/${vendorId}/risk-summary.pdf?lang=en`, viewer.token);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['cache-control']).toBe('no-store');
    // Streamed: no length announced up front.
    expect(res.headers['transfer-encoding']).toBe('chunked');
    expect(res.headers['content-disposition']).toMatch(/risk-summary-paycrest-renamed-2026-03-10-en\.pdf/);
    expect(qpdfCheck(res.body)).toMatchObject({ status: 0 });
    const reading = readPdf(res.body);
    expect(layoutProblems(reading)).toEqual([]);
    expect(reading.info).toMatchObject({ Title: 'Vendor risk summary: Paycrest Renamed', Subject: 'Third-party risk assessment of a vendor that handles personal information' });
    expect(reading.info.Keywords).toContain('Paycrest Renamed');
    const text = reading.text;
    for (const fact of ['Paycrest Renamed', 'Inherent tier: Critical', 'Residual risk: High', '1 critical control failed', 'Critical failures and findings', 'Critical ★', 'Data processing agreement', 'GDPR Art. 28(3)', 'Present', 'Missing', 'High: missing from the contract', 'evidence.pdf', 'Page 1 of']) {
      expect([fact, text.includes(fact)]).toEqual([fact, true]);
    }
    expect(text).toContain(criticalText.en.slice(0, 30));
    expect(text).not.toContain('Appendix: every question');
  });

  it('draws it in Chinese, with the question texts from the module, and the appendix when asked', async () => {
    const res = await getPdf(ctx, `/api/vendors/${vendorId}/risk-summary.pdf?lang=zh-CN&appendix=true`, viewer.token);
    const reading = readPdf(res.body);
    expect(layoutProblems(reading)).toEqual([]);
    expect(reading.info.Title).toBe('供应商风险摘要：Paycrest Renamed');
    for (const fact of ['固有风险等级：严重', '剩余风险：高', '关键控制失败与发现项', '合同条款覆盖情况', '附录：全部问题', criticalText.zh.slice(0, 12)]) {
      expect([fact, reading.text.includes(fact)]).toEqual([fact, true]);
    }
    expect(reading.text).toMatch(/第 1 页，共 \d+ 页/);
  });

  it('is byte-identical on two downloads at the same moment', async () => {
    const a = await getPdf(ctx, `/api/vendors/${vendorId}/risk-summary.pdf?lang=en&appendix=true`, admin.token);
    const b = await getPdf(ctx, `/api/vendors/${vendorId}/risk-summary.pdf?lang=en&appendix=true`, admin.token);
    expect(a.body.equals(b.body)).toBe(true);
  });

  it('takes a vendor with no assessment and no contract; the caller’s language is the default', async () => {
    expect(readPdf((await getPdf(ctx, `/api/vendors/${bareVendorId}/risk-summary.pdf`, viewer.token)).body).info.Title).toBe('Vendor risk summary: 云途物流 Yuntu Logistics');
    const reading = readPdf((await getPdf(ctx, `/api/vendors/${bareVendorId}/risk-summary.pdf?lang=zh-CN`, viewer.token)).body);
    expect(reading.numPages).toBeLessThanOrEqual(2);
    expect(reading.text).toContain('云途物流 Yuntu Logistics');
    expect(reading.text).toContain('尚未进行评估');
    expect(reading.text).toContain('该供应商没有登记任何合同。');
  });

  it('gives the portfolio report: heat map, overdue and coming reviews, top findings, clause gaps', async () => {
    await createAssessment(ctx, admin.token, bareVendorId, { modules: ['baseline-lite'], dueDate: '2026-04-01' });
    const res = await getPdf(ctx, '/api/reports/portfolio.pdf?lang=en', viewer.token);
    expect(res.headers['content-disposition']).toMatch(/portfolio-report-2026-03-10-en\.pdf/);
    expect(qpdfCheck(res.body)).toMatchObject({ status: 0 });
    const reading = readPdf(res.body);
    expect(layoutProblems(reading)).toEqual([]);
    expect(reading.info).toMatchObject({ Title: 'Vendor portfolio risk report' });
    const text = reading.text;
    expect(text).toContain('2 active vendors, 1 not yet assessed');
    expect(text).toContain('Top open findings');
    expect(text).toContain(criticalText.en.slice(0, 20));
    expect(text).toContain('Vendors with contract clause gaps');
    // Most missing clauses first: vendor, tier, required, missing, partial, weak terms.
    expect(text).toContain('Paycrest Renamed Critical 21 20 0 0 云途物流 Yuntu Logistics Medium 18 18 0 0');
    const zh = readPdf((await getPdf(ctx, '/api/reports/portfolio.pdf?lang=zh-CN', viewer.token)).body);
    expect(zh.text).toContain('供应商组合风险报告');
    // Findings are stored in English; those raised from a question read in Chinese, from the module.
    expect(zh.text).toContain(criticalText.zh.slice(0, 12));
  });

  it('has download buttons on the vendor, assessment and dashboard pages, whose links work with the page session', async () => {
    const vendorPage = (await pageGet(ctx, viewer, `/vendors/${vendorId}`).expect(200)).text;
    expect(vendorPage).toContain(`href="/api/vendors/${vendorId}/risk-summary.pdf?lang=en"`);
    expect(vendorPage).toContain(`href="/api/vendors/${vendorId}/risk-summary.pdf?lang=en&amp;appendix=true"`);
    expect(vendorPage).toContain(`href="/api/vendors/${vendorId}/risk-summary.pdf?lang=zh-CN"`);
    const assessmentPage = (await pageGet(ctx, viewer, `/assessments/${assessmentId}`).expect(200)).text;
    expect(assessmentPage).toContain(`href="/api/assessments/${assessmentId}/report.pdf?lang=en"`);
    expect(assessmentPage).toContain('Report as completed (PDF)');
    expect((await pageGet(ctx, viewer, '/dashboard').expect(200)).text).toContain('href="/api/reports/portfolio.pdf?lang=en"');
    const res = await ctx.http.get(`/api/vendors/${vendorId}/risk-summary.pdf?lang=zh-CN`).set('Cookie', sessionCookie(viewer)).expect(200);
    expect(res.headers['content-type']).toBe('application/pdf');
  });

  it('refuses anonymous callers, unknown ids and bad query values, as problem+json', async () => {
    await ctx.http.get(`/api/vendors/${vendorId}/risk-summary.pdf`).expect(401);
    await ctx.http.get('/api/reports/portfolio.pdf').expect(401);
    await ctx.http.get(`/api/assessments/${assessmentId}/report.pdf`).expect(401);
    expectProblem(await ctx.http.get('/api/vendors/8d3f5a3e-2c4b-4f6a-9e1d-7b2c3d4e5f60/risk-summary.pdf').set(bearer(viewer.token)), 404, 'report.vendor_not_found');
    expectProblem(await ctx.http.get('/api/assessments/8d3f5a3e-2c4b-4f6a-9e1d-7b2c3d4e5f60/report.pdf').set(bearer(viewer.token)), 404, 'report.assessment_not_found');
    expectProblem(await ctx.http.get('/api/vendors/not-a-uuid/risk-summary.pdf').set(bearer(viewer.token)), 404);
    const badLang = expectProblem(await ctx.http.get(`/api/vendors/${vendorId}/risk-summary.pdf?lang=fr`).set(bearer(viewer.token)), 400);
    expect(JSON.stringify(badLang)).toContain('lang');
    expectProblem(await ctx.http.get(`/api/vendors/${vendorId}/risk-summary.pdf?appendix=maybe`).set(bearer(viewer.token)), 400);
    expectProblem(await ctx.http.get('/api/reports/portfolio.pdf?format=docx').set(bearer(viewer.token)), 400);
  });
});
