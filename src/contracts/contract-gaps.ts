/**
 * Gap analysis, per contract and per vendor: which applicable clauses are not present, and which
 * present ones take a parameter that misses its threshold. Pure: the clause library, the
 * vendor's profile and the checklists in; coverage and gaps, each with a severity and its legal
 * source, out.
 */
import type { Severity } from '../questionnaires/questionnaire-module';
import { SEVERITY_RANK } from '../reviews/finding-rules';
import { ClauseApplicability, applicableClauses, DataProfile, Reason } from './clause-applicability';
import type { ClauseLibrary, ClauseParam, LibraryClause } from './clause-library';
import type { ContractStatus } from './contract-terms';

export const CLAUSE_STATUSES = ['present', 'partial', 'missing', 'not_applicable'] as const;
export type ClauseStatus = (typeof CLAUSE_STATUSES)[number];

export type ParamValue = number | boolean | string;

export interface ChecklistEntry {
  clauseKey: string;
  status: ClauseStatus;
  /** Where in the contract, e.g. "Schedule 2, §4.1". */
  sectionRef?: string | null;
  params?: Readonly<Record<string, ParamValue>>;
  notes?: string | null;
  /** Why the clause does not apply to this vendor (required with `not_applicable`). */
  reason?: string | null;
}

export interface ContractChecklist {
  id: string;
  title: string;
  status: ContractStatus;
  entries: readonly ChecklistEntry[];
}

export type GapKind = 'missing' | 'partial' | 'param_missing' | 'param_weak' | 'param_gap';

export interface Gap {
  clauseKey: string;
  kind: GapKind;
  severity: Severity;
  /** The clause's legal source. */
  source: string;
  /** For parameter gaps: the parameter, the value found and the threshold it misses. */
  param?: string;
  value?: ParamValue;
  threshold?: number | boolean;
  /** The contract whose entry the gap was judged on, when there is one. */
  contractId?: string;
}

/** How a clause stands: covered, covered only in part, missing, or ruled out for this vendor with a reason. */
export type Coverage = 'present' | 'partial' | 'missing' | 'not_applicable';

export interface ClauseCoverage {
  clause: LibraryClause;
  reasons: Reason[];
  coverage: Coverage;
  /** The entry the coverage rests on and its contract, when there is one. */
  entry?: ChecklistEntry;
  contractId?: string;
  gaps: Gap[];
}

export interface GapReport {
  /** Applicable clauses only, in library order. */
  clauses: ClauseCoverage[];
  /** Every gap, most severe first (library order among equals). */
  gaps: Gap[];
  counts: { required: number; present: number; partial: number; missing: number; notApplicable: number; gaps: number };
  /** Clauses of the library that do not apply to this vendor, with the fact that ruled each out. */
  notRequired: ClauseApplicability[];
}

/** Contracts in force: only their clauses count for the vendor. */
export const IN_FORCE: ReadonlySet<ContractStatus> = new Set(['active', 'expiring']);

const SEVERITIES: Severity[] = ['low', 'medium', 'high', 'critical'];
const lower = (s: Severity): Severity => SEVERITIES[Math.max(0, SEVERITY_RANK[s] - 1)];

/** The parameter gaps of a present entry. */
export function paramGaps(clause: LibraryClause, entry: ChecklistEntry, contractId?: string): Gap[] {
  const gaps: Gap[] = [];
  const base = { clauseKey: clause.key, source: clause.source, ...(contractId ? { contractId } : {}) };
  for (const p of clause.params ?? []) {
    const value = entry.params?.[p.key];
    if (value === undefined || value === null || value === '') {
      if (p.required) gaps.push({ ...base, kind: 'param_missing', severity: lower(clause.severity), param: p.key });
      continue;
    }
    const judged = judgeParam(p, value);
    if (judged) gaps.push({ ...base, ...judged, severity: judged.kind === 'param_gap' ? clause.severity : lower(clause.severity), param: p.key, value });
  }
  return gaps;
}

function judgeParam(p: ClauseParam, value: ParamValue): { kind: 'param_weak' | 'param_gap'; threshold: number | boolean } | null {
  if (p.type === 'boolean') return p.expected !== undefined && value !== p.expected ? { kind: 'param_gap', threshold: p.expected } : null;
  if (typeof value !== 'number') return null;
  if (p.gapAbove !== undefined && value > p.gapAbove) return { kind: 'param_gap', threshold: p.gapAbove };
  if (p.gapBelow !== undefined && value < p.gapBelow) return { kind: 'param_gap', threshold: p.gapBelow };
  if (p.weakAbove !== undefined && value > p.weakAbove) return { kind: 'param_weak', threshold: p.weakAbove };
  if (p.weakBelow !== undefined && value < p.weakBelow) return { kind: 'param_weak', threshold: p.weakBelow };
  return null;
}

const gapWeight = (gaps: Gap[]) => gaps.reduce((n, g) => n + 4 ** SEVERITY_RANK[g.severity], 0);
const ORDER: Record<ClauseStatus, number> = { present: 0, partial: 1, not_applicable: 2, missing: 3 };

/** The coverage of one applicable clause over the given contracts' entries. */
function cover(a: ClauseApplicability, contracts: readonly ContractChecklist[]): ClauseCoverage {
  const { clause, reasons } = a;
  const candidates = contracts.flatMap((c) => c.entries.filter((e) => e.clauseKey === clause.key).map((entry) => ({ entry, contractId: c.id })));
  candidates.sort((x, y) => ORDER[x.entry.status] - ORDER[y.entry.status]);
  const best = candidates[0];
  const base = { clauseKey: clause.key, source: clause.source };
  if (!best || best.entry.status === 'missing') {
    return { clause, reasons, coverage: 'missing', ...(best ? best : {}), gaps: [{ ...base, kind: 'missing', severity: clause.severity, ...(best ? { contractId: best.contractId } : {}) }] };
  }
  if (best.entry.status === 'present') {
    // Of several contracts carrying the clause, the one whose parameters fare best counts.
    const judged = candidates
      .filter((c) => c.entry.status === 'present')
      .map((c) => ({ ...c, gaps: paramGaps(clause, c.entry, c.contractId) }))
      .sort((x, y) => gapWeight(x.gaps) - gapWeight(y.gaps))[0];
    return { clause, reasons, coverage: 'present', entry: judged.entry, contractId: judged.contractId, gaps: judged.gaps };
  }
  if (best.entry.status === 'partial') {
    return { clause, reasons, coverage: 'partial', ...best, gaps: [{ ...base, kind: 'partial', severity: lower(clause.severity), contractId: best.contractId }] };
  }
  return { clause, reasons, coverage: 'not_applicable', ...best, gaps: [] };
}

function report(library: ClauseLibrary, profile: DataProfile, contracts: readonly ContractChecklist[]): GapReport {
  const all = applicableClauses(library, profile);
  const clauses = all.filter((a) => a.applies).map((a) => cover(a, contracts));
  const position = new Map(library.clauses.map((c, i) => [c.key, i]));
  const gaps = clauses
    .flatMap((c) => c.gaps)
    .sort((x, y) => SEVERITY_RANK[y.severity] - SEVERITY_RANK[x.severity] || position.get(x.clauseKey)! - position.get(y.clauseKey)!);
  const count = (c: Coverage) => clauses.filter((x) => x.coverage === c).length;
  return {
    clauses,
    gaps,
    counts: { required: clauses.length, present: count('present'), partial: count('partial'), missing: count('missing'), notApplicable: count('not_applicable'), gaps: gaps.length },
    notRequired: all.filter((a) => !a.applies),
  };
}

/** The vendor's gaps: what no contract in force carries, judged over all of them together. */
export function vendorGaps(library: ClauseLibrary, profile: DataProfile, contracts: readonly ContractChecklist[]): GapReport {
  return report(
    library,
    profile,
    contracts.filter((c) => IN_FORCE.has(c.status)),
  );
}

/** One contract's gaps: the applicable clauses this contract alone does not carry, whatever its status. */
export function contractGaps(library: ClauseLibrary, profile: DataProfile, contract: ContractChecklist): GapReport {
  return report(library, profile, [contract]);
}
