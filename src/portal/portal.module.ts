import { Module } from '@nestjs/common';
import { AssessmentsModule } from '../assessments/assessments.module';
import { PortalAccessModule } from './portal-access.module';
import { PortalApiController } from './portal-api.controller';
import { PortalPagesController } from './portal-pages.controller';
import { PortalService } from './portal.service';

/** The vendor's side: link exchange, the portal pages and the JSON API under /api/portal. */
@Module({
  imports: [AssessmentsModule, PortalAccessModule],
  controllers: [PortalApiController, PortalPagesController],
  providers: [PortalService],
})
export class PortalModule {}
