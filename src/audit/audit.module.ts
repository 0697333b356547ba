import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditController } from './audit.controller';
import { AuditPagesController } from './audit-pages.controller';
import { AuditEventEntity } from './audit-event.entity';
import { AuditService } from './audit.service';

/** Global so that every feature can append to the trail without importing it. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([AuditEventEntity])],
  controllers: [AuditController, AuditPagesController],
  providers: [AuditService],
  exports: [AuditService],
})
export class AuditModule {}
