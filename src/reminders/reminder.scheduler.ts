import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppConfig } from '../config/app-config';
import { ReminderEngine } from './reminder-engine.service';
import { Clock } from '../clock/clock';
import { CLAIM_LEASE_MS, OutboxDelivery } from '../mail/outbox-delivery.service';

/**
 * Runs the reminder engine inside the app every `REMINDER_INTERVAL_MINUTES` (when
 * `REMINDERS_ENABLED`), never two runs of this process at once. Other processes may run it too
 * (another instance, `npm run reminders`): the outbox keys keep every reminder single.
 */
@Injectable()
export class ReminderScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ReminderScheduler.name);
  private running: Promise<void> | null = null;

  constructor(
    private readonly engine: ReminderEngine,
    private readonly registry: SchedulerRegistry,
    private readonly config: AppConfig,
    private readonly delivery: OutboxDelivery,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.REMINDERS_ENABLED) return;
    // Mails committed before a crash or a restart go out now, not at the first interval; those a
    // killed sender had claimed, once their lease has run out.
    void this.deliverNow('at start');
    const followUp = setTimeout(() => void this.deliverNow('after the claims of a stopped sender ran out'), CLAIM_LEASE_MS + 5_000);
    followUp.unref();
    this.registry.addTimeout('outbox-follow-up', followUp);
    const timer = setInterval(() => void this.tick(), this.config.REMINDER_INTERVAL_MINUTES * 60_000);
    timer.unref();
    this.registry.addInterval('reminders', timer);
  }

  /** Delivers the outbox alone (no deciding), unless a run is going. */
  private deliverNow(when: string): Promise<void> {
    return this.once(`outbox delivery ${when}`, async () => {
      const r = await this.delivery.deliver(this.clock.now());
      return r.sent || r.retrying ? `outbox ${when}: ${r.sent} sent, ${r.retrying} to retry` : null;
    });
  }

  /** No new run once the app shuts down; a run in progress stops claiming (OutboxDelivery) and is waited for. */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.registry.doesExist('interval', 'reminders')) this.registry.deleteInterval('reminders');
    if (this.registry.doesExist('timeout', 'outbox-follow-up')) this.registry.deleteTimeout('outbox-follow-up');
    this.stopped = true;
    await this.running;
  }

  private stopped = false;

  /** One run unless one is still going. */
  tick(): Promise<void> {
    return this.once('reminder run', async () => {
      const r = await this.engine.run();
      const decided = Object.values(r.decided).reduce((a, b) => a + (b ?? 0), 0);
      return decided || r.delivery?.sent || r.delivery?.retrying ? `reminders: ${decided} decided, ${r.delivery?.sent ?? 0} sent, ${r.delivery?.retrying ?? 0} to retry` : null;
    });
  }

  /** Runs `work` unless another run of this scheduler is going or the app is stopping; logs its line or its failure. */
  private once(what: string, work: () => Promise<string | null>): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.running ??= work()
      .then((line) => {
        if (line) this.logger.log(line);
      })
      .catch((err: unknown) => this.logger.error(`${what} failed: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }
}
