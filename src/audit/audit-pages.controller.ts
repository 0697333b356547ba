import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Authenticated } from '../auth/auth.decorators';
import { Permission } from '../auth/permissions';
import { validateForm, validationProblem } from '../common/forms/form-body';
import { renderPage } from '../common/http/page-renderer';
import { AuditService } from './audit.service';
import { AuditQueryDto } from './dto/audit-query.dto';

/** The audit trail as a page for admins, with the API's filters. */
@ApiExcludeController()
@Controller('admin/audit')
export class AuditPagesController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Authenticated({ permission: Permission.AuditRead })
  async list(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const { lang: _lang, ...raw } = req.query as Record<string, unknown>;
    const cleaned = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== ''));
    const { dto: query, errors } = await validateForm(AuditQueryDto, { pageSize: 50, ...cleaned });
    if (errors.length) throw validationProblem(errors);
    const result = await this.audit.list(query);
    return renderPage(req, reply, 'audit/list', { query, result });
  }
}
