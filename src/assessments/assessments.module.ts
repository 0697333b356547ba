import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PortalAccessModule } from '../portal/portal-access.module';
import { QuestionnairesModule } from '../questionnaires/questionnaires.module';
import { VendorsModule } from '../vendors/vendors.module';
import { VendorEntity } from '../vendors/vendor.entity';
import { AnswerEntity } from './answer.entity';
import { AssessmentModuleEntity } from './assessment-module.entity';
import { AssessmentEntity } from './assessment.entity';
import { AssessmentPagesController } from './assessment-pages.controller';
import { AssessmentsController } from './assessments.controller';
import { AssessmentsService } from './assessments.service';
import { AssessmentExportService } from './assessment-export.service';
import { AssessmentExpiryScheduler } from './assessment-expiry.scheduler';
import { EvidenceFileEntity } from './evidence-file.entity';

@Module({
  imports: [TypeOrmModule.forFeature([AssessmentEntity, AssessmentModuleEntity, AnswerEntity, EvidenceFileEntity, VendorEntity]), QuestionnairesModule, PortalAccessModule, VendorsModule],
  controllers: [AssessmentsController, AssessmentPagesController],
  providers: [AssessmentsService, AssessmentExpiryScheduler, AssessmentExportService],
  exports: [AssessmentsService],
})
export class AssessmentsModule {}
