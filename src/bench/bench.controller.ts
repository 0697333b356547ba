import { Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Public } from '../auth/auth.decorators';
import { AppConfig } from '../config/app-config';

/**
 * The benchmark's bare baseline: one primary-key read through the same driver and the same
 * HTTP stack, with no auth or mapping. Answers 404 unless BENCH_ROUTES=true.
 */
@ApiExcludeController()
@Controller('api/bench')
export class BenchController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  @Get('baseline/:id')
  @Public()
  async baseline(@Param('id') id: string): Promise<unknown> {
    if (!this.config.BENCH_ROUTES) throw new NotFoundException();
    const rows: Array<{ id: string; name: string }> = await this.dataSource.query('SELECT id, name FROM vendors WHERE id = ?', [id]);
    if (!rows.length) throw new NotFoundException();
    return rows[0];
  }
}
