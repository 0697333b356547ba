import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ASSESSMENT_STATUSES } from '../assessment-lifecycle';
import type { AssessmentEntity } from '../assessment.entity';
import type { SentLink } from '../assessments.service';
import type { VendorEntity } from '../../vendors/vendor.entity';

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);

export class AssessmentDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) vendorId: string;
  @ApiPropertyOptional() vendorName?: string;
  @ApiProperty({ enum: ASSESSMENT_STATUSES }) status: string;
  @ApiProperty({ format: 'date' }) dueDate: string;
  @ApiProperty() recipientName: string;
  @ApiProperty() recipientEmail: string;
  @ApiProperty({ enum: ['en', 'zh-CN'] }) language: string;
  @ApiPropertyOptional({ nullable: true }) message: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiPropertyOptional({ nullable: true, format: 'date-time' }) sentAt: string | null;
  @ApiPropertyOptional({ nullable: true, format: 'date-time' }) submittedAt: string | null;
  @ApiPropertyOptional({ nullable: true, format: 'date-time' }) completedAt: string | null;
  @ApiPropertyOptional({ nullable: true, format: 'date-time' }) cancelledAt: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'Overall score 0–100; null while no question applies' }) score: number | null;
  @ApiPropertyOptional({ nullable: true, enum: ['strong', 'adequate', 'weak', 'poor'] }) band: string | null;
  @ApiProperty() criticalFailures: number;
  @ApiProperty() answeredCount: number;
  @ApiProperty({ description: 'Questions visible with the current answers' }) questionCount: number;
  @ApiPropertyOptional({ nullable: true, enum: ['low', 'medium', 'high', 'critical'] }) residualRisk: string | null;
  @ApiPropertyOptional({ nullable: true }) clarificationMessage: string | null;
  @ApiProperty() version: number;

  static from(a: AssessmentEntity, vendor?: Pick<VendorEntity, 'name'>): AssessmentDto {
    return {
      id: a.id,
      vendorId: a.vendorId,
      ...(vendor ? { vendorName: vendor.name } : {}),
      status: a.status,
      dueDate: a.dueDate,
      recipientName: a.recipientName,
      recipientEmail: a.recipientEmail,
      language: a.language,
      message: a.message,
      createdAt: iso(a.createdAt)!,
      sentAt: iso(a.sentAt),
      submittedAt: iso(a.submittedAt),
      completedAt: iso(a.completedAt),
      cancelledAt: iso(a.cancelledAt),
      score: a.scoreX100 === null ? null : a.scoreX100 / 100,
      band: a.band,
      criticalFailures: a.criticalFailures,
      answeredCount: a.answeredCount,
      questionCount: a.questionCount,
      residualRisk: a.residualRisk,
      clarificationMessage: a.clarificationMessage,
      version: a.version,
    };
  }
}

export class PortalLinkDto {
  @ApiProperty({ description: 'The portal link. Shown this once: only its hash is stored.' }) url: string;
  @ApiProperty({ format: 'date-time' }) expiresAt: string;
  @ApiProperty({ description: 'Whether the invitation email went out' }) mailed: boolean;

  static from(l: SentLink): PortalLinkDto {
    return { url: l.url, expiresAt: l.expiresAt.toISOString(), mailed: l.mailed };
  }
}

export class SentAssessmentDto {
  @ApiProperty({ type: AssessmentDto }) assessment: AssessmentDto;
  @ApiPropertyOptional({ type: PortalLinkDto, nullable: true }) link: PortalLinkDto | null;
}

export class ProposalDto {
  @ApiProperty({ type: [String], description: 'Module keys proposed for the vendor' }) modules: string[];
}
