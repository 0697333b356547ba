import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module';
import { FirstAdminService } from './first-admin.service';
import { UserEntity } from './user.entity';
import { UserPagesController } from './user-pages.controller';
import { MeController, UsersController } from './users.controller';
import { UsersService } from './users.service';

@Module({
  imports: [TypeOrmModule.forFeature([UserEntity]), AuthModule],
  controllers: [UsersController, MeController, UserPagesController],
  providers: [UsersService, FirstAdminService],
  exports: [UsersService],
})
export class UsersModule {}
