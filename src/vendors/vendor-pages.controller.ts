import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { actorFromRequest } from '../audit/audit-context';
import { Authenticated } from '../auth/auth.decorators';
import { Permission } from '../auth/permissions';
import { AppException } from '../common/errors/app-exception';
import { errorMap, field, FormBody, validateForm, validationProblem } from '../common/forms/form-body';
import { ID_PARAM } from '../common/http/id-param';
import { noticeFrom, renderPage } from '../common/http/page-renderer';
import { UsersService } from '../users/users.service';
import { CreateVendorDto, ReasonDto, TierOverrideDto } from './dto/vendor-input.dto';
import { VendorQueryDto } from './dto/vendor-query.dto';
import { vendorFormToInput, vendorToFormValues } from './vendor-form';
import {
  ACCESS_LEVELS,
  CONTACT_LANGUAGES,
  CRITICALITIES,
  DATA_CATEGORIES,
  JURISDICTIONS,
  TIERS,
  VENDOR_CATEGORIES,
  VENDOR_SORTS,
  VENDOR_STATUSES,
  VOLUME_BANDS,
} from './vendor.enums';
import { VendorsService } from './vendors.service';
import { VendorPageSections } from './vendor-page-sections';

const OPTIONS = {
  categories: VENDOR_CATEGORIES,
  statuses: VENDOR_STATUSES,
  tiers: TIERS,
  languages: CONTACT_LANGUAGES,
  dataCategories: DATA_CATEGORIES,
  volumeBands: VOLUME_BANDS,
  accessLevels: ACCESS_LEVELS,
  criticalities: CRITICALITIES,
  jurisdictions: JURISDICTIONS,
  sorts: VENDOR_SORTS,
};

/** The register's pages: list, onboarding, detail, edit, tier override and archive. */
@ApiExcludeController()
@Controller('vendors')
export class VendorPagesController {
  constructor(
    private readonly vendors: VendorsService,
    private readonly users: UsersService,
    private readonly sections: VendorPageSections,
  ) {}

  @Get()
  @Authenticated({ permission: Permission.VendorRead })
  async list(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const { lang: _lang, notice: _notice, ...raw } = req.query as Record<string, unknown>;
    const { dto: query, errors } = await validateForm(VendorQueryDto, raw);
    if (errors.length) throw validationProblem(errors);
    const [result, owners] = await Promise.all([this.vendors.list(query), this.users.directory()]);
    return renderPage(req, reply, 'vendors/list', { ...OPTIONS, query, result, owners, notice: noticeFrom(req) });
  }

  @Get('new')
  @Authenticated({ permission: Permission.VendorCreate })
  async newForm(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const values = { ownerId: req.auth!.user.id, status: 'onboarding', 'contact.language': 'en', 'profile.volumeBand': 'under_1k', 'profile.accessLevel': 'none', 'profile.criticality': 'low' };
    return this.renderForm(req, reply, { values, errors: {}, mode: 'create' });
  }

  @Post()
  @Authenticated({ permission: Permission.VendorCreate })
  async create(@Body() body: FormBody, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const input = vendorFormToInput(body);
    if (!input.status) input.status = 'onboarding';
    const { dto, errors } = await validateForm(CreateVendorDto, input);
    if (errors.length) return this.renderForm(req, reply, { values: body, errors: errorMap(errors), mode: 'create' }, 400);
    try {
      const created = await this.vendors.create(dto, actorFromRequest(req));
      return reply.redirect(`/vendors/${created.vendor.id}?notice=created`, 303);
    } catch (err) {
      if (err instanceof AppException && err.fieldErrors) {
        return this.renderForm(req, reply, { values: body, errors: errorMap(err.fieldErrors), mode: 'create' }, 400);
      }
      throw err;
    }
  }

  @Get(':id')
  @Authenticated({ permission: Permission.VendorRead })
  async detail(@Param('id', ID_PARAM) id: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const detail = await this.vendors.get(id);
    const sections = await this.sections.collect(id);
    return renderPage(req, reply, 'vendors/detail', { ...OPTIONS, ...sections, ...detail, notice: noticeFrom(req), errors: {} });
  }

  @Get(':id/edit')
  @Authenticated({ permission: Permission.VendorUpdate })
  async editForm(@Param('id', ID_PARAM) id: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const { vendor } = await this.vendors.get(id);
    return this.renderForm(req, reply, { values: vendorToFormValues(vendor), errors: {}, mode: 'edit', vendor });
  }

  @Post(':id')
  @Authenticated({ permission: Permission.VendorUpdate })
  async update(@Param('id', ID_PARAM) id: string, @Body() body: FormBody, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const { vendor } = await this.vendors.get(id);
    const { dto, errors } = await validateForm(CreateVendorDto, vendorFormToInput(body));
    if (errors.length) return this.renderForm(req, reply, { values: body, errors: errorMap(errors), mode: 'edit', vendor }, 400);
    const version = Number(field(body, 'version')) || undefined;
    try {
      await this.vendors.update(id, { ...dto, version }, actorFromRequest(req));
      return reply.redirect(`/vendors/${id}?notice=updated`, 303);
    } catch (err) {
      if (err instanceof AppException && (err.fieldErrors || err.code === 'vendor.version_conflict')) {
        const errs = err.fieldErrors ? errorMap(err.fieldErrors) : { _form: err.detail ?? err.code };
        return this.renderForm(req, reply, { values: body, errors: errs, mode: 'edit', vendor }, err.fieldErrors ? 400 : 409);
      }
      throw err;
    }
  }

  @Post(':id/tier-override')
  @Authenticated({ permission: Permission.VendorTierOverride })
  async overrideTier(@Param('id', ID_PARAM) id: string, @Body() body: FormBody, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const { dto, errors } = await validateForm(TierOverrideDto, { tier: field(body, 'tier'), reason: field(body, 'reason') });
    if (errors.length) {
      const detail = await this.vendors.get(id);
      const sections = await this.sections.collect(id);
      return renderPage(req, reply, 'vendors/detail', { ...OPTIONS, ...sections, ...detail, notice: null, errors: errorMap(errors), overrideValues: body }, 400);
    }
    await this.vendors.overrideTier(id, dto.tier, dto.reason, actorFromRequest(req));
    return reply.redirect(`/vendors/${id}?notice=tier_overridden`, 303);
  }

  @Post(':id/tier-override/clear')
  @Authenticated({ permission: Permission.VendorTierOverride })
  async clearOverride(@Param('id', ID_PARAM) id: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    await this.vendors.clearOverride(id, undefined, actorFromRequest(req));
    return reply.redirect(`/vendors/${id}?notice=override_cleared`, 303);
  }

  @Post(':id/archive')
  @Authenticated({ permission: Permission.VendorArchive })
  async archive(@Param('id', ID_PARAM) id: string, @Body() body: FormBody, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const { dto, errors } = await validateForm(ReasonDto, { reason: field(body, 'reason') || undefined });
    if (errors.length) return reply.redirect(`/vendors/${id}?notice=archive_failed`, 303);
    await this.vendors.archive(id, dto.reason, actorFromRequest(req));
    return reply.redirect(`/vendors/${id}?notice=archived`, 303);
  }

  @Post(':id/restore')
  @Authenticated({ permission: Permission.VendorRestore })
  async restore(@Param('id', ID_PARAM) id: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    await this.vendors.restore(id, actorFromRequest(req));
    return reply.redirect(`/vendors/${id}?notice=restored`, 303);
  }

  private async renderForm(req: FastifyRequest, reply: FastifyReply, data: Record<string, unknown>, status = 200) {
    const owners = await this.users.directory();
    return renderPage(req, reply, 'vendors/form', { ...OPTIONS, owners, ...data }, status);
  }
}
