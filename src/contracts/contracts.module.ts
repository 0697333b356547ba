import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClauseLibraryService } from './clause-library.service';
import { ContractClauseEntity } from './contract-clause.entity';
import { ContractEntity } from './contract.entity';
import { ContractsController } from './contracts.controller';
import { ContractsService } from './contracts.service';

@Module({
  imports: [TypeOrmModule.forFeature([ContractEntity, ContractClauseEntity])],
  controllers: [ContractsController],
  providers: [ClauseLibraryService, ContractsService],
  exports: [ContractsService, ClauseLibraryService],
})
export class ContractsModule {}
