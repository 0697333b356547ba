import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { AuditEventEntity, FieldChanges } from '../audit-event.entity';

export class AuditEventDto {
  @ApiProperty() at: string;
  @ApiPropertyOptional({ nullable: true }) actorId: string | null;
  @ApiPropertyOptional({ nullable: true }) actor: string | null;
  @ApiProperty() action: string;
  @ApiPropertyOptional({ nullable: true }) targetType: string | null;
  @ApiPropertyOptional({ nullable: true }) targetId: string | null;
  @ApiPropertyOptional({ nullable: true }) ip: string | null;
  @ApiPropertyOptional({ nullable: true }) requestId: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'Changed fields with before and after values' })
  changes: FieldChanges | null;
  @ApiPropertyOptional({ nullable: true }) details: Record<string, unknown> | null;

  static from(e: AuditEventEntity): AuditEventDto {
    return Object.assign(new AuditEventDto(), {
      at: new Date(e.at).toISOString(),
      actorId: e.actorId,
      actor: e.actorLabel,
      action: e.action,
      targetType: e.targetType,
      targetId: e.targetId,
      ip: e.ip,
      requestId: e.requestId,
      changes: e.changes,
      details: e.details,
    });
  }
}
