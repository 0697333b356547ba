import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { Locale } from '../../i18n/i18n';
import type { Reason } from '../clause-applicability';
import type { ClauseLibrary } from '../clause-library';
import { CLAUSE_STATUSES, type ClauseCoverage, type Gap, type GapReport, type ParamValue } from '../contract-gaps';
import type { ContractClauseEntity } from '../contract-clause.entity';
import { CONTRACT_STATUSES, CONTRACT_TYPES, contractStatus, currentTermEnd, noticeDeadline } from '../contract-terms';
import type { ContractEntity } from '../contract.entity';

export class ContractDocumentDto {
  @ApiProperty() name: string;
  @ApiProperty() size: number;
  @ApiProperty() mime: string;
  @ApiProperty() sha256: string;
}

export class ContractDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) vendorId: string;
  @ApiProperty() title: string;
  @ApiPropertyOptional({ nullable: true }) reference: string | null;
  @ApiProperty({ enum: CONTRACT_TYPES }) type: string;
  @ApiProperty() counterparty: string;
  @ApiProperty({ enum: ['draft', 'active', 'terminated'], description: 'What staff set' }) state: string;
  @ApiProperty({ enum: CONTRACT_STATUSES, description: 'The state with the dates applied: expiring within 60 days of the decision date, expired after the end of a term that does not renew' })
  status: string;
  @ApiProperty({ format: 'date' }) effectiveDate: string;
  @ApiPropertyOptional({ nullable: true, format: 'date' }) expiryDate: string | null;
  @ApiProperty() autoRenewal: boolean;
  @ApiPropertyOptional({ nullable: true }) renewalMonths: number | null;
  @ApiPropertyOptional({ nullable: true }) noticeDays: number | null;
  @ApiPropertyOptional({ nullable: true, format: 'date', description: 'End of the current term (renewals rolled forward)' }) termEnd: string | null;
  @ApiPropertyOptional({ nullable: true, format: 'date', description: 'Last day to give notice in the current term' }) noticeDeadline: string | null;
  @ApiPropertyOptional({ nullable: true }) value: string | null;
  @ApiPropertyOptional({ nullable: true }) currency: string | null;
  @ApiProperty({ format: 'uuid' }) ownerId: string;
  @ApiPropertyOptional({ nullable: true }) notes: string | null;
  @ApiPropertyOptional({ nullable: true, type: ContractDocumentDto }) document: ContractDocumentDto | null;
  @ApiPropertyOptional({ nullable: true, format: 'date' }) terminatedOn: string | null;
  @ApiPropertyOptional({ nullable: true }) terminationReason: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty() version: number;

  static from(c: ContractEntity, today: string): ContractDto {
    return {
      id: c.id,
      vendorId: c.vendorId,
      title: c.title,
      reference: c.reference,
      type: c.type,
      counterparty: c.counterparty,
      state: c.state,
      status: contractStatus(c, today),
      effectiveDate: c.effectiveDate,
      expiryDate: c.expiryDate,
      autoRenewal: c.autoRenewal,
      renewalMonths: c.renewalMonths,
      noticeDays: c.noticeDays,
      termEnd: currentTermEnd(c, today),
      noticeDeadline: noticeDeadline(c, today),
      value: c.value,
      currency: c.currency,
      ownerId: c.ownerId,
      notes: c.notes,
      document: c.documentKey ? { name: c.documentName!, size: c.documentSize!, mime: c.documentMime!, sha256: c.documentSha256! } : null,
      terminatedOn: c.terminatedOn,
      terminationReason: c.terminationReason,
      createdAt: new Date(c.createdAt).toISOString(),
      updatedAt: new Date(c.updatedAt).toISOString(),
      version: c.version,
    };
  }
}

export class ChecklistEntryViewDto {
  @ApiProperty() clause: string;
  @ApiProperty({ enum: CLAUSE_STATUSES }) status: string;
  @ApiPropertyOptional({ nullable: true }) sectionRef: string | null;
  @ApiPropertyOptional({ nullable: true, type: 'object', additionalProperties: true }) params: Record<string, ParamValue> | null;
  @ApiPropertyOptional({ nullable: true }) notes: string | null;
  @ApiPropertyOptional({ nullable: true }) reason: string | null;
  @ApiPropertyOptional({ nullable: true, format: 'uuid' }) updatedBy: string | null;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;

  static from(e: ContractClauseEntity): ChecklistEntryViewDto {
    return {
      clause: e.clauseKey,
      status: e.status,
      sectionRef: e.sectionRef,
      params: e.params,
      notes: e.notes,
      reason: e.reason,
      updatedBy: e.updatedBy,
      updatedAt: new Date(e.updatedAt).toISOString(),
    };
  }
}

export interface GapDto {
  clause: string;
  kind: Gap['kind'];
  severity: Gap['severity'];
  source: string;
  param: string | null;
  value: ParamValue | null;
  threshold: number | boolean | null;
  contractId: string | null;
}

export interface ClauseCoverageDto {
  clause: string;
  set: string;
  title: string;
  source: string;
  severity: string;
  coverage: ClauseCoverage['coverage'];
  /** The facts of the vendor's profile that make the clause apply. */
  reasons: Reason[];
  contractId: string | null;
  sectionRef: string | null;
  params: Readonly<Record<string, ParamValue>> | null;
  reason: string | null;
  gaps: GapDto[];
}

export interface GapReportDto {
  counts: GapReport['counts'];
  clauses: ClauseCoverageDto[];
  gaps: GapDto[];
  notRequired: Array<{ clause: string; title: string; reasons: Reason[] }>;
}

const gapDto = (g: Gap): GapDto => ({
  clause: g.clauseKey,
  kind: g.kind,
  severity: g.severity,
  source: g.source,
  param: g.param ?? null,
  value: g.value ?? null,
  threshold: g.threshold ?? null,
  contractId: g.contractId ?? null,
});

export function gapReportDto(r: GapReport, locale: Locale): GapReportDto {
  return {
    counts: r.counts,
    clauses: r.clauses.map((c) => ({
      clause: c.clause.key,
      set: c.clause.set,
      title: c.clause.title[locale],
      source: c.clause.source,
      severity: c.clause.severity,
      coverage: c.coverage,
      reasons: c.reasons,
      contractId: c.contractId ?? null,
      sectionRef: c.entry?.sectionRef ?? null,
      params: c.entry?.params ?? null,
      reason: c.entry?.reason ?? null,
      gaps: c.gaps.map(gapDto),
    })),
    gaps: r.gaps.map(gapDto),
    notRequired: r.notRequired.map((a) => ({ clause: a.clause.key, title: a.clause.title[locale], reasons: a.reasons })),
  };
}

/** The clause library as the API shows it: both languages, every parameter with its thresholds. */
export function libraryDto(library: ClauseLibrary) {
  return {
    sets: library.sets.map((s) => ({
      set: s.set,
      title: s.title,
      source: s.source,
      appliesWhen: s.appliesWhen,
      clauses: s.clauses.map((c) => ({ ...c })),
    })),
  };
}
