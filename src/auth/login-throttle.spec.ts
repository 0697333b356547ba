import { FailureWindow } from './login-throttle';

describe('FailureWindow', () => {
  it('blocks a key after the limit and frees it when the window has passed', () => {
    const w = new FailureWindow(3, 1000);
    w.record('ip', 0);
    w.record('ip', 100);
    expect(w.isBlocked('ip', 200)).toBe(false);
    w.record('ip', 200);
    expect(w.isBlocked('ip', 300)).toBe(true);
    expect(w.isBlocked('other', 300)).toBe(false);
    expect(w.isBlocked('ip', 1150)).toBe(false);
  });

  it('forgets a key on clear and bounds its memory', () => {
    const w = new FailureWindow(1, 1000, 2);
    w.record('a', 0);
    w.clear('a');
    expect(w.isBlocked('a', 1)).toBe(false);
    w.record('a', 0);
    w.record('b', 0);
    w.record('c', 0);
    expect(w.isBlocked('a', 1)).toBe(false);
    expect(w.isBlocked('c', 1)).toBe(true);
  });
});
