import { MigrationInterface, QueryRunner } from 'typeorm';
import { addDays } from '../../common/dates';
import { currentTermEnd, noticeDeadline } from '../../contracts/contract-terms';

const dateOf = (v: unknown): string | null => (v === null || v === undefined ? null : v instanceof Date ? v.toISOString().slice(0, 10) : String(v).slice(0, 10));

/**
 * Renewal terms now end the day before the same day N months after they start (2026-06-30
 * renewed by 6 months ends 2026-12-31, not 2026-12-30). Contracts already rolled forward keep a
 * stored term end and notice deadline from the old rule, up to three days early: they are
 * computed again. The old and the new end of the same renewal lie at most three days apart, so
 * the renewal is found from three days before the stored end.
 */
export class ContractRenewalEnds1766102400000 implements MigrationInterface {
  name = 'ContractRenewalEnds1766102400000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const rows = (await queryRunner.query(
      'SELECT id, expiry_date, renewal_months, notice_days, term_end, notice_deadline FROM contracts WHERE auto_renewal = ? AND term_end IS NOT NULL AND expiry_date IS NOT NULL AND term_end > expiry_date',
      [true],
    )) as Array<Record<string, unknown>>;
    for (const r of rows) {
      const terms = {
        state: 'active' as const,
        effectiveDate: '1900-01-01',
        expiryDate: dateOf(r.expiry_date),
        autoRenewal: true,
        renewalMonths: Number(r.renewal_months) || null,
        noticeDays: r.notice_days === null ? null : Number(r.notice_days),
      };
      const storedEnd = dateOf(r.term_end)!;
      const from = addDays(storedEnd, -3);
      const end = currentTermEnd(terms, from);
      const deadline = noticeDeadline(terms, from);
      if (end === storedEnd && deadline === dateOf(r.notice_deadline)) continue;
      await queryRunner.query('UPDATE contracts SET term_end = ?, notice_deadline = ? WHERE id = ?', [end, deadline, r.id]);
    }
  }

  public async down(): Promise<void> {
    // A correction of derived dates: nothing to undo.
  }
}
