import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { AuditActor } from '../audit/audit-context';
import { AuditService } from '../audit/audit.service';
import { AnswerEntity, newAnswerRow } from '../assessments/answer.entity';
import { checkAnswer, isVisible, conditionValues, MAX_COMMENT } from '../assessments/answer-rules';
import { receiptMail, submittedNoticeMail } from '../assessments/assessment-mail';
import { VENDOR_EDITABLE } from '../assessments/assessment-lifecycle';
import { AssessmentErrorCode, AssessmentException } from '../assessments/assessment.exception';
import { AssessmentEntity } from '../assessments/assessment.entity';
import { AssessmentState, AssessmentsService } from '../assessments/assessments.service';
import { EvidenceFileEntity } from '../assessments/evidence-file.entity';
import { Clock } from '../clock/clock';
import { AppConfig } from '../config/app-config';
import { PreparedInsert, PreparedUpdate } from '../database/prepared-lookup';
import type { Locale } from '../i18n/i18n';
import { isLocale } from '../i18n/i18n';
import { enqueueMail } from '../mail/mail-outbox';
import { OutboxDelivery } from '../mail/outbox-delivery.service';
import { EvidenceStore } from '../storage/evidence-store';
import { EvidenceUploadService, UploadInput } from '../storage/storage.service';
import { UserEntity } from '../users/user.entity';
import type { PortalContext } from './portal-context';
import { buildPortalView, PortalView } from './portal-view';
import { isUniqueViolation } from '../database/insert-ignore';

export interface AnswerInputData {
  value?: unknown;
  comment?: string | null;
  /** The answer version the vendor started from (0 for a question never saved). */
  baseVersion: number;
}

export interface SavedAnswer {
  key: string;
  value: unknown;
  comment: string | null;
  version: number;
  /** Visible question keys after this save: conditions may show or hide others. */
  visible: string[];
  progress: { visible: number; answered: number; missingRequired: number };
}

export const MAX_FILES_PER_QUESTION = 20;

/**
 * The vendor's side of an assessment: read it, save answers (each save carries the version it
 * started from), attach and remove evidence, submit. Everything is scoped to the assessment of
 * the portal session; nothing here takes an assessment id from the request.
 */
@Injectable()
export class PortalService {
  /** The writes of an answer save, which runs on every autosave. */
  private readonly answerUpdate: PreparedUpdate<AnswerEntity>;
  private readonly answerInsert: PreparedInsert<AnswerEntity>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly assessments: AssessmentsService,
    private readonly uploads: EvidenceUploadService,
    private readonly store: EvidenceStore,
    private readonly audit: AuditService,
    private readonly delivery: OutboxDelivery,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {
    this.answerUpdate = new PreparedUpdate(dataSource, AnswerEntity, ['value', 'comment', 'version', 'answeredAt', 'confirmedAt'], ['id', 'version']);
    this.answerInsert = new PreparedInsert(dataSource, AnswerEntity);
  }

  async view(ctx: PortalContext, locale: Locale): Promise<PortalView> {
    return buildPortalView(await this.assessments.state(ctx.assessmentId), locale);
  }

  /** The language the portal opens in: the one chosen for the recipient. */
  async language(ctx: PortalContext): Promise<Locale> {
    const a = await this.assessments.getEntity(ctx.assessmentId);
    return isLocale(a.language) ? a.language : 'en';
  }

  async saveAnswer(ctx: PortalContext, key: string, input: AnswerInputData, actor: AuditActor): Promise<SavedAnswer> {
    return this.dataSource.transaction(async (m) => {
      const s = await this.assessments.state(ctx.assessmentId, m);
      const entry = this.editableQuestion(s, key);
      const values = conditionValues(s.questionnaire, s.scored);
      if (!isVisible(s.questionnaire, key, values)) {
        throw new AssessmentException(AssessmentErrorCode.QuestionHidden, 'This question does not apply given your other answers; it cannot be answered.');
      }
      const existing = s.answers.get(key);
      const patch: Partial<AnswerEntity> = {};
      if (input.value !== undefined) {
        if (entry.type === 'file') {
          throw new AssessmentException(AssessmentErrorCode.InvalidAnswer, 'Upload a file to answer this question.', [{ path: 'value', message: 'is answered by uploading a file', rule: 'isFile' }]);
        }
        const checked = checkAnswer(entry, input.value);
        if (!checked.ok) throw new AssessmentException(AssessmentErrorCode.InvalidAnswer, `The answer ${checked.message}.`, [{ path: 'value', message: checked.message, rule: checked.rule }]);
        patch.value = checked.value ?? null;
      }
      if (input.comment !== undefined) {
        const comment = input.comment === null ? null : String(input.comment);
        if (comment !== null && comment.length > MAX_COMMENT) {
          throw new AssessmentException(AssessmentErrorCode.InvalidAnswer, `The comment is too long.`, [{ path: 'comment', message: `must be at most ${MAX_COMMENT} characters`, rule: 'maxLength' }]);
        }
        patch.comment = comment && comment.trim() !== '' ? comment : null;
      }
      const current = existing?.version ?? 0;
      if (input.baseVersion !== current) throw this.staleSave(key, existing);

      const now = this.clock.now();
      let saved: AnswerEntity;
      if (existing) {
        // Saving an answer carried over from the last assessment confirms it (changed or not).
        saved = { ...existing, ...patch, version: current + 1, answeredAt: now, confirmedAt: existing.prefilledFrom ? now : existing.confirmedAt };
        const matched = await this.answerUpdate.run(m, saved, { id: existing.id, version: current });
        if (!matched) throw this.staleSave(key, await m.getRepository(AnswerEntity).findOneBy({ id: existing.id }));
      } else {
        saved = newAnswerRow(ctx.assessmentId, key, { value: patch.value ?? null, comment: patch.comment ?? null, version: 1, answeredAt: now });
        try {
          await this.answerInsert.run(m, saved);
        } catch (err) {
          // Another save of the same question got in first (unique assessment + question).
          if (isUniqueViolation(err)) throw this.staleSave(key, null);
          throw err;
        }
      }
      await this.startIfSent(s, actor, m);
      s.answers.set(key, saved);
      const after = await this.assessments.recomputeFrom(s, m);
      return savedAnswer(saved, after);
    });
  }

  /** Confirms an answer carried over from the last assessment as still true, without changing it. */
  async confirmAnswer(ctx: PortalContext, key: string, baseVersion: number): Promise<SavedAnswer> {
    return this.dataSource.transaction(async (m) => {
      const s = await this.assessments.state(ctx.assessmentId, m);
      this.editableQuestion(s, key);
      const existing = s.answers.get(key);
      if (!existing?.prefilledFrom) throw new AssessmentException(AssessmentErrorCode.NotCarriedOver, 'Only answers carried over from the last assessment need confirming.');
      if (baseVersion !== existing.version) throw this.staleSave(key, existing);
      const now = this.clock.now();
      const saved = { ...existing, version: existing.version + 1, confirmedAt: existing.confirmedAt ?? now };
      const matched = await this.answerUpdate.run(m, saved, { id: existing.id, version: existing.version });
      if (!matched) throw this.staleSave(key, await m.getRepository(AnswerEntity).findOneBy({ id: existing.id }));
      s.answers.set(key, saved);
      const after = await this.assessments.recomputeFrom(s, m);
      return savedAnswer(saved, after);
    });
  }

  async addEvidence(ctx: PortalContext, key: string, upload: UploadInput, actor: AuditActor): Promise<EvidenceFileEntity> {
    // Check that the question takes a file before storing anything.
    await this.dataSource.transaction(async (m) => {
      const s = await this.assessments.state(ctx.assessmentId, m);
      const q = this.editableQuestion(s, key);
      if (!isVisible(s.questionnaire, key, conditionValues(s.questionnaire, s.scored))) {
        throw new AssessmentException(AssessmentErrorCode.QuestionHidden, 'This question does not apply given your other answers; it takes no files.');
      }
      if (q.type !== 'file' && (q.evidence ?? 'none') === 'none') {
        throw new AssessmentException(AssessmentErrorCode.InvalidAnswer, 'This question does not take files.', [{ path: 'file', message: 'this question takes no evidence', rule: 'noEvidence' }]);
      }
      if (s.evidence.filter((e) => e.questionKey === key).length >= MAX_FILES_PER_QUESTION) {
        throw new AssessmentException(AssessmentErrorCode.InvalidAnswer, `A question takes at most ${MAX_FILES_PER_QUESTION} files.`, [{ path: 'file', message: 'too many files', rule: 'arrayMaxSize' }]);
      }
    });
    const accepted = await this.uploads.acceptInput(upload);
    try {
      return await this.dataSource.transaction(async (m) => {
        const s = await this.assessments.state(ctx.assessmentId, m);
        this.editableQuestion(s, key);
        const file = m.getRepository(EvidenceFileEntity).create({
          id: randomUUID(),
          assessmentId: ctx.assessmentId,
          questionKey: key,
          storageKey: accepted.key,
          sha256: accepted.sha256,
          size: accepted.size,
          mime: accepted.mime,
          name: accepted.name,
          uploadedAt: this.clock.now(),
          removedAt: null,
        });
        await m.getRepository(EvidenceFileEntity).insert(file);
        await this.audit.record(
          actor,
          { action: 'evidence.upload', targetType: 'assessment', targetId: ctx.assessmentId, details: { question: key, file: file.id, name: file.name, size: file.size, sha256: file.sha256 } },
          m,
        );
        await this.startIfSent(s, actor, m);
        await this.assessments.recompute(ctx.assessmentId, m);
        return file;
      });
    } catch (err) {
      await this.store.remove(accepted.key).catch(() => undefined);
      throw err;
    }
  }

  async removeEvidence(ctx: PortalContext, fileId: string, actor: AuditActor): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const file = await m.getRepository(EvidenceFileEntity).findOneBy({ id: fileId, assessmentId: ctx.assessmentId, removedAt: IsNull() });
      if (!file) throw new AssessmentException(AssessmentErrorCode.EvidenceNotFound);
      const s = await this.assessments.state(ctx.assessmentId, m);
      this.editableQuestion(s, file.questionKey);
      await m.getRepository(EvidenceFileEntity).update({ id: file.id }, { removedAt: this.clock.now() });
      await this.audit.record(actor, { action: 'evidence.remove', targetType: 'assessment', targetId: ctx.assessmentId, details: { question: file.questionKey, file: file.id, name: file.name } }, m);
      await this.assessments.recompute(ctx.assessmentId, m);
    });
  }

  /** A file of this assessment, for the vendor to download again. */
  async evidenceFile(ctx: PortalContext, fileId: string): Promise<{ file: EvidenceFileEntity; data: Buffer }> {
    const file = await this.dataSource.getRepository(EvidenceFileEntity).findOneBy({ id: fileId, assessmentId: ctx.assessmentId, removedAt: IsNull() });
    if (!file) throw new AssessmentException(AssessmentErrorCode.EvidenceNotFound);
    return { file, data: await this.store.read(file.storageKey) };
  }

  /** Freezes the answers, emails a receipt to the contact and tells the vendor's owner. */
  async submit(ctx: PortalContext, actor: AuditActor): Promise<AssessmentState> {
    const before = await this.assessments.state(ctx.assessmentId);
    const unconfirmed = unconfirmedAnswers(before);
    if (unconfirmed.length) {
      throw new AssessmentException(
        AssessmentErrorCode.UnconfirmedAnswers,
        `${unconfirmed.length} answer(s) carried over from the last assessment still need to be confirmed or changed.`,
        unconfirmed.map((key) => ({ path: `answers.${key}`, message: 'carried over: confirm or change it', rule: 'confirm' })),
        { unconfirmed },
      );
    }
    if (before.progress.missingRequired.length) {
      throw new AssessmentException(
        AssessmentErrorCode.MissingAnswers,
        `${before.progress.missingRequired.length} required question(s) still need an answer.`,
        before.progress.missingRequired.map((key) => ({ path: `answers.${key}`, message: 'needs an answer', rule: 'required' })),
        { missing: before.progress.missingRequired },
      );
    }
    let mails: string[] = [];
    await this.assessments.change(ctx.assessmentId, async (a, m) => {
      if (!VENDOR_EDITABLE.has(a.status)) throw this.assessments.invalidTransition(a.status, 'submitted', 'The answers were already submitted.');
      const from = a.status;
      this.assessments.transition(a, 'submitted');
      a.submittedAt = this.clock.now();
      a.clarificationMessage = null;
      await m.getRepository(AnswerEntity).update({ assessmentId: a.id, clarificationOpen: true }, { clarificationOpen: false });
      await this.audit.record(actor, { action: 'assessment.submit', targetType: 'assessment', targetId: a.id, changes: { status: { before: from, after: 'submitted' } } }, m);
      mails = await this.queueSubmitted(a, before, m);
    });
    const s = await this.assessments.recompute(ctx.assessmentId);
    // The mails were committed with the submit: sent now, or by the outbox's next run.
    await this.delivery.deliverNow(mails);
    return s;
  }

  /** The receipt to the contact and the notice to the vendor's owner, written with the submit. */
  private async queueSubmitted(a: AssessmentEntity, s: AssessmentState, m: EntityManager): Promise<string[]> {
    const { vendor } = s;
    const now = this.clock.now();
    const owner = await m.getRepository(UserEntity).findOne({ select: { id: true, email: true, name: true, locale: true }, where: { id: vendor.ownerId } });
    const ids = [
      await enqueueMail(
        m,
        receiptMail({ to: a.recipientEmail, name: a.recipientName, vendorName: vendor.name, submittedAt: a.submittedAt ?? now, answered: s.progress.answered, files: s.evidence.length, locale: a.language }),
        { kind: 'receipt', targetType: 'assessment', targetId: a.id, vendorId: vendor.id, recipientName: a.recipientName },
        now,
      ),
    ];
    if (owner) {
      const notice = submittedNoticeMail({
        to: owner.email,
        ownerName: owner.name,
        vendorName: vendor.name,
        url: `${this.config.PUBLIC_URL.replace(/\/$/, '')}/assessments/${a.id}`,
        locale: isLocale(owner.locale) ? owner.locale : 'en',
      });
      ids.push(await enqueueMail(m, notice, { kind: 'submitted', targetType: 'assessment', targetId: a.id, vendorId: vendor.id, userId: owner.id, recipientName: owner.name }, now));
    }
    return ids;
  }

  private editableQuestion(s: AssessmentState, key: string) {
    const entry = s.questionnaire.questions.get(key);
    if (!entry) throw new AssessmentException(AssessmentErrorCode.UnknownQuestion, 'This questionnaire has no such question.');
    const a = s.assessment;
    if (!VENDOR_EDITABLE.has(a.status)) {
      throw new AssessmentException(AssessmentErrorCode.NotEditable, 'The answers were submitted and can no longer be changed.', undefined, { status: a.status });
    }
    if (a.status === 'clarification_requested' && !s.answers.get(key)?.clarificationOpen) {
      throw new AssessmentException(AssessmentErrorCode.NotEditable, 'Only the questions the reviewers reopened can be changed now.', undefined, { status: a.status });
    }
    return entry.question;
  }

  private staleSave(key: string, current: AnswerEntity | null | undefined): AssessmentException {
    return new AssessmentException(
      AssessmentErrorCode.AnswerConflict,
      'Someone saved this answer after you opened it. The newer answer is shown; apply your change to it and save again.',
      undefined,
      { current: { key, value: current?.value ?? null, comment: current?.comment ?? null, version: current?.version ?? 0 } },
    );
  }

  private async startIfSent(s: AssessmentState, actor: AuditActor, m: EntityManager): Promise<void> {
    if (s.assessment.status !== 'sent') return;
    const result = await m
      .getRepository(AssessmentEntity)
      .update({ id: s.assessment.id, status: 'sent' }, { status: 'in_progress', updatedAt: this.clock.now(), version: () => 'version + 1' });
    if (result.affected) {
      s.assessment.status = 'in_progress';
      await this.audit.record(actor, { action: 'assessment.start', targetType: 'assessment', targetId: s.assessment.id, changes: { status: { before: 'sent', after: 'in_progress' } } }, m);
    }
  }
}

/** What a save or a confirmation answers: the answer as stored, and what it changed in visibility and progress. */
function savedAnswer(saved: AnswerEntity, after: AssessmentState): SavedAnswer {
  const p = after.progress;
  return {
    key: saved.questionKey,
    value: saved.value,
    comment: saved.comment,
    version: saved.version,
    visible: p.visible,
    progress: { visible: p.visible.length, answered: p.answered, missingRequired: p.missingRequired.length },
  };
}

/** Visible answers carried over from the last assessment that the vendor has not confirmed or changed yet. */
export function unconfirmedAnswers(s: Pick<AssessmentState, 'answers' | 'progress'>): string[] {
  return s.progress.visible.filter((key) => {
    const a = s.answers.get(key);
    return !!a?.prefilledFrom && !a.confirmedAt;
  });
}
