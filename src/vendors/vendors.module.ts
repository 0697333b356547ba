import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UsersModule } from '../users/users.module';
import { UserEntity } from '../users/user.entity';
import { VendorEntity } from './vendor.entity';
import { VendorPagesController } from './vendor-pages.controller';
import { VendorsController } from './vendors.controller';
import { VendorsService } from './vendors.service';
import { VendorPageSections } from './vendor-page-sections';

@Module({
  imports: [TypeOrmModule.forFeature([VendorEntity, UserEntity]), UsersModule],
  controllers: [VendorsController, VendorPagesController],
  providers: [VendorsService, VendorPageSections],
  exports: [VendorsService, VendorPageSections],
})
export class VendorsModule {}
