import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AssessmentsModule } from '../assessments/assessments.module';
import { ContractsModule } from '../contracts/contracts.module';
import { QuestionnairesModule } from '../questionnaires/questionnaires.module';
import { ReportSnapshotEntity } from './report-snapshot.entity';
import { ReportsController } from './reports.controller';
import { ReportsService } from './reports.service';

/** PDF risk summaries per vendor and assessment, the portfolio report, and the snapshot stored when an assessment is completed. */
@Module({
  imports: [TypeOrmModule.forFeature([ReportSnapshotEntity]), AssessmentsModule, ContractsModule, QuestionnairesModule],
  controllers: [ReportsController],
  providers: [ReportsService],
  exports: [ReportsService],
})
export class ReportsModule {}
