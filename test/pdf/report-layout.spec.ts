import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import type { Locale } from '../../src/i18n/i18n';
import { renderPortfolioReport } from '../../src/reports/pdf/portfolio-report.pdf';
import { renderVendorSummary } from '../../src/reports/pdf/vendor-summary.pdf';
import { buildPortfolioReport } from '../../src/reports/portfolio-report.model';
import { buildVendorSummary, VendorReportFacts } from '../../src/reports/vendor-report.model';
import { inkNearEdges, layoutProblems, pdftotext, qpdfCheck, readPdf, renderPages } from '../support/pdf-inspect';
import { samplePortfolioFacts } from '../support/portfolio-facts';
import { sampleVendorFacts } from '../support/report-facts';

async function bytes(pending: Promise<PDFKit.PDFDocument>): Promise<Buffer> {
  const doc = await pending;
  const chunks: Buffer[] = [];
  for await (const c of doc as unknown as Readable) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

const summary = (facts: VendorReportFacts, locale: Locale, appendix = false) => bytes(renderVendorSummary(buildVendorSummary(facts, locale, { appendix })));

/** With REPORT_OUT set, the PDFs and their first pages are written there to be looked at. */
function keep(name: string, pdf: Buffer): void {
  const dir = process.env.REPORT_OUT;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, `${name}.pdf`), pdf);
}

/** What every report must pass: qpdf, page frame on every page, nothing off the page or drawn over other text. */
function expectSoundLayout(pdf: Buffer, locale: Locale) {
  expect(qpdfCheck(pdf)).toMatchObject({ status: 0 });
  const reading = readPdf(pdf);
  expect(layoutProblems(reading)).toEqual([]);
  const pageOf = locale === 'en' ? (n: number) => `Page ${n} of ${reading.numPages}` : (n: number) => `第 ${n} 页，共 ${reading.numPages} 页`;
  reading.pages.forEach((page, i) => {
    const strings = page.items.map((x) => x.str);
    expect(strings).toContain(pageOf(i + 1));
    expect(strings).toContain(locale === 'en' ? 'Confidential' : '机密');
    expect(strings.some((s) => s.startsWith(locale === 'en' ? 'Generated 1 Mar 2027, 09:30 UTC' : '生成于 2027年3月1日 09:30 UTC'))).toBe(true);
  });
  const pages = renderPages(pdf);
  expect(pages).toHaveLength(reading.numPages);
  // At 40 dpi, 10 px is 18 pt: nothing is drawn that close to the edge.
  expect(pages.map((p) => inkNearEdges(p, 10))).toEqual(pages.map(() => 0));
  return reading;
}

describe('vendor risk summary (PDF)', () => {
  it('says the facts in English: cover block, summary, sections with change, findings, contracts, evidence, metadata', async () => {
    const pdf = await summary(sampleVendorFacts({ questions: 60, findings: 6 }), 'en');
    keep('summary-en', pdf);
    const reading = expectSoundLayout(pdf, 'en');
    expect(reading.info).toMatchObject({
      Title: 'Vendor risk summary: Paycrest Payments Ltd',
      Author: 'Vendor due-diligence portal',
      Subject: 'Third-party risk assessment of a vendor that handles personal information',
      Keywords: 'vendor risk, Paycrest Payments Ltd, High, Medium',
    });
    expect(reading.numPages).toBe(2);
    expect(reading.info.Language).toBe('en');
    const text = pdftotext(pdf);
    for (const fact of [
      'Paycrest Payments Ltd',
      'Inherent tier: High',
      'Residual risk: Medium',
      'Score 78.4',
      'Adequate',
      'Ada Lovelace',
      '20 Feb 2028',
      'payment card data makes it at least High',
      '1 critical control failed',
      'Section scores',
      'Previous assessment (18 Feb 2026)',
      'Critical failures and findings',
      'Contract clause coverage',
      'access-control-policy-0.pdf',
      'abababab',
    ]) {
      expect([fact, text.includes(fact)]).toEqual([fact, true]);
    }
    // The change against the previous assessment, per section: +10 for the first (50 against 40).
    expect(reading.pages[0].items.map((i) => i.str)).toEqual(expect.arrayContaining(['50', '+10']));
  });

  it('says the same in Simplified Chinese, with the font subsetted into a small file', async () => {
    const pdf = await summary(sampleVendorFacts({ questions: 60, findings: 6, chinese: true }), 'zh-CN', true);
    keep('summary-zh', pdf);
    const reading = expectSoundLayout(pdf, 'zh-CN');
    expect(reading.info).toMatchObject({ Title: '供应商风险摘要：Paycrest Payments Ltd', Author: '供应商尽职调查门户', Keywords: '供应商风险, Paycrest Payments Ltd, 高, 中', Language: 'zh-CN' });
    const text = reading.text;
    for (const fact of ['固有风险等级：高', '剩余风险：中', '摘要', '各部分得分', '关键控制失败与发现项', '合同条款覆盖情况', '证据', '附录：全部问题', '贵公司是否对所有远程访问', '访问控制政策-0.pdf']) {
      expect([fact, text.includes(fact)]).toEqual([fact, true]);
    }
    // Only the glyphs used are embedded: the font file is 10.5 MB, the report a small part of it.
    expect(pdf.length).toBeLessThan(400_000);
    const fonts = execFileSync('pdffonts', ['-'], { input: pdf }).toString();
    expect(fonts).toMatch(/[A-Z]{6}\+NotoSansSC-Regular\s+CID TrueType\s+Identity-H\s+yes\s+yes/);
  });

  it('is byte-identical when drawn twice with the same clock', async () => {
    const facts = sampleVendorFacts({ questions: 40, findings: 10 });
    const [a, b] = [await summary(facts, 'en', true), await summary(facts, 'en', true)];
    expect(a.equals(b)).toBe(true);
    const [c, d] = [await summary(sampleVendorFacts({ chinese: true }), 'zh-CN'), await summary(sampleVendorFacts({ chinese: true }), 'zh-CN')];
    expect(c.equals(d)).toBe(true);
  });

  it('takes an empty assessment, and a vendor with no assessment and no contract', async () => {
    const empty = sampleVendorFacts({ questions: 0, findings: 0, sections: 0, evidence: 0, withPrevious: false, withContracts: false });
    empty.sheet = { ...empty.sheet!, overall: { ...empty.sheet!.overall, score: null, band: null, criticalFailures: [] }, sections: [] };
    const pdf = await summary(empty, 'en', true);
    const reading = expectSoundLayout(pdf, 'en');
    expect(reading.text).toContain('No questionnaire has been answered yet.');
    expect(reading.text).toContain('No contract is recorded for this vendor.');

    const none = { ...empty, assessment: null, sheet: null, previous: null };
    const pdf2 = await summary(none, 'zh-CN', true);
    keep('summary-none-zh', pdf2);
    const reading2 = expectSoundLayout(pdf2, 'zh-CN');
    expect(reading2.text).toContain('尚未进行评估');
    expect(reading2.numPages).toBe(1); // no assessment, so no appendix either
  });

  it('breaks 200 findings, 2,000-character comments and a very long vendor name cleanly across pages', async () => {
    const longName = 'The Extremely Long-Named International Cloud Hosting, Payment Processing and Logistics Services Holding Company Limited (Europe, Middle East and Africa Division) '.repeat(2).trim();
    const facts = sampleVendorFacts({ questions: 150, findings: 200, commentLength: 2000, vendorName: longName });
    const pdf = await summary(facts, 'en', true);
    keep('summary-extreme-en', pdf);
    const reading = expectSoundLayout(pdf, 'en');
    expect(reading.numPages).toBeGreaterThan(20);
    // Every finding made it in, none cut (the first and last are there), and the 2,000-character comments in full.
    expect(reading.text).toContain('(finding 1)');
    expect(reading.text).toContain('(finding 200)');
    const zh = await summary(sampleVendorFacts({ questions: 150, findings: 200, commentLength: 2000, chinese: true, vendorName: '上海'.repeat(120) }), 'zh-CN', true);
    keep('summary-extreme-zh', zh);
    expectSoundLayout(zh, 'zh-CN');
  });
});

describe('portfolio report (PDF)', () => {
  it('shows the heat map, overdue reviews, the next 90 days, top findings and clause gaps, in both languages', async () => {
    const en = await bytes(renderPortfolioReport(buildPortfolioReport(samplePortfolioFacts(1000), 'en')));
    keep('portfolio-en', en);
    const reading = expectSoundLayout(en, 'en');
    expect(reading.info).toMatchObject({ Title: 'Vendor portfolio risk report', Author: 'Vendor due-diligence portal' });
    const text = pdftotext(en);
    for (const fact of ['1000 active vendors, 143 not yet assessed', 'Inherent tier', 'Residual risk', 'Vendors overdue for review', 'The first 50 of 100 are listed', 'The next 90 days', 'Contract notice deadline', 'Top open findings', 'Vendors with contract clause gaps']) {
      expect([fact, text.includes(fact)]).toEqual([fact, true]);
    }
    const zh = await bytes(renderPortfolioReport(buildPortfolioReport(samplePortfolioFacts(1000, { chinese: true }), 'zh-CN')));
    keep('portfolio-zh', zh);
    const zhReading = expectSoundLayout(zh, 'zh-CN');
    expect(zhReading.text).toContain('供应商组合风险报告');
    expect(zhReading.text).toContain('云途物流有限公司 0');
  });

  it('takes an empty portfolio', async () => {
    const pdf = await bytes(renderPortfolioReport(buildPortfolioReport(samplePortfolioFacts(0), 'en')));
    const reading = expectSoundLayout(pdf, 'en');
    expect(reading.numPages).toBe(1);
    expect(reading.text).toContain('No vendor is overdue for review.');
  });
});

describe('text flowing onto a new page', () => {
  it('goes on in its own style after the page header', async () => {
    const facts = sampleVendorFacts({ questions: 6, sections: 1, findings: 0, commentLength: 2000 });
    const reading = readPdf(await summary(facts, 'en', true));
    // Every line of the appendix comments is set at 8.5 pt, also on the pages they flow onto.
    const commentLines = reading.pages.flatMap((p) => p.items.filter((i) => i.str.includes('access rights') || i.str.includes('ticketing system')));
    expect(commentLines.length).toBeGreaterThan(20);
    expect([...new Set(commentLines.map((i) => i.height))]).toEqual([8.5]);
  });
});

describe('drawing a long report', () => {
  it('gives the event loop turns while it draws, so other requests do not wait behind it', async () => {
    await summary(sampleVendorFacts({ questions: 5 }), 'en'); // the typeface is parsed once per process, on first use
    const model = buildVendorSummary(sampleVendorFacts({ questions: 150, findings: 200, commentLength: 500 }), 'en', { appendix: true });
    const gaps: number[] = [];
    let last = performance.now();
    let drawing = true;
    const tick = () => {
      if (!drawing) return;
      const now = performance.now();
      gaps.push(now - last);
      last = now;
      setImmediate(tick);
    };
    setImmediate(tick);
    const started = performance.now();
    const doc = await renderVendorSummary(model);
    drawing = false;
    gaps.push(performance.now() - last);
    const took = performance.now() - started;
    await bytes(Promise.resolve(doc));
    // About 300 ms of drawing here, with a turn every 10–15 ms; the longest stretch is pdfkit's
    // end() (font subset, cross-reference table), which cannot be split. Drawn in one go it
    // would hold the loop for the whole time.
    expect(gaps.length).toBeGreaterThan(took / 40);
    expect(Math.max(...gaps)).toBeLessThan(80);
  });

  it('draws the same bytes when two reports are drawn at once, sharing the parsed typeface', async () => {
    const en = sampleVendorFacts({ questions: 150, findings: 60, commentLength: 300 });
    const zh = sampleVendorFacts({ questions: 150, findings: 60, commentLength: 300, chinese: true });
    const alone = [await summary(en, 'en', true), await summary(zh, 'zh-CN', true)];
    const together = await Promise.all([summary(en, 'en', true), summary(zh, 'zh-CN', true)]);
    expect(together[0].equals(alone[0])).toBe(true);
    expect(together[1].equals(alone[1])).toBe(true);
  });
});
