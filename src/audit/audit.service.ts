import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { Clock } from '../clock/clock';
import { AuditEventEntity, FieldChanges } from './audit-event.entity';
import type { AuditActor } from './audit-context';
import type { AuditQueryDto } from './dto/audit-query.dto';

export interface AuditEntry {
  action: string;
  targetType?: string;
  targetId?: string | null;
  changes?: FieldChanges | null;
  details?: Record<string, unknown> | null;
}

/** Appends to the audit trail and reads it back. There is deliberately no update or delete. */
@Injectable()
export class AuditService {
  constructor(
    @InjectRepository(AuditEventEntity) private readonly events: Repository<AuditEventEntity>,
    private readonly clock: Clock,
  ) {}

  /** Appends one event; pass the transaction's manager to commit it together with the change. */
  async record(actor: AuditActor, entry: AuditEntry, manager?: EntityManager): Promise<void> {
    const repo = manager ? manager.getRepository(AuditEventEntity) : this.events;
    const event = repo.create({
      at: this.clock.now(),
      actorId: actor.actorId,
      actorLabel: actor.actorLabel,
      action: entry.action,
      targetType: entry.targetType ?? null,
      targetId: entry.targetId ?? null,
      ip: actor.ip,
      requestId: actor.requestId,
      changes: entry.changes && Object.keys(entry.changes).length ? entry.changes : null,
      details: entry.details ?? null,
    });
    // JSON columns hold `unknown` values, which TypeORM's insert typing cannot express.
    await repo.insert(event as QueryDeepPartialEntity<AuditEventEntity>);
  }

  async list(query: AuditQueryDto): Promise<{ items: AuditEventEntity[]; total: number }> {
    const qb = this.events.createQueryBuilder('e');
    if (query.actorId) qb.andWhere('e.actorId = :actorId', { actorId: query.actorId });
    if (query.action) qb.andWhere('e.action = :action', { action: query.action });
    if (query.targetType) qb.andWhere('e.targetType = :targetType', { targetType: query.targetType });
    if (query.targetId) qb.andWhere('e.targetId = :targetId', { targetId: query.targetId });
    if (query.from) qb.andWhere('e.at >= :from', { from: new Date(query.from) });
    if (query.to) qb.andWhere('e.at < :to', { to: new Date(query.to) });
    qb.orderBy('e.id', 'DESC')
      .skip((query.page - 1) * query.pageSize)
      .take(query.pageSize);
    const [items, total] = await qb.getManyAndCount();
    return { items, total };
  }
}
