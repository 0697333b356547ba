import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AssessmentsModule } from '../assessments/assessments.module';
import { ContractsModule } from '../contracts/contracts.module';
import { ReviewCycleEntity } from './review-cycle.entity';
import { ReviewCyclesController } from './review-cycles.controller';
import { ReviewCyclesService } from './review-cycles.service';

@Module({
  imports: [TypeOrmModule.forFeature([ReviewCycleEntity]), AssessmentsModule, ContractsModule],
  controllers: [ReviewCyclesController],
  providers: [ReviewCyclesService],
  exports: [ReviewCyclesService],
})
export class ReviewCyclesModule {}
