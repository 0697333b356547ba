import { Controller, Get, HttpCode } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/auth.decorators';
import { CommonErrorCode, CommonException } from '../common/errors/app-exception';
import { Readiness, ReadinessService } from './readiness.service';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly readiness: ReadinessService) {}

  /** Liveness: the process answers. */
  @Get()
  @Public()
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /**
   * Readiness: the database answers, no write transaction is stuck, no migration is pending and
   * the instance is not shutting down. Otherwise 503 (problem+json, with Retry-After) naming the
   * checks that failed.
   */
  @Get('ready')
  @Public()
  @HttpCode(200)
  @ApiOkResponse({ description: 'Ready to take traffic.' })
  @ApiServiceUnavailableResponse({ description: 'Not ready: `checks` says why.' })
  async ready(): Promise<{ status: 'ok' } & Readiness['checks']> {
    const { ready, checks } = await this.readiness.check();
    if (!ready) {
      const failed = Object.entries(checks).filter(([, v]) => v !== 'ok').map(([k]) => k);
      throw new CommonException(CommonErrorCode.Unavailable, `Not ready: ${failed.join(', ')}.`, undefined, { checks });
    }
    return { status: 'ok', ...checks };
  }
}
