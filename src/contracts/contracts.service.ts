import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Brackets, DataSource, EntityManager, In, Repository } from 'typeorm';
import { AuditActor, SYSTEM_ACTOR } from '../audit/audit-context';
import { AuditService } from '../audit/audit.service';
import { diffFields } from '../audit/field-diff';
import { Clock } from '../clock/clock';
import type { FieldError } from '../common/errors/app-exception';
import { addDays, toIsoDate } from '../common/dates';
import { containsPattern, LIKE_ESCAPE } from '../common/sql-like';
import { EvidenceStore } from '../storage/evidence-store';
import { EvidenceUploadService, UploadInput } from '../storage/storage.service';
import { UserEntity } from '../users/user.entity';
import { VendorEntity } from '../vendors/vendor.entity';
import type { DataProfile } from './clause-applicability';
import type { ClauseParam } from './clause-library';
import { ClauseLibraryService } from './clause-library.service';
import { ChecklistEntry, ContractChecklist, contractGaps, GapReport, IN_FORCE, ParamValue, vendorGaps } from './contract-gaps';
import { ContractClauseEntity } from './contract-clause.entity';
import { contractStatus, ContractStatus, currentTermEnd, EXPIRING_WITHIN_DAYS, noticeDeadline, termProblems } from './contract-terms';
import { ContractEntity } from './contract.entity';
import { ContractErrorCode, ContractException } from './contract.exception';
import type { ChecklistEntryDto, ContractQueryDto, CreateContractDto, TerminateContractDto, UpdateChecklistDto, UpdateContractDto } from './dto/contract-input.dto';

export interface ContractView {
  contract: ContractEntity;
  status: ContractStatus;
}

export interface ContractDetail extends ContractView {
  vendor: VendorEntity;
  entries: ContractClauseEntity[];
  /** The applicable clauses this contract alone carries or lacks. */
  gaps: GapReport;
}

/** Fields whose changes the audit trail records. */
const AUDITED: ReadonlyArray<keyof ContractEntity> = [
  'title',
  'reference',
  'type',
  'counterparty',
  'state',
  'effectiveDate',
  'expiryDate',
  'autoRenewal',
  'renewalMonths',
  'noticeDays',
  'value',
  'currency',
  'ownerId',
  'notes',
];

const SORT_COLUMNS: Record<string, string> = { title: 'c.title', noticeDeadline: 'c.noticeDeadline', termEnd: 'c.termEnd', createdAt: 'c.createdAt' };

/** A vendor's clause coverage in numbers: clauses required, present, partial, missing, not applicable; gaps, and of those parameter gaps. */
export type VendorGapCounts = GapReport['counts'] & { paramGaps: number };

export function profileOfVendor(v: VendorEntity): DataProfile {
  return { dataCategories: v.dataCategories, jurisdictions: v.jurisdictions, crossBorder: v.crossBorder, tier: v.tier, volumeBand: v.volumeBand, category: v.category };
}

/**
 * Contracts of vendors: create, change with an optimistic version, terminate; the signed
 * document; the clause checklist; and the gap analysis per contract and per vendor.
 */
@Injectable()
export class ContractsService {
  constructor(
    @InjectRepository(ContractEntity) private readonly contracts: Repository<ContractEntity>,
    @InjectRepository(ContractClauseEntity) private readonly clauses: Repository<ContractClauseEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly library: ClauseLibraryService,
    private readonly audit: AuditService,
    private readonly uploads: EvidenceUploadService,
    private readonly store: EvidenceStore,
    private readonly clock: Clock,
  ) {}

  today(): string {
    return toIsoDate(this.clock.now());
  }

  async list(q: ContractQueryDto): Promise<{ items: ContractView[]; total: number }> {
    const today = this.today();
    const qb = this.contracts.createQueryBuilder('c');
    if (q.vendorId) qb.andWhere('c.vendorId = :vendorId', { vendorId: q.vendorId });
    if (q.type) qb.andWhere('c.type = :type', { type: q.type });
    if (q.q) {
      const like = containsPattern(q.q);
      qb.andWhere(new Brackets((w) => w.where(`c.title LIKE :like ${LIKE_ESCAPE}`, { like }).orWhere(`c.reference LIKE :like ${LIKE_ESCAPE}`).orWhere(`c.counterparty LIKE :like ${LIKE_ESCAPE}`)));
    }
    if (q.status) this.whereStatus(qb, q.status, today);
    if (q.noticeWithinDays !== undefined) {
      qb.andWhere("c.state = 'active' AND c.noticeDeadline >= :today AND c.noticeDeadline <= :noticeBy", { today, noticeBy: addDays(today, q.noticeWithinDays) });
    }
    const sort = q.sort ?? 'noticeDeadline';
    const desc = sort.startsWith('-');
    qb.orderBy(SORT_COLUMNS[sort.replace(/^-/, '')], desc ? 'DESC' : 'ASC').addOrderBy('c.id', 'ASC');
    qb.skip((q.page - 1) * q.pageSize).take(q.pageSize);
    const [items, total] = await qb.getManyAndCount();
    return { items: items.map((c) => ({ contract: c, status: contractStatus(c, today) })), total };
  }

  /**
   * The status filter in SQL, from the stored current term and notice deadline (the same rules
   * as `contractStatus`, which decides what is shown).
   */
  private whereStatus(qb: ReturnType<Repository<ContractEntity>['createQueryBuilder']>, status: ContractStatus, today: string): void {
    if (status === 'draft' || status === 'terminated') {
      qb.andWhere('c.state = :state', { state: status });
      return;
    }
    qb.andWhere("c.state = 'active'");
    qb.setParameters({ today, horizon: addDays(today, EXPIRING_WITHIN_DAYS), no: false, yes: true });
    if (status === 'expired') qb.andWhere('c.autoRenewal = :no AND c.termEnd < :today');
    else if (status === 'expiring') {
      qb.andWhere('((c.autoRenewal = :no AND c.termEnd >= :today AND c.termEnd <= :horizon) OR (c.autoRenewal = :yes AND c.noticeDeadline >= :today AND c.noticeDeadline <= :horizon))');
    } else {
      qb.andWhere(
        '(c.termEnd IS NULL OR (c.autoRenewal = :no AND c.termEnd > :horizon) OR (c.autoRenewal = :yes AND (c.noticeDeadline IS NULL OR c.noticeDeadline < :today OR c.noticeDeadline > :horizon)))',
      );
    }
  }

  /**
   * Rolls contracts that renewed by themselves into their current term: the stored term end and
   * notice deadline (which reminders and lists read) move on, audited as `contract.renew`.
   * Run by the reminder sweep; safe to run twice (the second finds nothing).
   */
  async rollTerms(today: string): Promise<number> {
    let rolled = 0;
    for (;;) {
      const due = await this.contracts
        .createQueryBuilder('c')
        .where("c.state = 'active' AND c.autoRenewal = :yes AND c.termEnd < :today", { yes: true, today })
        .orderBy('c.id', 'ASC')
        .take(500)
        .getMany();
      if (!due.length) return rolled;
      await this.dataSource.transaction(async (m) => {
        for (const c of due) {
          const before = { termEnd: c.termEnd, noticeDeadline: c.noticeDeadline };
          this.derive(c, today);
          await m.getRepository(ContractEntity).update({ id: c.id }, { termEnd: c.termEnd, noticeDeadline: c.noticeDeadline, version: () => 'version' });
          await this.audit.record(
            SYSTEM_ACTOR,
            { action: 'contract.renew', targetType: 'contract', targetId: c.id, changes: diffFields(before, c, ['termEnd', 'noticeDeadline']), details: { vendorId: c.vendorId } },
            m,
          );
        }
      });
      rolled += due.length;
    }
  }

  async get(id: string): Promise<ContractDetail> {
    const contract = await this.find(id);
    const [vendor, entries] = await Promise.all([
      this.dataSource.getRepository(VendorEntity).findOneByOrFail({ id: contract.vendorId }),
      this.clauses.find({ where: { contractId: id } }),
    ]);
    const status = contractStatus(contract, this.today());
    const gaps = contractGaps(this.library.library, profileOfVendor(vendor), { id, title: contract.title, status, entries: entries.map(toChecklistEntry) });
    return { contract, status, vendor, entries: this.inLibraryOrder(entries), gaps };
  }

  /** The vendor's clause coverage over its contracts in force. */
  async vendorReport(vendorId: string): Promise<{ vendor: VendorEntity; contracts: ContractView[]; gaps: GapReport }> {
    const vendor = await this.dataSource.getRepository(VendorEntity).findOneBy({ id: vendorId });
    if (!vendor) throw new ContractException(ContractErrorCode.NotFound, 'There is no such vendor.');
    const today = this.today();
    const contracts = await this.contracts.find({ where: { vendorId }, order: { effectiveDate: 'DESC', id: 'ASC' } });
    const entries = contracts.length ? await this.clauses.find({ where: { contractId: In(contracts.map((c) => c.id)) } }) : [];
    const byContract = new Map<string, ChecklistEntry[]>();
    for (const e of entries) byContract.set(e.contractId, [...(byContract.get(e.contractId) ?? []), toChecklistEntry(e)]);
    const views = contracts.map((c) => ({ contract: c, status: contractStatus(c, today) }));
    const gaps = vendorGaps(
      this.library.library,
      profileOfVendor(vendor),
      views.map((v) => ({ id: v.contract.id, title: v.contract.title, status: v.status, entries: byContract.get(v.contract.id) ?? [] })),
    );
    return { vendor, contracts: views, gaps };
  }

  /**
   * Clause coverage of many vendors at once (the portfolio report), as counts: the same gap
   * analysis as one vendor's, over their contracts in force. Vendors are taken 500 at a time
   * (their contracts and checklist entries in a few queries), and only the counts are kept, so
   * memory does not grow with the register.
   */
  async gapCountsOfVendors(vendors: readonly VendorEntity[]): Promise<Map<string, VendorGapCounts>> {
    const today = this.today();
    const out = new Map<string, VendorGapCounts>();
    for (let i = 0; i < vendors.length; i += 500) {
      const batch = vendors.slice(i, i + 500);
      const contracts = await this.contracts.find({ where: { vendorId: In(batch.map((v) => v.id)) }, order: { effectiveDate: 'DESC', id: 'ASC' } });
      const checklists = new Map<string, ContractChecklist[]>();
      const entries = new Map<string, ChecklistEntry[]>();
      const inForce = contracts.filter((c) => IN_FORCE.has(contractStatus(c, today))).map((c) => c.id);
      for (let j = 0; j < inForce.length; j += 500) {
        for (const e of await this.clauses.find({ where: { contractId: In(inForce.slice(j, j + 500)) } })) {
          const list = entries.get(e.contractId);
          if (list) list.push(toChecklistEntry(e));
          else entries.set(e.contractId, [toChecklistEntry(e)]);
        }
      }
      for (const c of contracts) {
        const checklist = { id: c.id, title: c.title, status: contractStatus(c, today), entries: entries.get(c.id) ?? [] };
        const list = checklists.get(c.vendorId);
        if (list) list.push(checklist);
        else checklists.set(c.vendorId, [checklist]);
      }
      for (const v of batch) {
        const report = vendorGaps(this.library.library, profileOfVendor(v), checklists.get(v.id) ?? []);
        out.set(v.id, { ...report.counts, paramGaps: report.gaps.filter((g) => g.kind.startsWith('param_')).length });
      }
    }
    return out;
  }

  async create(dto: CreateContractDto, actor: AuditActor): Promise<ContractEntity> {
    const vendor = await this.dataSource.getRepository(VendorEntity).findOneBy({ id: dto.vendorId });
    if (!vendor) throw new ContractException(ContractErrorCode.VendorNotFound, undefined, [{ path: 'vendorId', message: 'is not a vendor', rule: 'exists' }]);
    if (vendor.archivedAt) throw new ContractException(ContractErrorCode.VendorArchived, 'Restore the vendor before adding a contract.');
    const ownerId = dto.ownerId ?? vendor.ownerId;
    if (dto.ownerId) await this.checkOwner(dto.ownerId);
    const now = this.clock.now();
    const contract = this.contracts.create({
      id: randomUUID(),
      vendorId: vendor.id,
      title: dto.title,
      reference: dto.reference ?? null,
      type: dto.type,
      counterparty: dto.counterparty ?? vendor.legalEntity ?? vendor.name,
      state: dto.state ?? 'active',
      effectiveDate: dto.effectiveDate,
      expiryDate: dto.expiryDate ?? null,
      autoRenewal: dto.autoRenewal ?? false,
      renewalMonths: dto.renewalMonths ?? null,
      noticeDays: dto.noticeDays ?? null,
      value: dto.value ?? null,
      currency: dto.currency ?? null,
      ownerId,
      notes: dto.notes ?? null,
      documentKey: null,
      documentName: null,
      documentSha256: null,
      documentSize: null,
      documentMime: null,
      terminatedOn: null,
      terminationReason: null,
      createdBy: actor.actorId,
      createdAt: now,
      updatedAt: now,
      version: 1,
    });
    this.checkTerms(contract);
    this.derive(contract);
    await this.dataSource.transaction(async (m) => {
      await m.getRepository(ContractEntity).insert(contract);
      await this.audit.record(
        actor,
        { action: 'contract.create', targetType: 'contract', targetId: contract.id, changes: diffFields(null, contract, AUDITED), details: { vendorId: vendor.id } },
        m,
      );
    });
    return contract;
  }

  async update(id: string, dto: UpdateContractDto, actor: AuditActor): Promise<ContractEntity> {
    if (dto.ownerId) await this.checkOwner(dto.ownerId);
    return this.change(id, dto.version, async (c, m) => {
      if (c.state === 'terminated') throw new ContractException(ContractErrorCode.Terminated, 'A terminated contract cannot be changed.');
      if (dto.state === 'draft' && c.state === 'active') {
        throw new ContractException(ContractErrorCode.InvalidTerms, 'An active contract cannot go back to draft.', [{ path: 'state', message: 'cannot go back to draft', rule: 'transition' }]);
      }
      const before = { ...c };
      const { version: _v, ...fields } = dto;
      for (const [k, v] of Object.entries(fields)) if (v !== undefined) (c as unknown as Record<string, unknown>)[k] = v;
      this.checkTerms(c);
      this.derive(c);
      const changes = diffFields(before, c, AUDITED);
      await this.audit.record(actor, { action: 'contract.update', targetType: 'contract', targetId: c.id, changes, details: { vendorId: c.vendorId } }, m);
    });
  }

  async terminate(id: string, dto: TerminateContractDto, actor: AuditActor): Promise<ContractEntity> {
    return this.change(id, dto.version, async (c, m) => {
      if (c.state === 'terminated') throw new ContractException(ContractErrorCode.Terminated, 'The contract is already terminated.');
      if (dto.terminatedOn < c.effectiveDate) {
        throw new ContractException(ContractErrorCode.InvalidTerms, undefined, [{ path: 'terminatedOn', message: 'must not be before the effective date', rule: 'minDate' }]);
      }
      if (dto.terminatedOn > addDays(this.today(), 366)) {
        throw new ContractException(ContractErrorCode.InvalidTerms, undefined, [{ path: 'terminatedOn', message: 'must be within a year from today', rule: 'maxDate' }]);
      }
      const from = c.state;
      c.state = 'terminated';
      c.terminatedOn = dto.terminatedOn;
      c.terminationReason = dto.reason;
      await this.audit.record(
        actor,
        { action: 'contract.terminate', targetType: 'contract', targetId: c.id, changes: { state: { before: from, after: 'terminated' } }, details: { vendorId: c.vendorId, terminatedOn: dto.terminatedOn, reason: dto.reason } },
        m,
      );
    });
  }

  /** Sets checklist entries (others keep theirs), all or nothing, after checking each against the library. */
  async updateChecklist(id: string, dto: UpdateChecklistDto, actor: AuditActor): Promise<ContractDetail> {
    const errors = dto.entries.flatMap((e, i) => this.entryProblems(e, `entries.${i}`));
    if (errors.length) throw new ContractException(ContractErrorCode.InvalidChecklist, `${errors.length} checklist problem(s).`, errors);
    await this.change(id, dto.version, async (c, m) => {
      if (c.state === 'terminated') throw new ContractException(ContractErrorCode.Terminated, 'A terminated contract cannot be changed.');
      const repo = m.getRepository(ContractClauseEntity);
      const existing = new Map((await repo.find({ where: { contractId: id } })).map((e) => [e.clauseKey, e]));
      const now = this.clock.now();
      const changed: Record<string, { before: unknown; after: unknown }> = {};
      for (const e of dto.entries) {
        const next = {
          status: e.status,
          sectionRef: e.sectionRef || null,
          params: cleanParams(e.params),
          notes: e.notes || null,
          reason: e.status === 'not_applicable' ? (e.reason ?? null) : null,
        };
        const old = existing.get(e.clause);
        const before = old ? { status: old.status, sectionRef: old.sectionRef, params: old.params, notes: old.notes, reason: old.reason } : null;
        if (before && JSON.stringify(before) === JSON.stringify(next)) continue;
        if (old) await repo.update({ id: old.id }, { ...next, updatedBy: actor.actorId, updatedAt: now });
        else await repo.insert({ id: randomUUID(), contractId: id, clauseKey: e.clause, ...next, updatedBy: actor.actorId, updatedAt: now });
        changed[e.clause] = { before, after: next };
      }
      // Sending the checklist as it is (a form re-sends every saved row) is no change: no new version, no audit entry.
      if (!Object.keys(changed).length) return 'unchanged';
      await this.audit.record(actor, { action: 'contract.checklist', targetType: 'contract', targetId: id, changes: changed, details: { vendorId: c.vendorId } }, m);
    });
    return this.get(id);
  }

  async attachDocument(id: string, upload: UploadInput, version: number, actor: AuditActor): Promise<ContractEntity> {
    await this.find(id);
    const accepted = await this.uploads.acceptInput(upload);
    let replaced: string | null = null;
    try {
      const c = await this.change(id, version, async (c, m) => {
        if (c.state === 'terminated') throw new ContractException(ContractErrorCode.Terminated, 'A terminated contract cannot be changed.');
        replaced = c.documentKey;
        Object.assign(c, { documentKey: accepted.key, documentName: accepted.name, documentSha256: accepted.sha256, documentSize: accepted.size, documentMime: accepted.mime });
        await this.audit.record(
          actor,
          { action: 'contract.document', targetType: 'contract', targetId: c.id, details: { vendorId: c.vendorId, name: accepted.name, size: accepted.size, sha256: accepted.sha256 } },
          m,
        );
      });
      if (replaced) await this.store.remove(replaced).catch(() => undefined);
      return c;
    } catch (err) {
      await this.store.remove(accepted.key).catch(() => undefined);
      throw err;
    }
  }

  async document(id: string): Promise<{ name: string; mime: string; data: Buffer }> {
    const c = await this.find(id);
    if (!c.documentKey || !c.documentName || !c.documentMime) throw new ContractException(ContractErrorCode.NoDocument);
    return { name: c.documentName, mime: c.documentMime, data: await this.store.read(c.documentKey) };
  }

  private async find(id: string): Promise<ContractEntity> {
    const c = await this.contracts.findOneBy({ id });
    if (!c) throw new ContractException(ContractErrorCode.NotFound);
    return c;
  }

  /**
   * Applies a change if nobody changed the contract since `version`, in one transaction with its
   * audit entry; `fn` answers 'unchanged' when there was nothing to write.
   */
  private async change(id: string, version: number, fn: (c: ContractEntity, m: EntityManager) => Promise<void | 'unchanged'>): Promise<ContractEntity> {
    return this.dataSource.transaction(async (m) => {
      const repo = m.getRepository(ContractEntity);
      const c = await repo.findOneBy({ id });
      if (!c) throw new ContractException(ContractErrorCode.NotFound);
      if (c.version !== version) throw this.conflict(c);
      if ((await fn(c, m)) === 'unchanged') return c;
      c.updatedAt = this.clock.now();
      const { version: _v, vendor: _vendor, owner: _owner, ...columns } = c;
      const result = await repo.update({ id, version }, { ...columns, version: version + 1 });
      if (!result.affected) throw this.conflict(c);
      c.version = version + 1;
      return c;
    });
  }

  private conflict(c: ContractEntity): ContractException {
    return new ContractException(ContractErrorCode.VersionConflict, 'Someone changed the contract after you opened it; reload and apply your change again.', undefined, { currentVersion: c.version });
  }

  private checkTerms(c: ContractEntity): void {
    const problems: FieldError[] = termProblems(c);
    if ((c.value === null) !== (c.currency === null)) problems.push({ path: c.value === null ? 'value' : 'currency', message: 'value and currency go together', rule: 'requires' });
    if (problems.length) throw new ContractException(ContractErrorCode.InvalidTerms, problems.map((p) => `${p.path} ${p.message}`).join('; ') + '.', problems);
  }

  /** The stored current term and notice deadline, as of today. */
  private derive(c: ContractEntity, today = this.today()): void {
    c.termEnd = currentTermEnd(c, today);
    c.noticeDeadline = noticeDeadline(c, today);
  }

  private async checkOwner(ownerId: string): Promise<void> {
    const u = await this.dataSource.getRepository(UserEntity).findOne({ select: { id: true, disabled: true }, where: { id: ownerId } });
    if (!u || u.disabled) throw new ContractException(ContractErrorCode.OwnerNotFound, undefined, [{ path: 'ownerId', message: 'is not an active staff user', rule: 'exists' }]);
  }

  /** What the library says about one entry: a known clause, a reason when ruled out, known parameters of the right type. */
  private entryProblems(e: ChecklistEntryDto, at: string): FieldError[] {
    const clause = this.library.library.byKey.get(e.clause);
    if (!clause) return [{ path: `${at}.clause`, message: `is not a clause of the library: ${e.clause}`, rule: 'clauseKey' }];
    const out: FieldError[] = [];
    if (e.status === 'not_applicable' && !e.reason?.trim()) out.push({ path: `${at}.reason`, message: 'is required when the clause is marked not applicable', rule: 'required' });
    const params = new Map((clause.params ?? []).map((p) => [p.key, p]));
    for (const [key, value] of Object.entries(e.params ?? {})) {
      const p = params.get(key);
      if (!p) out.push({ path: `${at}.params.${key}`, message: `is not a parameter of ${clause.key}${params.size ? ` (it takes ${[...params.keys()].join(', ')})` : ' (it takes none)'}`, rule: 'paramKey' });
      else if (value !== null) {
        const problem = paramValueProblem(p, value);
        if (problem) out.push({ path: `${at}.params.${key}`, message: problem, rule: 'paramValue' });
      }
    }
    return out;
  }

  private inLibraryOrder(entries: ContractClauseEntity[]): ContractClauseEntity[] {
    const position = new Map(this.library.library.clauses.map((c, i) => [c.key, i]));
    return [...entries].sort((a, b) => (position.get(a.clauseKey) ?? 1e9) - (position.get(b.clauseKey) ?? 1e9));
  }
}

export function paramValueProblem(p: ClauseParam, value: unknown): string | null {
  switch (p.type) {
    case 'boolean':
      return typeof value === 'boolean' ? null : 'must be true or false';
    case 'text':
      return typeof value === 'string' && value.trim().length > 0 && value.length <= 500 ? null : 'must be a text of 1 to 500 characters';
    default: {
      if (typeof value !== 'number' || !Number.isFinite(value)) return 'must be a number';
      if (p.type === 'integer' && !Number.isInteger(value)) return 'must be a whole number';
      if (p.min !== undefined && value < p.min) return `must be at least ${p.min}`;
      if (p.max !== undefined && value > p.max) return `must be at most ${p.max}`;
      return null;
    }
  }
}

function cleanParams(params: Record<string, ParamValue | null> | null | undefined): Record<string, ParamValue> | null {
  const entries = Object.entries(params ?? {}).filter((e): e is [string, ParamValue] => e[1] !== null && e[1] !== '');
  return entries.length ? Object.fromEntries(entries.map(([k, v]) => [k, typeof v === 'string' ? v.trim() : v])) : null;
}

export function toChecklistEntry(e: ContractClauseEntity): ChecklistEntry {
  return { clauseKey: e.clauseKey, status: e.status, sectionRef: e.sectionRef, params: e.params ?? undefined, notes: e.notes, reason: e.reason };
}
