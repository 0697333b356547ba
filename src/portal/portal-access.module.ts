import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PortalAccessService } from './portal-access.service';
import { PortalLinkEntity } from './portal-link.entity';
import { PortalSessionEntity } from './portal-session.entity';
import { PortalSessionGuard } from './portal-session.guard';

/** Portal links and sessions: used by sending (assessments) and by the vendor's pages (portal). */
@Module({
  imports: [TypeOrmModule.forFeature([PortalLinkEntity, PortalSessionEntity])],
  providers: [PortalAccessService, PortalSessionGuard],
  exports: [PortalAccessService, PortalSessionGuard],
})
export class PortalAccessModule {}
