import { Module } from '@nestjs/common';
import { DashboardController } from './dashboard.controller';
import { DashboardPagesController } from './dashboard-pages.controller';
import { DashboardService } from './dashboard.service';

@Module({
  controllers: [DashboardController, DashboardPagesController],
  providers: [DashboardService],
  exports: [DashboardService],
})
export class DashboardModule {}
