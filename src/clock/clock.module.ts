import { Global, Module } from '@nestjs/common';
import { Clock, FixedClock, SystemClock } from './clock';

let fixedAt: Date | null = null;

/**
 * For command-line runs with `--now`: every service of an app built after this call reads this
 * moment as "now" (a FixedClock). Call it before creating the application context.
 */
export function useFixedClock(at: Date): void {
  fixedAt = at;
}

@Global()
@Module({
  providers: [{ provide: Clock, useFactory: (): Clock => (fixedAt ? new FixedClock(fixedAt) : new SystemClock()) }],
  exports: [Clock],
})
export class ClockModule {}
