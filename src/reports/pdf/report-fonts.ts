import { readFileSync } from 'node:fs';

/**
 * The one typeface of every report: Noto Sans SC (SIL Open Font License 1.1), from the npm
 * package `@expo-google-fonts/noto-sans-sc`, so it comes with `npm install` and no system font
 * is needed. It covers Latin, Cyrillic, Greek and every character of GB 18030's common set, so
 * English and Simplified Chinese reports (and a vendor name in either script) share one face.
 * pdfkit embeds only the glyphs a report uses (a subset), which keeps a report at tens of KB.
 *
 * The two weights are read once per process (about 10.5 MB each) and handed to every document.
 */
export interface ReportFonts {
  regular: Buffer;
  bold: Buffer;
}

let loaded: ReportFonts | null = null;

export function reportFonts(): ReportFonts {
  if (!loaded) {
    loaded = {
      regular: readFileSync(require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf')),
      bold: readFileSync(require.resolve('@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf')),
    };
  }
  return loaded;
}
