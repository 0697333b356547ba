import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { actorFromRequest } from '../audit/audit-context';
import { Auth, Authenticated, Public } from '../auth/auth.decorators';
import type { AuthContext } from '../auth/auth-context';
import { CommonErrorCode, CommonException } from '../common/errors/app-exception';
import { CalendarService } from './calendar.service';
import { ReminderSettingsDto, ReminderSettingsInputDto } from './dto/reminder-settings.dto';
import { ReminderSettingsService } from './reminder-settings.service';

/** The calendar feed behind its secret URL: no session (calendar apps have none), the secret is the key. */
@ApiTags('reminders')
@Controller('calendar')
export class CalendarFeedController {
  constructor(private readonly calendar: CalendarService) {}

  @Get(':file')
  @Public()
  @ApiProduces('text/calendar')
  async feed(@Param('file') file: string, @Res() reply: FastifyReply): Promise<void> {
    const ics = file.endsWith('.ics') ? await this.calendar.feed(file.slice(0, -4)) : null;
    if (ics === null) throw new CommonException(CommonErrorCode.NotFound, 'There is no calendar at this address; make a new one under My account.');
    await reply.header('content-type', 'text/calendar; charset=utf-8').header('cache-control', 'private, no-store').header('content-disposition', 'inline; filename="vendor-reminders.ics"').send(ics);
  }
}

/** The caller's reminder delivery and calendar feed. */
@ApiTags('reminders')
@Controller('api/me')
export class ReminderSettingsController {
  constructor(
    private readonly settings: ReminderSettingsService,
    private readonly calendar: CalendarService,
  ) {}

  @Get('reminders')
  @Authenticated()
  @ApiOkResponse({ type: ReminderSettingsDto })
  async get(@Auth() auth: AuthContext): Promise<ReminderSettingsDto> {
    return this.settings.get(auth.user.id);
  }

  @Put('reminders')
  @Authenticated()
  @ApiOkResponse({ type: ReminderSettingsDto })
  async set(@Auth() auth: AuthContext, @Body() dto: ReminderSettingsInputDto, @Req() req: FastifyRequest): Promise<ReminderSettingsDto> {
    return this.settings.set(auth.user.id, dto, actorFromRequest(req));
  }

  /** A new secret calendar URL, shown this once; the previous URL stops working. */
  @Post('calendar')
  @HttpCode(200)
  @Authenticated()
  async regenerate(@Auth() auth: AuthContext, @Req() req: FastifyRequest): Promise<{ url: string }> {
    return { url: await this.calendar.regenerate(auth.user.id, actorFromRequest(req)) };
  }

  @Delete('calendar')
  @HttpCode(204)
  @Authenticated()
  async disable(@Auth() auth: AuthContext, @Req() req: FastifyRequest): Promise<void> {
    await this.calendar.disable(auth.user.id, actorFromRequest(req));
  }
}
