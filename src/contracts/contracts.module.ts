import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UsersModule } from '../users/users.module';
import { VendorsModule } from '../vendors/vendors.module';
import { ClauseLibraryService } from './clause-library.service';
import { ContractClauseEntity } from './contract-clause.entity';
import { ContractPagesController } from './contract-pages.controller';
import { ContractEntity } from './contract.entity';
import { ContractsController } from './contracts.controller';
import { ContractsService } from './contracts.service';
import { VendorContractsSection } from './vendor-contracts.section';

@Module({
  imports: [TypeOrmModule.forFeature([ContractEntity, ContractClauseEntity]), VendorsModule, UsersModule],
  controllers: [ContractsController, ContractPagesController],
  providers: [ClauseLibraryService, ContractsService, VendorContractsSection],
  exports: [ContractsService, ClauseLibraryService],
})
export class ContractsModule {}
