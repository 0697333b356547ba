import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { AssessmentsService } from './assessments.service';

const EVERY_MS = 10 * 60_000;

/** Marks lapsed questionnaires as expired: at start, then every ten minutes. */
@Injectable()
export class AssessmentExpiryScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(AssessmentExpiryScheduler.name);
  private timer?: NodeJS.Timeout;

  constructor(private readonly assessments: AssessmentsService) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.run(), EVERY_MS);
    this.timer.unref();
    void this.run();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async run(): Promise<void> {
    try {
      const n = await this.assessments.expireLapsed();
      if (n) this.logger.log(`${n} questionnaire(s) expired`);
    } catch (err) {
      this.logger.error(`Expiry run failed: ${(err as Error).message}`);
    }
  }
}
