import { Body, Controller, Post, Req, Res } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DataSource } from 'typeorm';
import { actorFromRequest } from '../audit/audit-context';
import { Authenticated } from '../auth/auth.decorators';
import { field, FormBody, validateForm } from '../common/forms/form-body';
import { renderPage } from '../common/http/page-renderer';
import { AppConfig } from '../config/app-config';
import { accountPage } from '../users/account-page';
import { UserEntity } from '../users/user.entity';
import { CalendarService } from './calendar.service';
import { ReminderSettingsInputDto } from './dto/reminder-settings.dto';
import { ReminderSettingsService } from './reminder-settings.service';

/**
 * The forms of the "Reminders" section of the account page (rendered by the users module):
 * how reminders are delivered, and the calendar feed's secret link. The link is shown once, in
 * the page that answers the post that made it: it never travels in a redirect, a query string or a log.
 */
@ApiExcludeController()
@Controller('account')
export class ReminderSettingsPagesController {
  constructor(
    private readonly settings: ReminderSettingsService,
    private readonly calendar: CalendarService,
    private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  @Post('reminders')
  @Authenticated()
  async setDelivery(@Body() body: FormBody, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const { dto, errors } = await validateForm(ReminderSettingsInputDto, { delivery: field(body, 'delivery') });
    // The one field is a choice of two: any error means neither was chosen.
    if (errors.length) return this.renderAccount(req, reply, { errors: { delivery: 'account.reminders.error' } }, 400);
    await this.settings.set(req.auth!.user.id, dto, actorFromRequest(req));
    return reply.redirect('/account?notice=reminders_saved#reminders', 303);
  }

  /** A new calendar link (the old one stops working), shown in this answer only. */
  @Post('calendar')
  @Authenticated()
  async regenerate(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const url = await this.calendar.regenerate(req.auth!.user.id, actorFromRequest(req));
    return this.renderAccount(req, reply, { calendarUrl: url });
  }

  @Post('calendar/off')
  @Authenticated()
  async disable(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    await this.calendar.disable(req.auth!.user.id, actorFromRequest(req));
    return reply.redirect('/account?notice=calendar_off#reminders', 303);
  }

  private async renderAccount(req: FastifyRequest, reply: FastifyReply, reminders: { errors?: Record<string, string>; calendarUrl?: string }, status = 200) {
    const me = await this.dataSource.getRepository(UserEntity).findOneByOrFail({ id: req.auth!.user.id });
    const page = accountPage(me, this.config.REMINDER_DIGEST_HOUR);
    return renderPage(req, reply, 'users/account', { ...page, reminders: { ...(page.reminders as object), ...reminders } }, status);
  }
}
