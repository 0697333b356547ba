import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { actorFromRequest } from '../audit/audit-context';
import { Authenticated } from '../auth/auth.decorators';
import { Permission } from '../auth/permissions';
import { CommonErrorCode, CommonException } from '../common/errors/app-exception';
import { attachmentDisposition } from '../common/http/content-disposition';
import { ID_PARAM } from '../common/http/id-param';
import { PageDto, toPage } from '../common/http/pagination.dto';
import { isLocale, Locale } from '../i18n/i18n';
import { resolveLocale } from '../i18n/request-locale';
import { requireFile, UploadReader, UploadRoute } from '../storage/upload-reader';
import { ClauseLibraryService } from './clause-library.service';
import { ContractsService } from './contracts.service';
import { ContractQueryDto, CreateContractDto, TerminateContractDto, UpdateChecklistDto, UpdateContractDto } from './dto/contract-input.dto';
import { ChecklistEntryViewDto, ContractDto, gapReportDto, GapReportDto, libraryDto } from './dto/contract.dto';

const localeOf = (req: FastifyRequest, lang?: string): Locale => (isLocale(lang) ? lang : resolveLocale(req));

/** Contracts, their clause checklists and gap analyses; the clause library. */
@ApiTags('contracts')
@Controller('api')
export class ContractsController {
  constructor(
    private readonly contracts: ContractsService,
    private readonly library: ClauseLibraryService,
    private readonly uploads: UploadReader,
  ) {}

  @Get('contracts')
  @Authenticated({ permission: Permission.ContractRead })
  async list(@Query() q: ContractQueryDto): Promise<PageDto<ContractDto>> {
    const today = this.contracts.today();
    return toPage(await this.contracts.list(q), q, (v) => ContractDto.from(v.contract, today));
  }

  /** The clause library: every clause with its legal source, applicability rule and parameters, in both languages. */
  @Get('contracts/clauses')
  @Authenticated({ permission: Permission.ContractRead })
  clauses() {
    return libraryDto(this.library.library);
  }

  @Post('contracts')
  @Authenticated({ permission: Permission.ContractManage })
  @ApiCreatedResponse({ type: ContractDto })
  async create(@Body() dto: CreateContractDto, @Req() req: FastifyRequest): Promise<ContractDto> {
    return ContractDto.from(await this.contracts.create(dto, actorFromRequest(req)), this.contracts.today());
  }

  /** The contract, its clause checklist, and the gaps of this contract alone. */
  @Get('contracts/:id')
  @Authenticated({ permission: Permission.ContractRead })
  async detail(@Param('id', ID_PARAM) id: string, @Req() req: FastifyRequest, @Query('lang') lang?: string): Promise<{ contract: ContractDto; checklist: ChecklistEntryViewDto[]; gaps: GapReportDto }> {
    const d = await this.contracts.get(id);
    return { contract: ContractDto.from(d.contract, this.contracts.today()), checklist: d.entries.map(ChecklistEntryViewDto.from), gaps: gapReportDto(d.gaps, localeOf(req, lang)) };
  }

  @Patch('contracts/:id')
  @Authenticated({ permission: Permission.ContractManage })
  @ApiOkResponse({ type: ContractDto })
  async update(@Param('id', ID_PARAM) id: string, @Body() dto: UpdateContractDto, @Req() req: FastifyRequest): Promise<ContractDto> {
    return ContractDto.from(await this.contracts.update(id, dto, actorFromRequest(req)), this.contracts.today());
  }

  @Post('contracts/:id/terminate')
  @HttpCode(200)
  @Authenticated({ permission: Permission.ContractManage })
  @ApiOkResponse({ type: ContractDto })
  async terminate(@Param('id', ID_PARAM) id: string, @Body() dto: TerminateContractDto, @Req() req: FastifyRequest): Promise<ContractDto> {
    return ContractDto.from(await this.contracts.terminate(id, dto, actorFromRequest(req)), this.contracts.today());
  }

  /** Sets clause entries (the others keep theirs), all or nothing; answers with the new checklist and gaps. */
  @Patch('contracts/:id/checklist')
  @Authenticated({ permission: Permission.ContractChecklist })
  async checklist(
    @Param('id', ID_PARAM) id: string,
    @Body() dto: UpdateChecklistDto,
    @Req() req: FastifyRequest,
    @Query('lang') lang?: string,
  ): Promise<{ contract: ContractDto; checklist: ChecklistEntryViewDto[]; gaps: GapReportDto }> {
    const d = await this.contracts.updateChecklist(id, dto, actorFromRequest(req));
    return { contract: ContractDto.from(d.contract, this.contracts.today()), checklist: d.entries.map(ChecklistEntryViewDto.from), gaps: gapReportDto(d.gaps, localeOf(req, lang)) };
  }

  /** The signed document: multipart with a `file` and the contract's `version`. Checked by content like evidence. */
  @Post('contracts/:id/document')
  @HttpCode(200)
  @Authenticated({ permission: Permission.ContractManage })
  @UploadRoute()
  @ApiConsumes('multipart/form-data')
  @ApiOkResponse({ type: ContractDto })
  async attach(@Param('id', ID_PARAM) id: string, @Req() req: FastifyRequest): Promise<ContractDto> {
    return this.uploads.receive(req, async ({ fields, file }) =>
      ContractDto.from(await this.contracts.attachDocument(id, requireFile(file), multipartVersion(fields), actorFromRequest(req)), this.contracts.today()),
    );
  }

  @Get('contracts/:id/document')
  @Authenticated({ permission: Permission.ContractRead })
  async document(@Param('id', ID_PARAM) id: string, @Res() reply: FastifyReply): Promise<void> {
    const d = await this.contracts.document(id);
    await reply.header('content-type', d.mime).header('content-disposition', attachmentDisposition(d.name)).header('cache-control', 'no-store').send(d.data);
  }

  /** The vendor's clause coverage over its contracts in force: what the law requires that no contract carries. */
  @Get('vendors/:id/contract-gaps')
  @Authenticated({ permission: Permission.ContractRead })
  async vendorGaps(@Param('id', ID_PARAM) id: string, @Req() req: FastifyRequest, @Query('lang') lang?: string): Promise<{ contracts: ContractDto[]; gaps: GapReportDto }> {
    const r = await this.contracts.vendorReport(id);
    const today = this.contracts.today();
    return { contracts: r.contracts.map((v) => ContractDto.from(v.contract, today)), gaps: gapReportDto(r.gaps, localeOf(req, lang)) };
  }
}

/** The `version` field of a multipart body. */
function multipartVersion(fields: Record<string, string>): number {
  const raw = fields.version;
  const n = typeof raw === 'string' && /^\d{1,9}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < 1) {
    throw new CommonException(CommonErrorCode.Validation, 'Send the contract version you read in a field named "version".', [{ path: 'version', message: 'must be a positive integer', rule: 'isInt' }]);
  }
  return n;
}
