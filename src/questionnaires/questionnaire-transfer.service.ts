import { Injectable } from '@nestjs/common';
import type { AuditActor } from '../audit/audit-context';
import type { FieldError } from '../common/errors/app-exception';
import { moduleToTable, readTable, Table, TableKind, TableProblem, tableToModule, writeCsv, writeXlsx } from './import/module-table';
import { checkModuleObject } from './module-loader';
import { QuestionnaireVersionEntity } from './questionnaire-version.entity';
import { QuestionnaireErrorCode, QuestionnaireException } from './questionnaire.exception';
import { QuestionnairesService } from './questionnaires.service';

export interface ExportedFile {
  name: string;
  mime: string;
  data: Buffer;
}

const MIME: Record<TableKind, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** Problems of an imported table as field errors: `line.12.type` points at the cell. */
function tableErrors(problems: TableProblem[]): FieldError[] {
  return problems.slice(0, 200).map((p) => ({
    path: p.line === null ? 'file' : `line.${p.line}${p.column ? `.${p.column}` : ''}`,
    message: p.line === null ? p.message : `line ${p.line}${p.column ? `, column ${p.column}` : ''}: ${p.message}`,
    rule: 'table',
  }));
}

/**
 * Questionnaires in and out as tables: a customer's own questionnaire imported from CSV/XLSX as
 * a new module (every bad row reported with its line), a module exported,
 * and a module edited as JSON published as a new version.
 */
@Injectable()
export class QuestionnaireTransferService {
  constructor(private readonly questionnaires: QuestionnairesService) {}

  async importTable(
    file: { filename: string; data: Buffer },
    meta: { key: string; version: string; titleEn: string; titleZh?: string },
    actor: AuditActor,
  ): Promise<QuestionnaireVersionEntity> {
    const kind = tableKind(file.filename, file.data);
    const read = await readTable(file.data, kind);
    if (read.problems.length) throw invalid(read.problems);
    const built = tableToModule(read.rows, { key: meta.key, version: meta.version, title: { en: meta.titleEn, 'zh-CN': meta.titleZh } });
    if (!built.module || built.problems.length) throw invalid(built.problems);
    return this.questionnaires.publish(built.module, 'imported', actor);
  }

  /** A new version of a module from its full definition (as `GET /api/questionnaires/:key` gives it). */
  async publishEdited(key: string, definition: unknown, actor: AuditActor): Promise<QuestionnaireVersionEntity> {
    const checked = checkModuleObject(definition);
    if (!checked.module) {
      throw new QuestionnaireException(
        QuestionnaireErrorCode.Invalid,
        `The definition has ${checked.problems.length} problem(s).`,
        checked.problems.slice(0, 200).map((p) => ({ path: p.path === '(root)' ? 'definition' : `definition.${p.path}`, message: p.message, rule: 'module' })),
      );
    }
    if (checked.module.key !== key) {
      throw new QuestionnaireException(QuestionnaireErrorCode.Invalid, 'The definition is of another module.', [{ path: 'definition.key', message: `must be '${key}'`, rule: 'equals' }]);
    }
    await this.questionnaires.versionsOf(key);
    return this.questionnaires.publish(checked.module, 'edited', actor);
  }

  async exportModule(key: string, version: string, kind: TableKind): Promise<ExportedFile> {
    const v = await this.questionnaires.getVersion(key, version);
    return this.file(`${key}-${version}`, moduleToTable(v.definition), kind, key);
  }

  private async file(base: string, table: Table, kind: TableKind, sheet: string): Promise<ExportedFile> {
    return tableFile(base, table, kind, sheet);
  }
}

/** A table as a CSV or XLSX download. */
export async function tableFile(base: string, table: Table, kind: TableKind, sheet: string): Promise<ExportedFile> {
  const data = kind === 'csv' ? writeCsv(table) : await writeXlsx(table, sheet.slice(0, 31));
  return { name: `${base}.${kind}`, mime: MIME[kind], data };
}

function invalid(problems: TableProblem[]): QuestionnaireException {
  return new QuestionnaireException(QuestionnaireErrorCode.Invalid, `The table has ${problems.length} problem(s); each is listed with its line.`, tableErrors(problems));
}

/** CSV or XLSX, from the content (an XLSX is a ZIP) and the name, which must agree. */
function tableKind(name: string, data: Buffer): TableKind {
  const zip = data.length > 4 && data.readUInt32LE(0) === 0x04034b50;
  const ext = name.toLowerCase().split('.').pop();
  if (ext === 'xlsx' && zip) return 'xlsx';
  if (ext === 'csv' && !zip) return 'csv';
  throw new QuestionnaireException(QuestionnaireErrorCode.Invalid, 'Send a .csv or .xlsx file whose content matches its name.', [{ path: 'file', message: 'must be a CSV or XLSX file', rule: 'fileType' }]);
}
