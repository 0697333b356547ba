// Reads a PDF with pdf.js (pdfjs-dist is ESM-only, so Jest runs this in a child process) and
// prints, as JSON: the page count, the document info, and per page its size and every text item
// with its position as pdf.js reports it (x, y of the baseline origin; width; height).
import { readFile } from 'node:fs/promises';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

const data = new Uint8Array(await readFile(process.argv[2]));
const doc = await getDocument({ data, disableFontFace: true, useSystemFonts: false, isEvalSupported: false, verbosity: 0 }).promise;
const { info } = await doc.getMetadata();
const pages = [];
for (let n = 1; n <= doc.numPages; n++) {
  const page = await doc.getPage(n);
  const { width, height } = page.getViewport({ scale: 1 });
  const content = await page.getTextContent();
  const items = content.items
    .filter((it) => typeof it.str === 'string' && it.str.trim() !== '')
    .map((it) => ({ str: it.str, x: it.transform[4], y: it.transform[5], width: it.width, height: it.height }));
  pages.push({ width, height, items });
}
process.stdout.write(JSON.stringify({ numPages: doc.numPages, info, pages }));
