import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../auth/auth.decorators';
import { Permission } from '../auth/permissions';
import { PageDto, toPage } from '../common/http/pagination.dto';
import { AuditService } from './audit.service';
import { AuditEventDto } from './dto/audit-event.dto';
import { AuditQueryDto } from './dto/audit-query.dto';

@ApiTags('audit')
@Controller('api/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Authenticated({ permission: Permission.AuditRead })
  async list(@Query() query: AuditQueryDto): Promise<PageDto<AuditEventDto>> {
    return toPage(await this.audit.list(query), query, AuditEventDto.from);
  }
}
