import { Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { AssessmentsModule } from './assessments/assessments.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { BenchModule } from './bench/bench.module';
import { ClockModule } from './clock/clock.module';
import { ApiValidationPipe } from './common/http/api-validation';
import { ProblemDetailsFilter } from './common/http/problem-details.filter';
import { validationException } from './common/http/problem-details';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { MailModule } from './mail/mail.module';
import { PortalModule } from './portal/portal.module';
import { QuestionnairesModule } from './questionnaires/questionnaires.module';
import { ReportsModule } from './reports/reports.module';
import { ReviewsModule } from './reviews/reviews.module';
import { ContractsModule } from './contracts/contracts.module';
import { DashboardModule } from './dashboard/dashboard.module';
import { RemindersModule } from './reminders/reminders.module';
import { ReviewCyclesModule } from './review-cycles/review-cycles.module';
import { ScheduleModule } from '@nestjs/schedule';
import { StorageModule } from './storage/storage.module';
import { UsersModule } from './users/users.module';
import { VendorsModule } from './vendors/vendors.module';

/** The whole portal. The pipe, filter and guard are APP_* providers so tests run the production pipeline. */
@Module({
  imports: [
    ConfigModule,
    ClockModule,
    DatabaseModule,
    MailModule,
    StorageModule,
    AuditModule,
    AuthModule,
    UsersModule,
    VendorsModule,
    QuestionnairesModule,
    AssessmentsModule,
    PortalModule,
    ReviewsModule,
    ContractsModule,
    ReviewCyclesModule,
    RemindersModule,
    DashboardModule,
    ReportsModule,
    ScheduleModule.forRoot(),
    HealthModule,
    BenchModule,
  ],
  providers: [
    {
      provide: APP_PIPE,
      useValue: new ApiValidationPipe({
        whitelist: true,
        forbidNonWhitelisted: true,
        transform: true,
        forbidUnknownValues: true,
        stopAtFirstError: true,
        validationError: { target: false, value: false },
        exceptionFactory: validationException,
      }),
    },
    { provide: APP_FILTER, useClass: ProblemDetailsFilter },
  ],
})
export class AppModule {}
