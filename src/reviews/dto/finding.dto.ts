import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { FINDING_STATUSES, type FindingEntity } from '../finding.entity';

export class FindingDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) vendorId: string;
  @ApiPropertyOptional({ nullable: true, format: 'uuid' }) assessmentId: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'The failed question that raised it' }) questionKey: string | null;
  @ApiProperty() title: string;
  @ApiProperty({ enum: ['low', 'medium', 'high', 'critical'] }) severity: string;
  @ApiProperty() recommendation: string;
  @ApiProperty({ enum: FINDING_STATUSES }) status: string;
  @ApiPropertyOptional({ nullable: true, format: 'uuid' }) ownerId: string | null;
  @ApiProperty({ format: 'date' }) dueDate: string;
  @ApiPropertyOptional({ nullable: true }) note: string | null;
  @ApiPropertyOptional({ nullable: true }) riskAcceptedReason: string | null;
  @ApiPropertyOptional({ nullable: true, format: 'date' }) riskAcceptedUntil: string | null;
  @ApiPropertyOptional({ nullable: true, format: 'uuid' }) riskAcceptedBy: string | null;
  @ApiPropertyOptional({ nullable: true, format: 'date-time' }) resolvedAt: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty() version: number;

  static from(f: FindingEntity): FindingDto {
    return {
      id: f.id,
      vendorId: f.vendorId,
      assessmentId: f.assessmentId,
      questionKey: f.questionKey,
      title: f.title,
      severity: f.severity,
      recommendation: f.recommendation,
      status: f.status,
      ownerId: f.ownerId,
      dueDate: f.dueDate,
      note: f.note,
      riskAcceptedReason: f.riskAcceptedReason,
      riskAcceptedUntil: f.riskAcceptedUntil,
      riskAcceptedBy: f.riskAcceptedBy,
      resolvedAt: f.resolvedAt ? new Date(f.resolvedAt).toISOString() : null,
      createdAt: new Date(f.createdAt).toISOString(),
      version: f.version,
    };
  }
}
