import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ReviewCyclesModule } from '../review-cycles/review-cycles.module';
import { CalendarFeedController, ReminderSettingsController } from './calendar.controller';
import { CalendarService } from './calendar.service';
import { ReminderEngine } from './reminder-engine.service';
import { ReminderOutboxEntity } from './reminder-outbox.entity';
import { ReminderScheduler } from './reminder.scheduler';
import { ReminderSettingsService } from './reminder-settings.service';
import { ReminderSettingsPagesController } from './reminder-settings-pages.controller';

@Module({
  imports: [TypeOrmModule.forFeature([ReminderOutboxEntity]), ReviewCyclesModule],
  controllers: [CalendarFeedController, ReminderSettingsController, ReminderSettingsPagesController],
  providers: [ReminderEngine, ReminderScheduler, CalendarService, ReminderSettingsService],
  exports: [ReminderEngine, ReminderSettingsService, CalendarService],
})
export class RemindersModule {}
