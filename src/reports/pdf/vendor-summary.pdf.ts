import { translate } from '../../i18n/i18n';
import { controlBand } from '../../scoring/scoring';
import type { VendorSummary } from '../vendor-report.model';
import { COLORS, ReportCanvas } from './report-canvas';

/**
 * Lays a vendor's risk summary out as a PDF: the cover block, the summary paragraph, the
 * section bar chart against the previous assessment, findings, contract clause coverage and
 * evidence; then, when asked for, the appendix with every question. Resolves to the pdfkit
 * document, already ended: a readable stream of the file's bytes.
 */
export async function renderVendorSummary(model: VendorSummary): Promise<PDFKit.PDFDocument> {
  const l = model.locale;
  const t = (key: string, params?: Record<string, string | number>) => translate(l, key, params);
  const canvas = new ReportCanvas(
    {
      title: model.title,
      author: t('report.author'),
      subject: t('report.vendor.subject'),
      keywords: [t('report.keyword.risk'), model.vendor.name, model.tier.label, model.residual.label].join(', '),
      createdAt: model.generatedAt,
      lang: model.locale,
    },
    { header: model.title, confidential: t('report.confidential'), generated: model.generatedText, pageOf: (n, total) => t('report.page_of', { n, total }) },
  );
  const doc = canvas.doc;

  // Cover block.
  canvas.use('regular', 9, COLORS.muted);
  doc.text(t('report.vendor.kicker'), canvas.left, canvas.y, { width: canvas.width });
  // A long name is set smaller rather than cut: up to three lines at 14 pt (names have at most 200 characters).
  const nameSize = canvas.heightOf(model.vendor.name, 'bold', 18, canvas.width) <= 52 ? 18 : 14;
  canvas.use('bold', nameSize);
  doc.text(canvas.fit(model.vendor.name, 'bold', nameSize, canvas.width, 64), canvas.left, canvas.y, { width: canvas.width, lineGap: 1 });
  canvas.gap(6);
  let x = canvas.left;
  const badgeY = canvas.y;
  x += canvas.badge(t('report.badge.tier', { tier: model.tier.label }), x, badgeY, COLORS.tier[model.tier.tier]) + 6;
  x += canvas.badge(t('report.badge.residual', { risk: model.residual.label }), x, badgeY, model.residual.tier ? COLORS.tier[model.residual.tier] : COLORS.muted) + 6;
  x += canvas.badge(t('report.badge.score', { score: model.score.text, band: model.score.bandLabel }), x, badgeY, model.score.band ? COLORS.band[model.score.band] : COLORS.muted) + 6;
  if (model.provisional) canvas.badge(t('report.badge.provisional'), x, badgeY, COLORS.muted);
  canvas.y = badgeY + 24;
  canvas.facts([...model.vendor.facts, ...model.assessmentFacts]);
  if (model.tier.reasons.length) {
    canvas.use('regular', 8.5, COLORS.muted);
    canvas.paragraph(`${t('report.tier_reasons', { tier: model.tier.label })} ${model.tier.reasons.join(t('report.list_separator'))}`, { size: 8.5, color: COLORS.muted });
  }

  canvas.heading(t('report.section.summary'), 40);
  canvas.paragraph(model.summary, { size: 10 });
  if (model.provisional) canvas.paragraph(t('report.provisional_note'), { size: 8.5, color: COLORS.muted });

  // Section scores.
  canvas.heading(t('report.section.scores'), 40);
  if (!model.sections.length) {
    canvas.paragraph(t('report.no_sections'), { color: COLORS.muted });
  } else {
    sectionChart(canvas, model, t);
  }

  // Findings and critical failures.
  canvas.heading(t('report.section.findings'), 40);
  if (!model.findings.length) {
    canvas.paragraph(t('report.no_findings'), { color: COLORS.muted });
  } else {
    await canvas.table(
      [
        { header: t('report.col.severity'), width: 0.11 },
        { header: t('report.col.finding'), width: 0.27 },
        { header: t('report.col.status'), width: 0.12 },
        { header: t('report.col.owner'), width: 0.12 },
        { header: t('report.col.due'), width: 0.13 },
        { header: t('report.col.recommendation'), width: 0.25 },
      ],
      model.findings.map((f) => [
        { text: f.severityLabel + (f.critical ? ' ★' : ''), bold: true },
        { text: f.title },
        { text: f.status },
        { text: f.owner },
        { text: f.due, color: f.overdue ? COLORS.tier.critical : undefined },
        { text: f.recommendation },
      ]),
      { swatch: (i) => COLORS.tier[model.findings[i].severity], maxCellHeight: 120 },
    );
    canvas.paragraph(t('report.critical_legend'), { size: 7.5, color: COLORS.muted });
  }

  // Contract clause coverage.
  canvas.heading(t('report.section.contracts'), 40);
  const c = model.contracts;
  if (!c) {
    canvas.paragraph(t('report.no_contract_data'), { color: COLORS.muted });
  } else {
    canvas.paragraph(c.none ? t('report.contracts.none') : `${t('report.contracts.list')} ${c.list.join('; ')}`, { size: 9 });
    canvas.paragraph(t('report.contracts.counts', c.counts), { size: 9, face: 'bold' });
    if (c.clauses.length) {
      await canvas.table(
        [
          { header: t('report.col.clause'), width: 0.34 },
          { header: t('report.col.source'), width: 0.2 },
          { header: t('report.col.coverage'), width: 0.12 },
          { header: t('report.col.gaps'), width: 0.34 },
        ],
        c.clauses.map((x) => [
          { text: x.title },
          { text: x.source },
          { text: x.coverageLabel, bold: true, color: x.coverage === 'present' ? COLORS.tier.low : x.coverage === 'partial' ? COLORS.tier.high : COLORS.tier.critical },
          { text: x.gaps.join('; ') || '—' },
        ]),
        { fontSize: 7.5, maxCellHeight: 90 },
      );
    }
  }

  // Evidence.
  canvas.heading(t('report.section.evidence'), 40);
  if (!model.evidence.length) {
    canvas.paragraph(t('report.no_evidence'), { color: COLORS.muted });
  } else {
    await canvas.table(
      [
        { header: t('report.col.file'), width: 0.25 },
        { header: t('report.col.question'), width: 0.4 },
        { header: 'SHA-256', width: 0.35 },
      ],
      model.evidence.map((e) => [{ text: e.name }, { text: e.question }, { text: e.sha256 }]),
      { fontSize: 7, maxCellHeight: 60 },
    );
  }

  // Appendix: every question.
  if (model.appendix) {
    canvas.newPage();
    canvas.heading(t('report.section.appendix'), 40, 14);
    for (const section of model.appendix) {
      canvas.heading(section.section, 50, 10.5);
      for (const q of section.questions) {
        await canvas.breathe();
        const head = `${q.key} · ${q.text}`;
        canvas.ensure(Math.min(canvas.heightOf(head, 'bold', 8.5, canvas.width), 60) + 24);
        canvas.paragraph(head, { face: 'bold', size: 8.5, after: 1 });
        canvas.paragraph(`${t('report.appendix.answer')} ${q.answer}    ${t('report.appendix.score')} ${q.score}`, { size: 8.5, indent: 10, after: 1 });
        if (q.comment) canvas.paragraph(`${t('report.appendix.comment')} ${q.comment}`, { size: 8.5, indent: 10, color: COLORS.muted, after: 1 });
        if (q.note) canvas.paragraph(`${t('report.appendix.note')} ${q.note}`, { size: 8.5, indent: 10, color: COLORS.accent, after: 1 });
        canvas.gap(4);
      }
    }
  }

  canvas.finish();
  return doc;
}

function sectionChart(canvas: ReportCanvas, model: VendorSummary, t: (key: string, params?: Record<string, string | number>) => string): void {
  const doc = canvas.doc;
  const labelWidth = canvas.width * 0.38;
  const barX = canvas.left + labelWidth + 8;
  const barWidth = canvas.width * 0.44;
  const valueX = barX + barWidth + 8;
  const valueWidth = canvas.left + canvas.width - valueX;
  const barHeight = 9;
  // Legend and scale.
  canvas.ensure(30);
  const legendY = canvas.y;
  canvas.use('regular', 7.5, COLORS.muted);
  doc.rect(barX, legendY + 2, 10, 6).fill(COLORS.accent);
  canvas.use('regular', 7.5, COLORS.muted);
  doc.text(t('report.chart.current'), barX + 14, legendY, { lineBreak: false });
  if (model.previousLabel) {
    const px = barX + 14 + doc.widthOfString(t('report.chart.current')) + 14;
    doc.moveTo(px + 4, legendY).lineTo(px + 4, legendY + 10).lineWidth(1.5).strokeColor(COLORS.text).stroke();
    canvas.use('regular', 7.5, COLORS.muted);
    doc.text(model.previousLabel, px + 10, legendY, { width: canvas.left + canvas.width - px - 10, lineBreak: false, ellipsis: true });
  }
  canvas.use('regular', 7.5, COLORS.muted);
  doc.text(t('report.chart.change'), valueX, legendY, { width: valueWidth, align: 'right', lineBreak: false });
  canvas.y = legendY + 14;

  for (const s of model.sections) {
    const labelHeight = canvas.heightOf(s.title, 'regular', 8.5, labelWidth);
    const rowHeight = Math.max(labelHeight, barHeight + 2) + 5;
    canvas.ensure(rowHeight);
    const top = canvas.y;
    canvas.use('regular', 8.5);
    doc.text(s.title, canvas.left, top, { width: labelWidth, lineGap: 1 });
    const barTop = top + 1.5;
    doc.rect(barX, barTop, barWidth, barHeight).fill(COLORS.fill);
    if (s.score !== null) {
      doc.rect(barX, barTop, Math.max(0.5, (barWidth * s.score) / 100), barHeight).fill(COLORS.band[controlBand(s.score)!]);
    }
    if (s.previous !== null) {
      const px = barX + (barWidth * s.previous) / 100;
      doc.moveTo(px, barTop - 2).lineTo(px, barTop + barHeight + 2).lineWidth(1.5).strokeColor(COLORS.text).stroke();
    }
    canvas.use('bold', 8.5);
    const scoreText = s.score === null ? t('report.score.not_applicable') : String(Math.round(s.score));
    doc.text(scoreText, valueX, top, { width: valueWidth * 0.45, lineBreak: false });
    if (s.changeText) {
      const up = s.changeText.startsWith('+');
      const down = s.changeText.startsWith('−');
      canvas.use('regular', 8, up ? COLORS.tier.low : down ? COLORS.tier.critical : COLORS.muted);
      doc.text(s.changeText, valueX + valueWidth * 0.45, top + 0.5, { width: valueWidth * 0.55, align: 'right', lineBreak: false });
    }
    canvas.y = top + rowHeight;
  }
  canvas.gap(4);
}
