import { joinParts } from './page-renderer';

describe('joinParts', () => {
  const mark = '\u00000123456789abcdef:';
  const at = (n: number) => `${mark}${n}\u0000`;

  it('puts each part where its mark is, in UTF-8, however many parts there are', () => {
    const parts = ['<p>一</p>', '<p>two</p>', '<p>三 &amp; four</p>'];
    const html = `<main>${at(0)}<hr>${at(1)}${at(2)}</main>`;
    const out = joinParts(html, mark, parts);
    expect(Buffer.isBuffer(out)).toBe(true);
    expect(out.toString('utf8')).toBe('<main><p>一</p><hr><p>two</p><p>三 &amp; four</p></main>');
    expect(out.length).toBe(Buffer.byteLength('<main><p>一</p><hr><p>two</p><p>三 &amp; four</p></main>'));
  });

  it('leaves alone text that looks like a mark of another page (an answer cannot pass for a part)', () => {
    const forged = '\u0000fedcba9876543210:0\u0000';
    const out = joinParts(`<p>${forged}</p>${at(0)}`, mark, ['<b>part</b>']).toString('utf8');
    expect(out).toBe(`<p>${forged}</p><b>part</b>`);
  });

  it('keeps a page with marks at both ends, or only a mark, whole', () => {
    expect(joinParts(`${at(0)}middle${at(1)}`, mark, ['<a>', '</a>']).toString()).toBe('<a>middle</a>');
    expect(joinParts(at(0), mark, ['only']).toString()).toBe('only');
  });
});
