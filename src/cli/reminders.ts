/**
 * `npm run reminders -- [--now 2026-03-02T09:00:00Z] [--dry-run]`: one run of the reminder
 * engine, for an outside scheduler (cron, a Kubernetes CronJob) or to see what is due. It
 * schedules review cycles, decides the reminders due at `--now` (default: the real time),
 * opens the day's digests and delivers the outbox. `--dry-run` writes and sends nothing and
 * lists what it would send. Safe beside the app's own engine: each reminder goes out once.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module';
import { useFixedClock } from '../clock/clock.module';
import { JsonLogger } from '../common/logging/json-logger';
import { ConfigValidationError, loadConfig, loadDotEnv } from '../config/app-config';
import { ReminderEngine, RunReport } from '../reminders/reminder-engine.service';

export interface RemindersArgs {
  now: Date | null;
  dryRun: boolean;
}

/** Reads the command line; throws with a usage line on anything it does not know. */
export function parseRemindersArgs(argv: readonly string[]): RemindersArgs {
  const usage = 'usage: npm run reminders -- [--now ISO-8601 date-time] [--dry-run]';
  const args: RemindersArgs = { now: null, dryRun: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--dry-run') args.dryRun = true;
    else if (a === '--now' || a.startsWith('--now=')) {
      const value = a === '--now' ? argv[++i] : a.slice('--now='.length);
      const shaped = Boolean(value) && /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?)?$/.test(value);
      const day = shaped ? new Date(`${value.slice(0, 10)}T00:00:00Z`) : null;
      // 2026-02-30 would roll over to 2 March: the day must be a real one.
      const realDay = day !== null && !Number.isNaN(day.getTime()) && day.toISOString().startsWith(value.slice(0, 10));
      const at = realDay ? new Date(value.length === 10 ? `${value}T09:00:00Z` : value) : null;
      if (!at || Number.isNaN(at.getTime())) throw new Error(`--now needs an ISO-8601 date or date-time, got ${JSON.stringify(value ?? '')}\n${usage}`);
      args.now = at;
    } else throw new Error(`unknown argument ${JSON.stringify(a)}\n${usage}`);
  }
  return args;
}

export function formatReport(r: RunReport): string[] {
  const lines = [`Reminder run at ${r.at}${r.dryRun ? ' (dry run: nothing written or sent)' : ''}`];
  if (r.scheduled) lines.push(`  reviews: ${r.scheduled.created} scheduled, ${r.scheduled.moved} moved, ${r.scheduled.cancelled} cancelled; ${r.scheduled.contractsRolled} contract(s) renewed`);
  const decided = Object.entries(r.decided);
  lines.push(`  reminders ${r.dryRun ? 'due' : 'decided'}: ${decided.length ? decided.map(([rule, n]) => `${rule} ${n}`).join(', ') : 'none'}`);
  for (const w of r.wouldSend ?? []) lines.push(`    ${w.rule} → ${w.to}`);
  if (!r.dryRun) lines.push(`  digests opened: ${r.digests}`);
  if (r.delivery) {
    const d = r.delivery;
    lines.push(`  delivered: ${d.sent} sent, ${d.skipped} skipped, ${d.retrying} to retry, ${d.failed} failed${d.interrupted ? ' (the mail server is not answering; the rest waits for the next run)' : ''}`);
  }
  const t = r.timings;
  lines.push(`  took: schedule ${t.schedule} ms, decide ${t.decide} ms, digests ${t.digests} ms, deliver ${t.deliver} ms`);
  return lines;
}

async function main(): Promise<void> {
  loadDotEnv();
  let args: RemindersArgs;
  try {
    args = parseRemindersArgs(process.argv.slice(2));
    // This process runs the engine once; it must not start the in-app interval too.
    process.env.REMINDERS_ENABLED = 'false';
    loadConfig();
  } catch (err) {
    console.error(err instanceof ConfigValidationError || err instanceof Error ? err.message : String(err));
    process.exit(2);
  }
  if (args.now) useFixedClock(args.now);
  const logger = new JsonLogger(process.env.LOG_LEVEL ? (process.env.LOG_LEVEL as 'info') : 'warn');
  const app = await NestFactory.createApplicationContext(AppModule, { logger });
  try {
    const report = await app.get(ReminderEngine).run({ dryRun: args.dryRun });
    for (const line of formatReport(report)) process.stdout.write(line + '\n');
    process.stdout.write(`  peak memory: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB resident\n`);
  } finally {
    await app.close();
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  });
}
