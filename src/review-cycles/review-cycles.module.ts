import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AssessmentsModule } from '../assessments/assessments.module';
import { ContractsModule } from '../contracts/contracts.module';
import { QuestionnairesModule } from '../questionnaires/questionnaires.module';
import { UsersModule } from '../users/users.module';
import { VendorsModule } from '../vendors/vendors.module';
import { ReviewCyclePagesController } from './review-cycle-pages.controller';
import { ReviewCycleEntity } from './review-cycle.entity';
import { ReviewCyclesController } from './review-cycles.controller';
import { ReviewCyclesService } from './review-cycles.service';

@Module({
  imports: [TypeOrmModule.forFeature([ReviewCycleEntity]), AssessmentsModule, ContractsModule, VendorsModule, UsersModule, QuestionnairesModule],
  controllers: [ReviewCyclesController, ReviewCyclePagesController],
  providers: [ReviewCyclesService],
  exports: [ReviewCyclesService],
})
export class ReviewCyclesModule {}
