import { translate } from '../../i18n/i18n';
import { TIERS, type Tier } from '../../vendors/vendor.enums';
import type { PortfolioReport } from '../portfolio-report.model';
import { COLORS, ReportCanvas } from './report-canvas';

/**
 * Lays the portfolio report out as a PDF: the headline figures, the tier × residual-risk heat map,
 * overdue reviews, the next 90 days, the top open findings and the vendors with clause gaps.
 * Resolves to the pdfkit document, already ended.
 */
export async function renderPortfolioReport(model: PortfolioReport): Promise<PDFKit.PDFDocument> {
  const t = (key: string, params?: Record<string, string | number>) => translate(model.locale, key, params);
  const canvas = new ReportCanvas(
    {
      title: model.title,
      author: t('report.author'),
      subject: t('report.portfolio.subject'),
      keywords: [t('report.keyword.risk'), t('report.portfolio.keyword')].join(', '),
      createdAt: model.generatedAt,
      lang: model.locale,
    },
    { header: model.title, confidential: t('report.confidential'), generated: model.generatedText, pageOf: (n, total) => t('report.page_of', { n, total }) },
  );
  const doc = canvas.doc;
  canvas.use('bold', 18);
  doc.text(model.title, canvas.left, canvas.y, { width: canvas.width });
  canvas.gap(4);
  canvas.paragraph(model.headline, { size: 10 });

  canvas.heading(t('report.portfolio.heat'), 200);
  heatMap(canvas, model, t);
  canvas.paragraph(model.unassessed, { size: 8.5, color: COLORS.muted });

  canvas.heading(t('report.portfolio.overdue'), 40);
  await listTable(
    canvas,
    model.overdue,
    [
      { header: t('report.col.vendor'), width: 0.36 },
      { header: t('report.col.tier'), width: 0.12 },
      { header: t('report.col.owner'), width: 0.2 },
      { header: t('report.col.review_due'), width: 0.16 },
      { header: t('report.col.overdue_by'), width: 0.16, align: 'right' },
    ],
    t('report.portfolio.none_overdue'),
  );

  canvas.heading(t('report.portfolio.upcoming'), 40);
  await listTable(
    canvas,
    model.upcoming,
    [
      { header: t('report.col.date'), width: 0.15 },
      { header: t('report.col.what'), width: 0.2 },
      { header: t('report.col.vendor'), width: 0.3 },
      { header: t('report.col.subject'), width: 0.35 },
    ],
    t('report.portfolio.none_upcoming'),
  );

  canvas.heading(t('report.portfolio.findings'), 40);
  if (!model.findings.rows.length) canvas.paragraph(t('report.portfolio.none_findings'), { color: COLORS.muted });
  else {
    await canvas.table(
      [
        { header: t('report.col.severity'), width: 0.12 },
        { header: t('report.col.finding'), width: 0.34 },
        { header: t('report.col.vendor'), width: 0.18 },
        { header: t('report.col.status'), width: 0.13 },
        { header: t('report.col.owner'), width: 0.12 },
        { header: t('report.col.due'), width: 0.11 },
      ],
      model.findings.rows.map((r) => r.cells.map((text, i) => ({ text, bold: i === 0 }))),
      { swatch: (i) => COLORS.tier[model.findings.rows[i].severity], maxCellHeight: 60 },
    );
    if (model.findings.more) canvas.paragraph(model.findings.more, { size: 8, color: COLORS.muted });
  }

  canvas.heading(t('report.portfolio.gaps'), 40);
  await listTable(
    canvas,
    model.clauseGaps,
    [
      { header: t('report.col.vendor'), width: 0.36 },
      { header: t('report.col.tier'), width: 0.12 },
      { header: t('report.col.required'), width: 0.13, align: 'right' },
      { header: t('report.coverage.missing'), width: 0.13, align: 'right' },
      { header: t('report.coverage.partial'), width: 0.13, align: 'right' },
      { header: t('report.col.param_gaps'), width: 0.13, align: 'right' },
    ],
    t('report.portfolio.none_gaps'),
  );

  canvas.finish();
  return doc;
}

async function listTable(canvas: ReportCanvas, list: { more: string | null; rows: string[][] }, columns: Parameters<ReportCanvas['table']>[0], empty: string): Promise<void> {
  if (!list.rows.length) {
    canvas.paragraph(empty, { color: COLORS.muted });
    return;
  }
  await canvas.table(
    columns,
    list.rows.map((r) => r.map((text) => ({ text }))),
    { maxCellHeight: 40 },
  );
  if (list.more) canvas.paragraph(list.more, { size: 8, color: COLORS.muted });
}

/** Inherent tier (rows, most severe on top) against residual risk (columns); each cell's shade grows with its count. */
function heatMap(canvas: ReportCanvas, model: PortfolioReport, t: (key: string, params?: Record<string, string | number>) => string): void {
  const doc = canvas.doc;
  const labelWidth = 96;
  const cell = { w: (canvas.width - labelWidth - 30) / 4, h: 34 };
  canvas.ensure(14 + 14 + 4 * cell.h + 8);
  const top = canvas.y + 14;
  const left = canvas.left + labelWidth + 30;
  const max = Math.max(1, ...TIERS.flatMap((tier) => TIERS.map((r) => model.heat[tier][r])));
  canvas.use('bold', 8, COLORS.muted);
  doc.text(t('report.portfolio.residual_axis'), left, canvas.y, { width: cell.w * 4, align: 'center', lineBreak: false });
  TIERS.forEach((risk, c) => {
    canvas.use('bold', 8, COLORS.tier[risk]);
    doc.text(t('tier.' + risk), left + c * cell.w, top, { width: cell.w, align: 'center', lineBreak: false });
  });
  const gridTop = top + 14;
  canvas.use('bold', 8, COLORS.muted);
  doc.text(t('report.portfolio.tier_axis'), canvas.left, top, { width: labelWidth + 24, lineBreak: false });
  model.tiers.forEach(({ tier, label }, r) => {
    const y = gridTop + r * cell.h;
    canvas.use('bold', 8.5, COLORS.tier[tier]);
    doc.text(label, canvas.left, y + cell.h / 2 - 5, { width: labelWidth + 24, lineBreak: false });
    TIERS.forEach((risk: Tier, c) => {
      const n = model.heat[tier][risk];
      const x = left + c * cell.w;
      doc.rect(x, y, cell.w, cell.h).fill(COLORS.fill);
      if (n > 0) doc.rect(x, y, cell.w, cell.h).fillOpacity(0.18 + (0.82 * n) / max).fill(COLORS.tier[risk]).fillOpacity(1);
      doc.rect(x, y, cell.w, cell.h).lineWidth(1).strokeColor('#ffffff').stroke();
      canvas.use('bold', 11, n > 0 && n / max > 0.45 ? '#ffffff' : COLORS.text);
      doc.text(String(n), x, y + cell.h / 2 - 7, { width: cell.w, align: 'center', lineBreak: false });
    });
  });
  canvas.y = gridTop + 4 * cell.h + 8;
}
