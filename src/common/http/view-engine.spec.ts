import fs from 'node:fs';
import { renderPartial } from './view-engine';

describe('renderPartial', () => {
  const t = (key: string) => `«${key}»`;

  it('draws a partial with exactly the data given as its it, escaped as in a page', () => {
    expect(renderPartial('contracts/status-pill', { t, status: 'active' })).toBe('<span class="pill contract-active">«contracts.status.active»</span>\n');
    expect(renderPartial('contracts/status-pill', { t, status: '"><b>' })).toBe('<span class="pill contract-&quot;&gt;&lt;b&gt;">«contracts.status.&quot;&gt;&lt;b&gt;»</span>\n');
  });

  it('reads and compiles a partial once (templates are cached outside NODE_ENV=development)', () => {
    renderPartial('contracts/status-pill', { t, status: 'draft' });
    const reads = jest.spyOn(fs, 'readFileSync');
    try {
      renderPartial('contracts/status-pill', { t, status: 'ended' });
      expect(reads).not.toHaveBeenCalled();
    } finally {
      reads.mockRestore();
    }
  });

  it('refuses a name that is not a template under src/views', () => {
    expect(() => renderPartial('../package', {})).toThrow('not a template name');
    expect(() => renderPartial('/etc/passwd', {})).toThrow('not a template name');
  });
});
