import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { actorFromRequest } from '../audit/audit-context';
import { Authenticated } from '../auth/auth.decorators';
import { Permission } from '../auth/permissions';
import { ID_PARAM } from '../common/http/id-param';
import { PageDto, toPage } from '../common/http/pagination.dto';
import { CreateVendorDto, ReasonDto, TierInputDto, TierOverrideDto, UpdateVendorDto } from './dto/vendor-input.dto';
import { VendorQueryDto } from './dto/vendor-query.dto';
import { TierPreviewDto, VendorDto, VendorSummaryDto } from './dto/vendor.dto';
import { VendorDetail, VendorsService } from './vendors.service';

const toDto = (d: VendorDetail) => VendorDto.fromDetail(d.vendor, d.tier, d.reviewIntervalMonths);

@ApiTags('vendors')
@Controller('api/vendors')
export class VendorsController {
  constructor(private readonly vendors: VendorsService) {}

  @Get()
  @Authenticated({ permission: Permission.VendorRead })
  async list(@Query() query: VendorQueryDto): Promise<PageDto<VendorSummaryDto>> {
    return toPage(await this.vendors.list(query), query, VendorSummaryDto.from);
  }

  @Post()
  @Authenticated({ permission: Permission.VendorCreate })
  @ApiCreatedResponse({ type: VendorDto })
  async create(@Body() dto: CreateVendorDto, @Req() req: FastifyRequest): Promise<VendorDto> {
    return toDto(await this.vendors.create(dto, actorFromRequest(req)));
  }

  /** The tier a data profile would give, with its breakdown; saves nothing. */
  @Post('tier-preview')
  @HttpCode(200)
  @Authenticated({ permission: Permission.VendorRead })
  @ApiOkResponse({ type: TierPreviewDto })
  preview(@Body() dto: TierInputDto): TierPreviewDto {
    const r = this.vendors.preview(dto);
    return { tier: r.tier, pointsTier: r.pointsTier, score: r.score, breakdown: r.breakdown, floors: r.floors.map((f) => f.rule), reviewIntervalMonths: r.reviewIntervalMonths };
  }

  @Get(':id')
  @Authenticated({ permission: Permission.VendorRead })
  @ApiOkResponse({ type: VendorDto })
  async get(@Param('id', ID_PARAM) id: string): Promise<VendorDto> {
    return toDto(await this.vendors.get(id));
  }

  @Patch(':id')
  @Authenticated({ permission: Permission.VendorUpdate })
  @ApiOkResponse({ type: VendorDto })
  async update(@Param('id', ID_PARAM) id: string, @Body() dto: UpdateVendorDto, @Req() req: FastifyRequest): Promise<VendorDto> {
    return toDto(await this.vendors.update(id, dto, actorFromRequest(req)));
  }

  @Put(':id/tier-override')
  @Authenticated({ permission: Permission.VendorTierOverride })
  @ApiOkResponse({ type: VendorDto })
  async overrideTier(@Param('id', ID_PARAM) id: string, @Body() dto: TierOverrideDto, @Req() req: FastifyRequest): Promise<VendorDto> {
    return toDto(await this.vendors.overrideTier(id, dto.tier, dto.reason, actorFromRequest(req)));
  }

  @Delete(':id/tier-override')
  @Authenticated({ permission: Permission.VendorTierOverride })
  @ApiOkResponse({ type: VendorDto })
  async clearOverride(@Param('id', ID_PARAM) id: string, @Query() q: ReasonDto, @Req() req: FastifyRequest): Promise<VendorDto> {
    return toDto(await this.vendors.clearOverride(id, q.reason, actorFromRequest(req)));
  }

  @Post(':id/archive')
  @HttpCode(200)
  @Authenticated({ permission: Permission.VendorArchive })
  @ApiOkResponse({ type: VendorDto })
  async archive(@Param('id', ID_PARAM) id: string, @Body() dto: ReasonDto, @Req() req: FastifyRequest): Promise<VendorDto> {
    return toDto(await this.vendors.archive(id, dto.reason, actorFromRequest(req)));
  }

  @Post(':id/restore')
  @HttpCode(200)
  @Authenticated({ permission: Permission.VendorRestore })
  @ApiOkResponse({ type: VendorDto })
  async restore(@Param('id', ID_PARAM) id: string, @Req() req: FastifyRequest): Promise<VendorDto> {
    return toDto(await this.vendors.restore(id, actorFromRequest(req)));
  }
}
