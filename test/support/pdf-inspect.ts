import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/**
 * Reading a PDF back in tests: text and metadata from pdf.js (in a child process: pdfjs-dist is
 * ESM-only) and from poppler's pdftotext, `qpdf --check`, and pages rendered by pdftoppm. The
 * Debian tools are required: under CI a missing one fails the test instead of skipping it.
 */
export interface TextItem {
  str: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PdfReading {
  numPages: number;
  info: Record<string, string>;
  pages: Array<{ width: number; height: number; items: TextItem[] }>;
  /** Every page's text, items joined by spaces. */
  text: string;
}

function withFile<T>(pdf: Buffer, fn: (file: string, dir: string) => T): T {
  const dir = mkdtempSync(path.join(tmpdir(), 'vdp-pdf-'));
  const file = path.join(dir, 'report.pdf');
  writeFileSync(file, pdf);
  try {
    return fn(file, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function readPdf(pdf: Buffer): PdfReading {
  return withFile(pdf, (file) => {
    const out = execFileSync(process.execPath, [path.join(__dirname, 'pdfjs-text-items.mjs'), file], { maxBuffer: 256 * 1024 * 1024 }).toString('utf8');
    const parsed = JSON.parse(out) as Omit<PdfReading, 'text'>;
    return { ...parsed, text: parsed.pages.map((p) => p.items.map((i) => i.str).join(' ')).join('\n') };
  });
}

/** poppler's reading of the text, in reading order (`pdftotext -layout`). */
export function pdftotext(pdf: Buffer): string {
  return withFile(pdf, (file) => execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-']).toString('utf8'));
}

/** `qpdf --check`: its exit status (0 when the file is sound) and what it printed. */
export function qpdfCheck(pdf: Buffer): { status: number | null; output: string } {
  return withFile(pdf, (file) => {
    const r = spawnSync('qpdf', ['--check', file]);
    if (r.error) throw r.error;
    return { status: r.status, output: `${r.stdout.toString()}${r.stderr.toString()}` };
  });
}

export interface RenderedPage {
  width: number;
  height: number;
  /** 8-bit grey levels, row by row. */
  pixels: Buffer;
  png: Buffer;
}

/** Renders every page with pdftoppm: as PNG, and as grey levels to look at the pixels. */
export function renderPages(pdf: Buffer, dpi = 40): RenderedPage[] {
  return withFile(pdf, (file, dir) => {
    execFileSync('pdftoppm', ['-r', String(dpi), '-png', file, path.join(dir, 'page')]);
    execFileSync('pdftoppm', ['-r', String(dpi), '-gray', file, path.join(dir, 'grey')]);
    const names = readdirSync(dir).sort();
    const pngs = names.filter((n) => n.startsWith('page') && n.endsWith('.png'));
    const greys = names.filter((n) => n.startsWith('grey') && n.endsWith('.pgm'));
    return greys.map((name, i) => ({ ...parsePgm(readFileSync(path.join(dir, name))), png: readFileSync(path.join(dir, pngs[i])) }));
  });
}

function parsePgm(data: Buffer): { width: number; height: number; pixels: Buffer } {
  // P5 <width> <height> <maxval> then one byte per pixel.
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(data.subarray(0, 64).toString('latin1'));
  if (!header) throw new Error('not a binary PGM');
  const width = Number(header[1]);
  const height = Number(header[2]);
  return { width, height, pixels: data.subarray(header[0].length, header[0].length + width * height) };
}

/** Pixels darker than white within `band` pixels of the page's edge. */
export function inkNearEdges(page: RenderedPage, band: number): number {
  let ink = 0;
  for (let y = 0; y < page.height; y++) {
    for (let x = 0; x < page.width; x++) {
      const edge = x < band || y < band || x >= page.width - band || y >= page.height - band;
      if (edge && page.pixels[y * page.width + x] < 250) ink++;
    }
  }
  return ink;
}

/** Text items that leave the page (or its `margin`) and pairs of items drawn over each other, as pdf.js places them. */
export function layoutProblems(reading: PdfReading, margin = 20): string[] {
  const problems: string[] = [];
  reading.pages.forEach((page, p) => {
    const boxes = page.items.map((i) => ({ i, x0: i.x, x1: i.x + i.width, y0: i.y - 0.22 * i.height, y1: i.y + 0.78 * i.height }));
    for (const b of boxes) {
      if (b.x0 < margin || b.x1 > page.width - margin || b.y0 < margin || b.y1 > page.height - margin) {
        problems.push(`page ${p + 1}: "${b.i.str.slice(0, 40)}" at (${b.x0.toFixed(1)}, ${b.y0.toFixed(1)})–(${b.x1.toFixed(1)}, ${b.y1.toFixed(1)}) leaves the page`);
      }
    }
    for (let a = 0; a < boxes.length; a++) {
      for (let c = a + 1; c < boxes.length; c++) {
        const A = boxes[a];
        const B = boxes[c];
        const w = Math.min(A.x1, B.x1) - Math.max(A.x0, B.x0);
        const h = Math.min(A.y1, B.y1) - Math.max(A.y0, B.y0);
        // Touching edges are fine; a real overlap covers a good part of the smaller box.
        if (w > 1 && h > 1 && w * h > 0.2 * Math.min((A.x1 - A.x0) * (A.y1 - A.y0), (B.x1 - B.x0) * (B.y1 - B.y0))) {
          problems.push(`page ${p + 1}: "${A.i.str.slice(0, 30)}" overlaps "${B.i.str.slice(0, 30)}"`);
        }
      }
    }
  });
  return problems;
}
