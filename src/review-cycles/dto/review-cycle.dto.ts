import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { REVIEW_STATUSES, reviewStatus } from '../review-cycle-status';
import { REVIEW_KINDS, REVIEW_STATES, type ReviewCycleEntity } from '../review-cycle.entity';

export class ReviewCycleDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) vendorId: string;
  @ApiPropertyOptional({ nullable: true }) vendorName: string | null;
  @ApiProperty({ enum: REVIEW_KINDS }) kind: string;
  @ApiPropertyOptional({ nullable: true, format: 'uuid', description: 'The contract or finding reviewed' }) subjectId: string | null;
  @ApiProperty({ format: 'date' }) dueDate: string;
  @ApiProperty({ enum: REVIEW_STATES }) state: string;
  @ApiProperty({ enum: REVIEW_STATUSES, description: 'Due within 30 days, overdue after the due date' }) status: string;
  @ApiPropertyOptional({ nullable: true, format: 'uuid' }) assessmentId: string | null;
  @ApiPropertyOptional({ nullable: true, format: 'date-time' }) startedAt: string | null;
  @ApiPropertyOptional({ nullable: true, format: 'date-time' }) completedAt: string | null;
  @ApiPropertyOptional({ nullable: true, format: 'uuid' }) completedBy: string | null;
  @ApiPropertyOptional({ nullable: true }) note: string | null;
  @ApiProperty() version: number;

  static from(r: ReviewCycleEntity & { vendorName?: string }, today: string): ReviewCycleDto {
    const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
    return {
      id: r.id,
      vendorId: r.vendorId,
      vendorName: r.vendorName ?? r.vendor?.name ?? null,
      kind: r.kind,
      subjectId: r.subjectId,
      dueDate: r.dueDate,
      state: r.state,
      status: reviewStatus(r.state, r.dueDate, today),
      assessmentId: r.assessmentId,
      startedAt: iso(r.startedAt),
      completedAt: iso(r.completedAt),
      completedBy: r.completedBy,
      note: r.note,
      version: r.version,
    };
  }
}
