import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuditActor } from '../audit/audit-context';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../clock/clock';
import { AppConfig } from '../config/app-config';
import { UserEntity } from '../users/user.entity';
import type { ReminderSettingsDto, ReminderSettingsInputDto } from './dto/reminder-settings.dto';

/** A staff user's choice of reminder delivery. */
@Injectable()
export class ReminderSettingsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async get(userId: string): Promise<ReminderSettingsDto> {
    const u = await this.dataSource.getRepository(UserEntity).findOneOrFail({ select: { id: true, reminderDelivery: true, calendarTokenHash: true }, where: { id: userId } });
    return { delivery: u.reminderDelivery, calendarFeed: u.calendarTokenHash !== null, digestHour: this.config.REMINDER_DIGEST_HOUR };
  }

  async set(userId: string, dto: ReminderSettingsInputDto, actor: AuditActor): Promise<ReminderSettingsDto> {
    await this.dataSource.transaction(async (m) => {
      const before = await m.getRepository(UserEntity).findOneOrFail({ select: { id: true, reminderDelivery: true }, where: { id: userId } });
      if (before.reminderDelivery === dto.delivery) return;
      await m.getRepository(UserEntity).update({ id: userId }, { reminderDelivery: dto.delivery, updatedAt: this.clock.now() });
      await this.audit.record(actor, { action: 'user.reminder_settings', targetType: 'user', targetId: userId, changes: { reminderDelivery: { before: before.reminderDelivery, after: dto.delivery } } }, m);
    });
    return this.get(userId);
  }
}
