import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UserEntity } from '../users/user.entity';
import { AuthController } from './auth.controller';
import { AuthPagesController } from './auth-pages.controller';
import { AuthService } from './auth.service';
import { LocalStrategy } from './local.strategy';
import { PasswordHasher } from './password-hasher';
import { SessionEntity } from './session.entity';
import { SessionAuthGuard } from './session-auth.guard';
import { SessionService } from './session.service';

@Module({
  imports: [PassportModule, TypeOrmModule.forFeature([SessionEntity, UserEntity])],
  controllers: [AuthController, AuthPagesController],
  providers: [AuthService, LocalStrategy, PasswordHasher, SessionService, { provide: APP_GUARD, useClass: SessionAuthGuard }],
  exports: [AuthService, PasswordHasher, SessionService],
})
export class AuthModule {}
