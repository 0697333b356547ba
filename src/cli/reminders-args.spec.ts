import { parseRemindersArgs } from './reminders';

describe('npm run reminders arguments', () => {
  it.each([
    [[], { now: null, dryRun: false }],
    [['--dry-run'], { now: null, dryRun: true }],
    [['--now', '2026-03-02T09:00:00Z'], { now: new Date('2026-03-02T09:00:00Z'), dryRun: false }],
    [['--now=2026-03-02T10:30:00+08:00', '--dry-run'], { now: new Date('2026-03-02T02:30:00Z'), dryRun: true }],
    [['--now', '2026-03-02'], { now: new Date('2026-03-02T09:00:00Z'), dryRun: false }],
  ])('reads %j', (argv, expected) => {
    expect(parseRemindersArgs(argv)).toEqual(expected);
  });

  it.each([[['--now']], [['--now', 'tomorrow']], [['--now', '2026-02-30T09:00:00Z']], [['--dryrun']], [['now']]])('refuses %j with the usage', (argv) => {
    expect(() => parseRemindersArgs(argv)).toThrow(/usage: npm run reminders/);
  });
});
