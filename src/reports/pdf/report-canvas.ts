import PDFDocument from 'pdfkit';
import { reportFonts } from './report-fonts';

/** A4 in points. */
export const PAGE = { width: 595.28, height: 841.89 } as const;
const MARGIN = { left: 48, right: 48, top: 70, bottom: 62 } as const;
const HEADER_Y = 30;
const FOOTER_Y = PAGE.height - 44;

export const COLORS = {
  text: '#1f2933',
  muted: '#5f6b7a',
  rule: '#c9d1da',
  fill: '#eef2f6',
  accent: '#1d4e89',
  tier: { low: '#2e7d32', medium: '#b7791f', high: '#dd6b20', critical: '#c53030' } as Record<string, string>,
  band: { strong: '#2e7d32', adequate: '#689f38', weak: '#dd6b20', poor: '#c53030' } as Record<string, string>,
} as const;

export interface DocumentInfo {
  title: string;
  author: string;
  subject: string;
  keywords: string;
  /** The report's generation time, from the injected clock: it is the document's CreationDate, so a fixed clock gives the same bytes. */
  createdAt: Date;
  /** The document's language (/Lang), for screen readers and text extraction. */
  lang: string;
}

/** What every page carries: the report title and "Confidential" above, generation time and "page x of y" below. */
export interface PageFrame {
  header: string;
  confidential: string;
  generated: string;
  pageOf: (page: number, total: number) => string;
}

export interface TableColumn {
  header: string;
  /** Share of the content width; the shares of a table add up to 1. */
  width: number;
  align?: 'left' | 'right' | 'center';
}

export interface TableCell {
  text: string;
  color?: string;
  bold?: boolean;
}

export interface TableOptions {
  fontSize?: number;
  /** Caps a cell's height (in points); longer text ends with "…". Defaults to half a page body. */
  maxCellHeight?: number;
  /** A row's colour swatch in the first cell (e.g. a severity), drawn as a small square. */
  swatch?: (row: number) => string | undefined;
}

type Face = 'regular' | 'bold';

/**
 * A small layout layer over pdfkit for the reports: a flowing cursor with page breaks, a page
 * frame (header, footer, "page x of y"), headings, paragraphs, label–value grids and tables whose
 * rows never split and whose header repeats on each page. Every text is measured before it is
 * drawn, so nothing is drawn past the page's bottom margin or over other text.
 *
 * Pages are buffered (`bufferPages`) so the footer can say "of y"; the document's bytes stream
 * out as `end()` writes them.
 */
export class ReportCanvas {
  readonly doc: PDFKit.PDFDocument;
  readonly left = MARGIN.left;
  readonly width = PAGE.width - MARGIN.left - MARGIN.right;
  readonly bottom = PAGE.height - MARGIN.bottom;

  constructor(
    info: DocumentInfo,
    private readonly frame: PageFrame,
  ) {
    const fonts = reportFonts();
    this.doc = new PDFDocument({
      size: 'A4',
      margins: { ...MARGIN },
      bufferPages: true,
      autoFirstPage: false,
      compress: true,
      pdfVersion: '1.7',
      lang: info.lang,
      info: {
        Title: info.title,
        Author: info.author,
        Subject: info.subject,
        Keywords: info.keywords,
        Creator: 'Vendor due-diligence portal',
        Producer: 'Vendor due-diligence portal (pdfkit)',
        CreationDate: info.createdAt,
        ModDate: info.createdAt,
      },
      displayTitle: true,
    });
    // pdfkit takes a parsed fontkit font as well as a file (its typings list only the latter).
    this.doc.registerFont('regular', fonts.regular as unknown as PDFKit.Mixins.PDFFontSource);
    this.doc.registerFont('bold', fonts.bold as unknown as PDFKit.Mixins.PDFFontSource);
    this.doc.on('pageAdded', () => {
      // A paragraph may be flowing onto this page: it goes on in its own style after the header.
      const style = this.style;
      this.drawHeader();
      this.use(style.face, style.size, style.color);
    });
    this.doc.addPage();
  }

  private lastYield = performance.now();

  /**
   * Gives the event loop a turn when this report has held it for 10 ms: drawing a long report
   * takes 50–300 ms of CPU, which other requests would otherwise wait behind. Called between
   * table rows and appendix questions; pdfkit's calls themselves are synchronous.
   */
  async breathe(): Promise<void> {
    if (performance.now() - this.lastYield < 10) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.lastYield = performance.now();
  }

  get y(): number {
    return this.doc.y;
  }

  set y(value: number) {
    this.doc.y = value;
  }

  /** Points left on this page above the bottom margin. */
  get room(): number {
    return this.bottom - this.doc.y;
  }

  /** The text style in use, put back after the page frame is drawn on a page that text flowed onto. */
  private style: { face: Face; size: number; color: string } = { face: 'regular', size: 9.5, color: COLORS.text };

  use(face: Face, size: number, color: string = COLORS.text): this {
    this.style = { face, size, color };
    this.doc.font(face).fontSize(size).fillColor(color);
    return this;
  }

  /** Starts a new page unless `height` points fit on this one. */
  ensure(height: number): void {
    if (height > this.room) this.newPage();
  }

  newPage(): void {
    this.doc.addPage();
  }

  gap(points: number): void {
    if (this.doc.y + points > this.bottom) this.newPage();
    else this.doc.y += points;
  }

  heightOf(text: string, face: Face, size: number, width: number): number {
    this.doc.font(face).fontSize(size);
    return this.doc.heightOfString(text || ' ', { width, lineGap: 1 });
  }

  /** A section heading, kept with at least `keepWith` points of what follows. */
  heading(text: string, keepWith = 60, size = 12.5): void {
    const h = this.heightOf(text, 'bold', size, this.width);
    this.ensure(h + 6 + keepWith);
    this.doc.y += 4;
    this.use('bold', size, COLORS.accent);
    this.doc.text(text, this.left, this.doc.y, { width: this.width, lineGap: 1 });
    const ruleY = this.doc.y + 2;
    this.doc.moveTo(this.left, ruleY).lineTo(this.left + this.width, ruleY).lineWidth(0.6).strokeColor(COLORS.rule).stroke();
    this.doc.y = ruleY + 6;
  }

  /** Flowing text over as many pages as it needs; pdfkit breaks lines and pages, the header is redrawn on each new page. */
  paragraph(text: string, options: { size?: number; face?: Face; color?: string; indent?: number; after?: number } = {}): void {
    const size = options.size ?? 9.5;
    const indent = options.indent ?? 0;
    // Room for two lines at least, so no paragraph starts with one lonely line at a page's foot.
    this.ensure(size * 3);
    this.use(options.face ?? 'regular', size, options.color ?? COLORS.text);
    this.doc.text(text, this.left + indent, this.doc.y, { width: this.width - indent, lineGap: 1 });
    this.doc.y += options.after ?? 4;
  }

  /** Label–value pairs in `columns` columns; each row as tall as its tallest value. */
  facts(pairs: Array<[label: string, value: string]>, columns = 2, labelShare = 0.4): void {
    const colWidth = this.width / columns;
    const labelWidth = colWidth * labelShare - 6;
    const valueWidth = colWidth * (1 - labelShare) - 8;
    for (let i = 0; i < pairs.length; i += columns) {
      const row = pairs.slice(i, i + columns);
      const h = Math.max(...row.map(([l, v]) => Math.max(this.heightOf(l, 'regular', 8.5, labelWidth), this.heightOf(v, 'bold', 9, valueWidth))));
      this.ensure(h + 4);
      const top = this.doc.y;
      row.forEach(([label, value], c) => {
        const x = this.left + c * colWidth;
        this.use('regular', 8.5, COLORS.muted);
        this.doc.text(label, x, top + 0.5, { width: labelWidth, lineGap: 1 });
        this.use('bold', 9);
        this.doc.text(value, x + colWidth * labelShare, top, { width: valueWidth, lineGap: 1 });
      });
      this.doc.y = top + h + 4;
    }
  }

  /** A coloured badge with white text at (x, y); returns its width. */
  badge(text: string, x: number, y: number, color: string, size = 9): number {
    this.use('bold', size);
    const w = this.doc.widthOfString(text) + 12;
    const h = size + 7;
    this.doc.roundedRect(x, y, w, h, 3).fill(color);
    this.use('bold', size, '#ffffff');
    this.doc.text(text, x + 6, y + 2.5, { lineBreak: false });
    return w;
  }

  /**
   * A table whose rows never split across pages: a row that does not fit starts a new page,
   * where the header is drawn again. A cell taller than `maxCellHeight` is cut with "…".
   */
  async table(columns: TableColumn[], rows: TableCell[][], options: TableOptions = {}): Promise<void> {
    const size = options.fontSize ?? 8;
    const pad = 3;
    const widths = columns.map((c) => c.width * this.width);
    const xs = widths.map((_, i) => this.left + widths.slice(0, i).reduce((a, b) => a + b, 0));
    const maxCell = options.maxCellHeight ?? (this.bottom - MARGIN.top) / 2;
    const headerHeight = Math.max(...columns.map((c, i) => this.heightOf(c.header, 'bold', size, widths[i] - 2 * pad))) + 2 * pad;

    const drawHeader = () => {
      const top = this.doc.y;
      this.doc.rect(this.left, top, this.width, headerHeight).fill(COLORS.fill);
      columns.forEach((c, i) => {
        this.use('bold', size, COLORS.muted);
        this.doc.text(c.header, xs[i] + pad, top + pad, { width: widths[i] - 2 * pad, align: c.align ?? 'left', lineGap: 1 });
      });
      this.doc.y = top + headerHeight;
    };

    this.ensure(headerHeight + 3 * size);
    drawHeader();
    for (const [r, row] of rows.entries()) {
      await this.breathe();
      const swatch = options.swatch?.(r);
      const fitted = row.map((cell, i) => this.fitted(cell.text, cell.bold ? 'bold' : 'regular', size, widths[i] - 2 * pad - (i === 0 && swatch ? 9 : 0), maxCell));
      const texts = fitted.map((f) => f.text);
      const h = Math.max(...fitted.map((f) => f.height)) + 2 * pad;
      if (h > this.room) {
        this.newPage();
        drawHeader();
      }
      const top = this.doc.y;
      texts.forEach((t, i) => {
        const cell = row[i];
        let x = xs[i] + pad;
        let w = widths[i] - 2 * pad;
        if (i === 0 && swatch) {
          this.doc.rect(x, top + pad + 1.5, 6, 6).fill(swatch);
          x += 9;
          w -= 9;
        }
        this.use(cell.bold ? 'bold' : 'regular', size, cell.color ?? COLORS.text);
        this.doc.text(t, x, top + pad, { width: w, align: columns[i].align ?? 'left', lineGap: 1 });
      });
      const bottomY = top + h;
      this.doc.moveTo(this.left, bottomY).lineTo(this.left + this.width, bottomY).lineWidth(0.4).strokeColor(COLORS.rule).stroke();
      this.doc.y = bottomY;
    }
    this.doc.y += 6;
  }

  /** `text`, cut at a word or character boundary with "…" so that it is at most `maxHeight` tall at `width`. */
  fit(text: string, face: Face, size: number, width: number, maxHeight: number): string {
    return this.fitted(text, face, size, width, maxHeight).text;
  }

  /** `fit`, with the height of what it returns (measured once, not again by the caller). */
  fitted(text: string, face: Face, size: number, width: number, maxHeight: number): { text: string; height: number } {
    const height = this.heightOf(text, face, size, width);
    if (height <= maxHeight) return { text, height };
    let lo = 0;
    let hi = text.length;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (this.heightOf(text.slice(0, mid).trimEnd() + '…', face, size, width) <= maxHeight) lo = mid;
      else hi = mid - 1;
    }
    const cut = text.slice(0, lo).trimEnd() + '…';
    return { text: cut, height: this.heightOf(cut, face, size, width) };
  }

  /** Draws the page frame on every page and ends the document. */
  finish(): void {
    const range = this.doc.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      this.doc.switchToPage(i);
      this.drawFooter(i - range.start + 1, range.count);
    }
    this.doc.end();
  }

  private drawHeader(): void {
    const doc = this.doc;
    const saved = doc.page.margins.top;
    doc.page.margins.top = 0;
    this.use('bold', 8, COLORS.accent);
    const confidentialWidth = doc.widthOfString(this.frame.confidential);
    doc.text(this.frame.confidential, this.left + this.width - confidentialWidth, HEADER_Y, { lineBreak: false });
    this.use('regular', 8, COLORS.muted);
    const titleWidth = this.width - confidentialWidth - 16;
    doc.text(this.fit(this.frame.header, 'regular', 8, titleWidth, 14), this.left, HEADER_Y, { width: titleWidth, height: 12, lineBreak: true });
    doc.moveTo(this.left, HEADER_Y + 14).lineTo(this.left + this.width, HEADER_Y + 14).lineWidth(0.6).strokeColor(COLORS.rule).stroke();
    doc.page.margins.top = saved;
    doc.x = this.left;
    doc.y = MARGIN.top;
  }

  private drawFooter(page: number, total: number): void {
    const doc = this.doc;
    const saved = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.moveTo(this.left, FOOTER_Y - 6).lineTo(this.left + this.width, FOOTER_Y - 6).lineWidth(0.6).strokeColor(COLORS.rule).stroke();
    this.use('regular', 7.5, COLORS.muted);
    const pageText = this.frame.pageOf(page, total);
    const pageWidth = doc.widthOfString(pageText);
    doc.text(pageText, this.left + this.width - pageWidth, FOOTER_Y, { lineBreak: false });
    const confidentialWidth = doc.widthOfString(this.frame.confidential);
    doc.text(this.frame.confidential, this.left + (this.width - confidentialWidth) / 2, FOOTER_Y, { lineBreak: false });
    doc.text(this.frame.generated, this.left, FOOTER_Y, { lineBreak: false });
    doc.page.margins.bottom = saved;
  }
}
