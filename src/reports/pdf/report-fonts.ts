import { create, type Font } from 'fontkit';
import { readFileSync } from 'node:fs';

/**
 * The one typeface of every report: Noto Sans SC (SIL Open Font License 1.1), from the npm
 * package `@expo-google-fonts/noto-sans-sc`, so it comes with `npm install` and no system font is
 * needed. It covers Latin, Greek, Cyrillic and the Chinese characters in use, so English and
 * Simplified Chinese reports (and a vendor name in either script) share one face. pdfkit embeds
 * only the glyphs a report uses (a subset), which keeps a report at tens of KB.
 *
 * Each weight (about 10.5 MB) is read and parsed once per process, and the parsed font is handed
 * to every document (pdfkit takes a fontkit font as well as a file): parsing it per document
 * cost time and, more, memory on every download. A document only reads the shared font; its
 * subset and layout cache are its own, and documents are drawn synchronously, one at a time.
 */
export interface ReportFonts {
  regular: Font;
  bold: Font;
}

let loaded: ReportFonts | null = null;

function open(file: string): Font {
  return create(readFileSync(require.resolve(`@expo-google-fonts/noto-sans-sc/${file}`))) as Font;
}

export function reportFonts(): ReportFonts {
  loaded ??= { regular: open('400Regular/NotoSansSC_400Regular.ttf'), bold: open('700Bold/NotoSansSC_700Bold.ttf') };
  return loaded;
}
