import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { filterQuery, PageProblem, problemNotice } from '../common/forms/page-problems';
import { actorFromRequest } from '../audit/audit-context';
import { Authenticated } from '../auth/auth.decorators';
import { Permission } from '../auth/permissions';
import { AppException, FieldError } from '../common/errors/app-exception';
import { catalogEntry } from '../common/errors/error-catalog';
import { errorMap, field, FormBody, validateForm, validationProblem } from '../common/forms/form-body';
import { ID_PARAM } from '../common/http/id-param';
import { noticeFrom, renderPage } from '../common/http/page-renderer';
import { catalogueKeys, Locale } from '../i18n/i18n';
import { resolveLocale } from '../i18n/request-locale';
import { UsersService } from '../users/users.service';
import { VendorsService } from '../vendors/vendors.service';
import type { ClauseParam } from './clause-library';
import { ClauseLibraryService } from './clause-library.service';
import { gapText, paramValueText, reasonText, shownReasons, tr } from './clause-wording';
import { CLAUSE_STATUSES, type GapReport, type ParamValue } from './contract-gaps';
import { CONTRACT_STATUSES, CONTRACT_TYPES, MAX_RENEWAL_MONTHS } from './contract-terms';
import type { ContractClauseEntity } from './contract-clause.entity';
import type { ContractEntity } from './contract.entity';
import { ContractDetail, ContractsService } from './contracts.service';
import { UploadReader, UploadRoute } from '../storage/upload-reader';
import { ContractDto } from './dto/contract.dto';
import { CONTRACT_SORTS, ContractQueryDto, CreateContractDto, TerminateContractDto, UpdateChecklistDto, UpdateContractDto } from './dto/contract-input.dto';

/** The vendors offered in list filters and the vendor picker. */
const FILTER_VENDORS = 100;
const PICKER_PAGES = 10;
const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;

/** Field errors translated for the contract pages. */
export type PageError = string | { key: string; params: Record<string, string | number> };

const KNOWN_KEYS = new Set(catalogueKeys('en'));

/**
 * Field errors of the contract forms: `contracts.error.<path>.<rule>` where the catalogue has it
 * (the same field can fail for different reasons), else `contracts.error.<path>`, else the shared
 * validation messages.
 */
export function contractErrors(errors: FieldError[] | undefined, prefix = 'contracts.error.'): Record<string, string> {
  const map: Record<string, string> = {};
  for (const e of errors ?? []) {
    if (map[e.path]) continue;
    const own = [`${prefix}${e.path}.${e.rule ?? ''}`, `${prefix}${e.path}`].find((k) => KNOWN_KEYS.has(k));
    map[e.path] = own ?? errorMap([e])[e.path];
  }
  return map;
}

// ---- texts of the clause checklist, shared with the vendor page ----

// ---- the forms ----

const CONTRACT_FIELDS = ['vendorId', 'title', 'reference', 'type', 'counterparty', 'state', 'effectiveDate', 'expiryDate', 'autoRenewal', 'renewalMonths', 'noticeDays', 'value', 'currency', 'ownerId', 'notes', 'version'] as const;
type ContractForm = Record<(typeof CONTRACT_FIELDS)[number], string>;

function contractForm(body: FormBody): ContractForm {
  return Object.fromEntries(CONTRACT_FIELDS.map((f) => [f, field(body, f)])) as ContractForm;
}

/** A whole number typed in a form; anything else is passed on as typed for the validator to refuse. */
function formInteger(raw: string): number | string | undefined {
  const s = raw.trim();
  if (s === '') return undefined;
  return /^-?\d{1,9}$/.test(s) ? Number(s) : s;
}

/** The form values of a stored contract, by field name. */
function contractToForm(c: ContractEntity): ContractForm {
  return {
    vendorId: c.vendorId,
    title: c.title,
    reference: c.reference ?? '',
    type: c.type,
    counterparty: c.counterparty,
    state: c.state,
    effectiveDate: c.effectiveDate,
    expiryDate: c.expiryDate ?? '',
    autoRenewal: c.autoRenewal ? 'true' : '',
    renewalMonths: c.renewalMonths === null ? '' : String(c.renewalMonths),
    noticeDays: c.noticeDays === null ? '' : String(c.noticeDays),
    value: c.value ?? '',
    currency: c.currency ?? '',
    ownerId: c.ownerId,
    notes: c.notes ?? '',
    version: String(c.version),
  };
}

/** The checklist form's field name of one clause's field, e.g. `gdpr.breach.processor.params.notify_hours`. */
const clauseField = (clauseKey: string, name: string) => `${clauseKey}.${name}`;

/** The checklist form values of the saved entries, by field name. */
function checklistToForm(entries: readonly ContractClauseEntity[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of entries) {
    out[clauseField(e.clauseKey, 'status')] = e.status;
    out[clauseField(e.clauseKey, 'sectionRef')] = e.sectionRef ?? '';
    out[clauseField(e.clauseKey, 'notes')] = e.notes ?? '';
    out[clauseField(e.clauseKey, 'reason')] = e.reason ?? '';
    for (const [k, v] of Object.entries(e.params ?? {})) out[clauseField(e.clauseKey, `params.${k}`)] = String(v);
  }
  return out;
}

/** A parameter typed in the checklist form; what cannot be read as its type is passed on for the service to refuse. */
function formParam(p: ClauseParam, raw: string): ParamValue {
  if (p.type === 'boolean') return raw === 'true' ? true : raw === 'false' ? false : raw;
  if (p.type === 'text') return raw;
  return /^-?\d{1,15}(\.\d{1,6})?$/.test(raw) ? Number(raw) : raw;
}

/** What a parameter accepts, for an error next to its input. */
function paramError(p: ClauseParam | undefined): PageError {
  if (!p) return 'validation.whitelistValidation';
  if (p.type === 'boolean') return 'validation.isIn';
  if (p.type === 'text') return 'contracts.error.param_text';
  const kind = p.type === 'integer' ? 'integer' : 'number';
  if (p.min !== undefined && p.max !== undefined) return { key: `contracts.error.param_${kind}_range`, params: { min: p.min, max: p.max } };
  if (p.min !== undefined) return { key: `contracts.error.param_${kind}_min`, params: { min: p.min } };
  return `contracts.error.param_${kind}`;
}

const CHECKLIST_MESSAGES: Record<string, string> = {
  status: 'validation.isIn',
  sectionRef: 'contracts.error.section_ref',
  notes: 'contracts.error.clause_notes',
  reason: 'contracts.error.na_reason',
};

/** Contracts' pages: the list, the form, one contract with its clause checklist, and the moves on it. */
@ApiExcludeController()
@Controller('contracts')
export class ContractPagesController {
  constructor(
    private readonly contracts: ContractsService,
    private readonly library: ClauseLibraryService,
    private readonly vendors: VendorsService,
    private readonly users: UsersService,
    private readonly uploads: UploadReader,
  ) {}

  @Get()
  @Authenticated({ permission: Permission.ContractRead })
  async list(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const { dto: query, errors } = await validateForm(ContractQueryDto, filterQuery(req));
    if (errors.length) throw validationProblem(errors);
    const [result, vendors] = await Promise.all([this.contracts.list(query), this.vendors.choices(query.vendorId)]);
    const vendorNames: Record<string, string> = Object.fromEntries(vendors.map((v) => [v.id, v.name]));
    const missing = [...new Set(result.items.map((v) => v.contract.vendorId))].filter((id) => !vendorNames[id]);
    for (const found of await Promise.all(missing.map((id) => this.vendors.get(id).catch(() => null)))) if (found) vendorNames[found.vendor.id] = found.vendor.name;
    const today = this.contracts.today();
    return renderPage(req, reply, 'contracts/list', {
      query,
      result: { total: result.total, items: result.items.map((v) => ContractDto.from(v.contract, today)) },
      vendors,
      vendorNames,
      statuses: CONTRACT_STATUSES,
      types: CONTRACT_TYPES,
      sorts: CONTRACT_SORTS,
      notice: noticeFrom(req),
    });
  }

  @Get('new')
  @Authenticated({ permission: Permission.ContractManage })
  async newForm(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const raw = (req.query as Record<string, unknown>).vendorId;
    const vendorId = typeof raw === 'string' && raw !== '' ? raw : '';
    if (vendorId) {
      const { errors } = await validateForm(ContractQueryDto, { vendorId });
      if (errors.length) throw validationProblem(errors);
    }
    const values = { ...contractForm({}), vendorId, state: 'active', type: 'dpa' };
    return this.renderForm(req, reply, { mode: 'create', values, errors: {} });
  }

  @Post()
  @Authenticated({ permission: Permission.ContractManage })
  async create(@Body() body: FormBody, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const values = contractForm(body);
    const input = {
      vendorId: values.vendorId,
      title: values.title,
      reference: values.reference.trim() || undefined,
      type: values.type,
      counterparty: values.counterparty.trim() || undefined,
      state: values.state || undefined,
      effectiveDate: values.effectiveDate.trim(),
      expiryDate: values.expiryDate.trim() || undefined,
      autoRenewal: values.autoRenewal === 'true',
      renewalMonths: formInteger(values.renewalMonths),
      noticeDays: formInteger(values.noticeDays),
      value: values.value.trim() || undefined,
      currency: values.currency.trim() || undefined,
      ownerId: values.ownerId || undefined,
      notes: values.notes.trim() || undefined,
    };
    const again = (errors: Record<string, string>, status: number, problem: PageProblem | null = null) => this.renderForm(req, reply, { mode: 'create', values, errors, problem }, status);
    const { dto, errors } = await validateForm(CreateContractDto, input);
    if (errors.length) return again(contractErrors(errors), 400);
    try {
      const created = await this.contracts.create(dto, actorFromRequest(req));
      return reply.redirect(`/contracts/${created.id}?notice=created`, 303);
    } catch (err) {
      if (err instanceof AppException && err.fieldErrors) return again(contractErrors(err.fieldErrors), catalogEntry(err.code).status);
      const p = problemNotice(err);
      return again({}, p.status, p);
    }
  }

  @Get(':id')
  @Authenticated({ permission: Permission.ContractRead })
  async detail(@Param('id', ID_PARAM) id: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    return this.renderDetail(req, reply, id, { notice: noticeFrom(req) });
  }

  @Get(':id/edit')
  @Authenticated({ permission: Permission.ContractManage })
  async editForm(@Param('id', ID_PARAM) id: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const { contract } = await this.contracts.get(id);
    if (contract.state === 'terminated') return this.renderDetail(req, reply, id, { problem: { code: 'contract.terminated', status: 409, detail: null, allowed: [] } }, 409);
    return this.renderForm(req, reply, { mode: 'edit', contract, values: contractToForm(contract), errors: {} });
  }

  @Post(':id')
  @Authenticated({ permission: Permission.ContractManage })
  async update(@Param('id', ID_PARAM) id: string, @Body() body: FormBody, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const { contract } = await this.contracts.get(id);
    const values = { ...contractForm(body), vendorId: contract.vendorId };
    const renewalMonths = formInteger(values.renewalMonths);
    const noticeDays = formInteger(values.noticeDays);
    const input = {
      version: Number(values.version) || values.version,
      title: values.title,
      reference: values.reference.trim() || null,
      type: values.type,
      counterparty: values.counterparty,
      // Only a draft offers the state; an active contract cannot go back.
      ...(values.state ? { state: values.state } : {}),
      effectiveDate: values.effectiveDate.trim(),
      expiryDate: values.expiryDate.trim() || null,
      autoRenewal: values.autoRenewal === 'true',
      renewalMonths: renewalMonths ?? null,
      noticeDays: noticeDays ?? null,
      value: values.value.trim() || null,
      currency: values.currency.trim() || null,
      // The owner is sent only when changed: a former owner who has left stays until someone picks another.
      ...(values.ownerId && values.ownerId !== contract.ownerId ? { ownerId: values.ownerId } : {}),
      notes: values.notes.trim() || null,
    };
    const again = (errors: Record<string, string>, status: number, extra: Record<string, unknown> = {}) =>
      this.renderForm(req, reply, { mode: 'edit', contract, values, errors, ...extra }, status);
    const { dto, errors } = await validateForm(UpdateContractDto, input);
    if (errors.length) return again(contractErrors(errors), 400);
    try {
      await this.contracts.update(id, dto, actorFromRequest(req));
    } catch (err) {
      if (err instanceof AppException && err.fieldErrors) return again(contractErrors(err.fieldErrors), catalogEntry(err.code).status);
      const p = problemNotice(err);
      if (p.code !== 'contract.version_conflict') return again({}, p.status, { problem: p });
      // After a conflict the form carries the current version, the input is kept, and what is stored now is shown beside it.
      const { contract: current } = await this.contracts.get(id);
      const stored = contractToForm(current);
      const changed = CONTRACT_FIELDS.filter((f) => f !== 'version' && f !== 'vendorId' && (stored[f] ?? '') !== (values[f] ?? '').trim());
      return again({}, p.status, { contract: current, values: { ...values, version: stored.version }, problem: p, conflict: { stored, changed } });
    }
    return reply.redirect(`/contracts/${id}?notice=updated`, 303);
  }

  @Post(':id/terminate')
  @Authenticated({ permission: Permission.ContractManage })
  async terminate(@Param('id', ID_PARAM) id: string, @Body() body: FormBody, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const values = { version: field(body, 'version'), terminatedOn: field(body, 'terminatedOn').trim(), reason: field(body, 'reason') };
    const again = (errors: Record<string, string>, status: number, problem: PageProblem | null = null) =>
      this.renderDetail(req, reply, id, { terminate: { values: problem ? { ...values, version: '' } : values, errors }, problem }, status);
    const { dto, errors } = await validateForm(TerminateContractDto, { ...values, version: Number(values.version) || values.version });
    if (errors.length) return again(contractErrors(errors), 400);
    try {
      await this.contracts.terminate(id, dto, actorFromRequest(req));
    } catch (err) {
      if (err instanceof AppException && err.fieldErrors) return again(contractErrors(err.fieldErrors), catalogEntry(err.code).status);
      const p = problemNotice(err);
      return again({}, p.status, p);
    }
    return reply.redirect(`/contracts/${id}?notice=terminated`, 303);
  }

  /** The signed document (multipart: `_csrf`, `version`, `file`), checked by content like evidence. */
  @Post(':id/document')
  @Authenticated({ permission: Permission.ContractManage })
  @UploadRoute()
  async document(@Param('id', ID_PARAM) id: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    return this.uploads.receive(req, async ({ fields, file }) => {
      const raw = fields.version ?? '';
      const version = /^\d{1,9}$/.test(raw) ? Number(raw) : 0;
      const refused = (p: PageProblem) => this.renderDetail(req, reply, id, { problem: p }, p.status);
      if (!file || file.size === 0 || file.filename === '') {
        return refused({ code: 'storage.no_file', status: 400, detail: null, allowed: [] });
      }
      if (version < 1) return refused({ code: 'version_missing', status: 400, detail: null, allowed: [] });
      try {
        await this.contracts.attachDocument(id, file, version, actorFromRequest(req));
      } catch (err) {
        return refused(problemNotice(err, [400, 409, 413, 415]));
      }
      return reply.redirect(`/contracts/${id}?notice=document_attached`, 303);
    });
  }

  /**
   * The whole checklist in one post: for each clause that applies, its status, section, parameters,
   * notes and reason (`<clause key>.<field>`). Rows left empty that were never saved are skipped.
   */
  @Post(':id/checklist')
  @Authenticated({ permission: Permission.ContractChecklist })
  async checklist(@Param('id', ID_PARAM) id: string, @Body() body: FormBody, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const d = await this.contracts.get(id);
    const values: Record<string, string> = { version: field(body, 'version') };
    const entries: Array<{ clause: string; status: string; sectionRef: string | null; params: Record<string, ParamValue> | null; notes: string | null; reason: string | null }> = [];
    const own: Record<string, PageError> = {};
    for (const { clause } of d.gaps.clauses) {
      const read = (name: string) => (values[clauseField(clause.key, name)] = field(body, clauseField(clause.key, name)).trim());
      const [status, sectionRef, notes, reason] = [read('status'), read('sectionRef'), read('notes'), read('reason')];
      const params: Record<string, ParamValue> = {};
      for (const p of clause.params ?? []) {
        const raw = read(`params.${p.key}`);
        if (raw !== '') params[p.key] = formParam(p, raw);
      }
      const hasParams = Object.keys(params).length > 0;
      if (!status && !sectionRef && !notes && !reason && !hasParams) continue;
      if (!status) {
        own[clauseField(clause.key, 'status')] = 'contracts.error.status_required';
        continue;
      }
      entries.push({ clause: clause.key, status, sectionRef: sectionRef || null, params: hasParams ? params : null, notes: notes || null, reason: reason || null });
    }
    const again = (errors: Record<string, PageError>, status: number, problem: PageProblem | null = null) =>
      this.renderDetail(req, reply, id, { checklistForm: { values: problem ? { ...values, version: '' } : values, errors }, problem }, status);
    /** An error path of the sent entries (`entries.3.params.notify_hours`) as the form's field of that clause. */
    const toField = (errors: FieldError[]): Record<string, PageError> => {
      const out: Record<string, PageError> = {};
      for (const e of errors) {
        const m = /^entries\.(\d+)\.(.+)$/.exec(e.path);
        const entry = m ? entries[Number(m[1])] : undefined;
        if (!m || !entry) {
          out[e.path === 'version' ? 'version' : '_form'] ??= e.path === 'version' ? 'contracts.error.version' : e.message;
          continue;
        }
        const rest = m[2];
        const name = clauseField(entry.clause, rest);
        if (rest.startsWith('params.')) out[name] ??= paramError(this.library.library.byKey.get(entry.clause)?.params?.find((p) => p.key === rest.slice('params.'.length)));
        else out[name] ??= CHECKLIST_MESSAGES[rest] ?? errorMap([e])[e.path];
      }
      return out;
    };
    if (Object.keys(own).length) return again(own, 400);
    if (!entries.length) return reply.redirect(`/contracts/${id}?notice=checklist_unchanged#checklist`, 303);
    const { dto, errors } = await validateForm(UpdateChecklistDto, { version: Number(values.version) || values.version, entries });
    if (errors.length) return again(toField(errors), 400);
    try {
      await this.contracts.updateChecklist(id, dto, actorFromRequest(req));
    } catch (err) {
      if (err instanceof AppException && err.fieldErrors) return again(toField(err.fieldErrors), catalogEntry(err.code).status);
      const p = problemNotice(err);
      return again({}, p.status, p);
    }
    return reply.redirect(`/contracts/${id}?notice=checklist_saved#checklist`, 303);
  }

  private async renderDetail(req: FastifyRequest, reply: FastifyReply, id: string, extra: Record<string, unknown>, status = 200) {
    const d = await this.contracts.get(id);
    const staff = await this.users.directory();
    const locale = resolveLocale(req);
    const today = this.contracts.today();
    return renderPage(
      req,
      reply,
      'contracts/detail',
      {
        c: ContractDto.from(d.contract, today),
        vendor: d.vendor,
        staffNames: Object.fromEntries(staff.map((u) => [u.id, u.name])),
        checklist: checklistView(d, locale, this.library.library.sets),
        clauseStatuses: CLAUSE_STATUSES,
        today,
        notice: null,
        problem: null,
        terminate: { values: { version: '', terminatedOn: today, reason: '' }, errors: {} },
        checklistForm: { values: { version: '', ...checklistToForm(d.entries) }, errors: {} },
        ...extra,
      },
      status,
    );
  }

  private async renderForm(req: FastifyRequest, reply: FastifyReply, data: Record<string, unknown> & { values: ContractForm }, status = 200) {
    const staff = await this.users.directory();
    const vendorId = data.values.vendorId;
    const fixed = vendorId && data.mode === 'create' ? await this.vendors.get(vendorId).catch(() => null) : null;
    const vendor = data.mode === 'edit' ? (await this.vendors.get(data.values.vendorId)).vendor : (fixed?.vendor ?? null);
    // A contract cannot be added to an archived vendor: the form says so before anything is typed.
    const archived: PageProblem | null = data.mode === 'create' && vendor?.archivedAt ? { code: 'contract.vendor_archived', status: 409, detail: null, allowed: [] } : null;
    return renderPage(
      req,
      reply,
      'contracts/form',
      {
        vendor,
        vendors: vendor ? [] : await this.pickerVendors(),
        staff: staff.map((u) => ({ id: u.id, name: u.name })),
        types: CONTRACT_TYPES,
        maxRenewalMonths: MAX_RENEWAL_MONTHS,
        conflict: null,
        contract: null,
        ...data,
        problem: (data.problem as PageProblem | null | undefined) ?? archived,
      },
      status,
    );
  }


  /** The vendors a contract can be added to: every one not archived, by name. */
  private async pickerVendors(): Promise<Array<{ id: string; name: string }>> {
    const out: Array<{ id: string; name: string }> = [];
    for (let page = 1; page <= PICKER_PAGES; page++) {
      const { items, total } = await this.vendors.list({ page, pageSize: FILTER_VENDORS, sort: 'name' });
      out.push(...items.map((v) => ({ id: v.id, name: v.name })));
      if (out.length >= total || !items.length) break;
    }
    return out;
  }
}

/** The clause checklist of one contract as the detail page shows it, in the page's language. */
function checklistView(d: ContractDetail, locale: Locale, sets: ReadonlyArray<{ set: string; title: Record<Locale, string>; source: Record<Locale, string> }>) {
  const t = tr(locale);
  const report: GapReport = d.gaps;
  const entries = new Map(d.entries.map((e) => [e.clauseKey, e]));
  const rows = report.clauses.map((cov) => {
    const c = cov.clause;
    const own = entries.get(c.key) ?? null;
    return {
      key: c.key,
      anchor: 'cl-' + c.key.replace(/\./g, '-'),
      set: c.set,
      title: c.title[locale],
      explanation: c.explanation[locale],
      source: c.source,
      severity: c.severity,
      coverage: cov.coverage,
      reasons: shownReasons(cov.reasons).map((r) => reasonText(t, r, c)),
      gaps: cov.gaps.map((g) => ({ severity: g.severity, text: gapText(t, g, c, locale) })),
      entry: own,
      params: (c.params ?? []).map((p) => ({
        key: p.key,
        type: p.type,
        label: p.label[locale],
        help: p.help?.[locale] ?? null,
        required: p.required === true,
        min: p.min ?? null,
        max: p.max ?? null,
        value: own?.params && own.params[p.key] !== undefined ? paramValueText(t, p, own.params[p.key]) : null,
      })),
    };
  });
  const rowOf = new Map(rows.map((r) => [r.key, r]));
  return {
    counts: report.counts,
    groups: sets.map((s) => ({ set: s.set, title: s.title[locale], source: s.source[locale], rows: rows.filter((r) => r.set === s.set) })).filter((g) => g.rows.length > 0),
    gaps: report.gaps.map((g) => {
      const row = rowOf.get(g.clauseKey);
      const clause = report.clauses.find((x) => x.clause.key === g.clauseKey)?.clause;
      return { severity: g.severity, title: row?.title ?? g.clauseKey, anchor: row?.anchor ?? '', source: g.source, text: gapText(t, g, clause, locale) };
    }),
    notRequired: report.notRequired.map((a) => ({ key: a.clause.key, title: a.clause.title[locale], source: a.clause.source, reasons: a.reasons.map((r) => reasonText(t, r, a.clause)) })),
    severities: SEVERITIES,
  };
}
