import { diffFields } from './field-diff';

describe('diffFields', () => {
  it('lists only the fields that changed, with before and after', () => {
    const before = { name: 'Acme', tier: 'low', tags: ['a'], at: new Date('2026-01-01T00:00:00Z') };
    const after = { name: 'Acme', tier: 'high', tags: ['a', 'b'], at: new Date('2026-01-01T00:00:00Z') };
    expect(diffFields(before, after, ['name', 'tier', 'tags', 'at'])).toEqual({
      tier: { before: 'low', after: 'high' },
      tags: { before: ['a'], after: ['a', 'b'] },
    });
  });

  it('treats a creation as a change from nothing', () => {
    expect(diffFields<{ name: string }>(null, { name: 'Acme' }, ['name'])).toEqual({ name: { before: null, after: 'Acme' } });
  });
});
