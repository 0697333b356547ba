import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AssessmentsModule } from '../assessments/assessments.module';
import { PortalAccessModule } from '../portal/portal-access.module';
import { UsersModule } from '../users/users.module';
import { ReportsModule } from '../reports/reports.module';
import { ReviewCyclesModule } from '../review-cycles/review-cycles.module';
import { VendorsModule } from '../vendors/vendors.module';
import { FindingEntity } from './finding.entity';
import { FindingsController, ReviewsController } from './reviews.controller';
import { ReviewsService } from './reviews.service';
import { ReviewPagesController } from './review-pages.controller';
import { VendorAssessmentsSection } from './vendor-assessments.section';

@Module({
  imports: [TypeOrmModule.forFeature([FindingEntity]), AssessmentsModule, VendorsModule, UsersModule, PortalAccessModule, ReviewCyclesModule, ReportsModule],
  controllers: [ReviewsController, FindingsController, ReviewPagesController],
  providers: [ReviewsService, VendorAssessmentsSection],
  exports: [ReviewsService],
})
export class ReviewsModule {}
