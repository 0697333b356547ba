import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';

export const REMINDER_DELIVERIES = ['immediate', 'digest'] as const;

export class ReminderSettingsInputDto {
  @ApiProperty({ enum: REMINDER_DELIVERIES, description: 'Each reminder in its own mail, or one daily digest' })
  @IsIn(REMINDER_DELIVERIES)
  delivery: 'immediate' | 'digest';
}

export class ReminderSettingsDto {
  @ApiProperty({ enum: REMINDER_DELIVERIES }) delivery: 'immediate' | 'digest';
  @ApiProperty({ description: 'Whether a calendar feed URL exists (its secret is never shown again)' }) calendarFeed: boolean;
  @ApiProperty({ description: 'Hour (UTC) from which the daily digest goes out' }) digestHour: number;
}
