import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { AuditActor } from '../audit/audit-context';
import { diffFields } from '../audit/field-diff';
import { AuthErrorCode, AuthException } from '../auth/auth.exception';
import { PasswordHasher } from '../auth/password-hasher';
import type { Role } from '../auth/permissions';
import { SessionService } from '../auth/session.service';
import { Clock } from '../clock/clock';
import { containsPattern, LIKE_ESCAPE } from '../common/sql-like';
import type { CreateUserDto, UpdateUserDto, UserQueryDto } from './dto/user.dto';
import { UserEntity } from './user.entity';
import { UserErrorCode, UserException } from './user.exception';

const AUDITED_FIELDS = ['email', 'name', 'role', 'disabled', 'locale'] as const;


/** A staff member as lists and pages show them. */
export type StaffEntry = Pick<UserEntity, 'id' | 'name' | 'role'>;
@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async list(query: UserQueryDto): Promise<{ items: UserEntity[]; total: number }> {
    const qb = this.users.createQueryBuilder('u');
    if (query.role) qb.andWhere('u.role = :role', { role: query.role });
    if (query.q) qb.andWhere(`(u.name LIKE :q ${LIKE_ESCAPE} OR u.email LIKE :q ${LIKE_ESCAPE})`, { q: containsPattern(query.q) });
    qb.orderBy('u.name', 'ASC').addOrderBy('u.id', 'ASC').skip((query.page - 1) * query.pageSize).take(query.pageSize);
    const [items, total] = await qb.getManyAndCount();
    return { items, total };
  }

  /** Active staff by name (owners, reviewers, names on pages): only these columns are read, never a password hash. */
  directory(): Promise<StaffEntry[]> {
    return this.users.find({ select: { id: true, name: true, role: true }, where: { disabled: false }, order: { name: 'ASC', id: 'ASC' } });
  }

  async get(id: string): Promise<UserEntity> {
    const user = await this.users.findOneBy({ id });
    if (!user) throw new UserException(UserErrorCode.NotFound);
    return user;
  }

  async create(dto: CreateUserDto, actor: AuditActor): Promise<UserEntity> {
    const email = dto.email.toLowerCase();
    if (await this.users.existsBy({ email })) throw new UserException(UserErrorCode.EmailTaken);
    const now = this.clock.now();
    const user = this.users.create({
      id: randomUUID(),
      email,
      name: dto.name,
      role: dto.role,
      locale: dto.locale ?? 'en',
      passwordHash: await this.hasher.hash(dto.password),
      disabled: false,
      failedLogins: 0,
      lockedUntil: null,
      lastLoginAt: null,
      passwordChangedAt: now,
      reminderDelivery: 'immediate',
      calendarTokenHash: null,
      createdAt: now,
      updatedAt: now,
    });
    await this.dataSource.transaction(async (m) => {
      await m.getRepository(UserEntity).insert(user);
      await this.audit.record(
        actor,
        { action: 'user.create', targetType: 'user', targetId: user.id, changes: diffFields(null, user, AUDITED_FIELDS) },
        m,
      );
    });
    return user;
  }

  async update(id: string, dto: UpdateUserDto, actor: AuditActor): Promise<UserEntity> {
    const before = await this.get(id);
    const after: UserEntity = { ...before, ...definedOnly(dto), updatedAt: this.clock.now() };
    const demoting = before.role === 'admin' && after.role !== 'admin';
    const disabling = !before.disabled && after.disabled;
    if ((demoting || disabling) && id === actor.actorId) throw new UserException(UserErrorCode.SelfChange);
    // Only an active admin counts: demoting one that is already disabled leaves the active admins as they are.
    if ((demoting || disabling) && before.role === 'admin' && !before.disabled && (await this.activeAdminCount()) <= 1) {
      throw new UserException(UserErrorCode.LastAdmin);
    }
    const changes = diffFields(before, after, AUDITED_FIELDS);
    if (Object.keys(changes).length === 0) return before;
    await this.dataSource.transaction(async (m) => {
      await m.getRepository(UserEntity).update({ id }, {
        name: after.name,
        role: after.role,
        disabled: after.disabled,
        locale: after.locale,
        updatedAt: after.updatedAt,
      });
      await this.audit.record(actor, { action: disabling ? 'user.disable' : 'user.update', targetType: 'user', targetId: id, changes }, m);
    });
    if (disabling || demoting) await this.sessions.revokeAllForUser(id);
    return after;
  }

  /** An admin sets a new password: unlocks the account and ends its sessions. */
  async setPassword(id: string, password: string, actor: AuditActor): Promise<void> {
    await this.get(id);
    await this.storePassword(id, password, actor, 'user.password_reset');
  }

  async changeOwnPassword(userId: string, current: string, next: string, actor: AuditActor): Promise<void> {
    const user = await this.get(userId);
    if (!(await this.hasher.verify(user.passwordHash, current))) {
      await this.audit.record(actor, { action: 'user.password_change_failed', targetType: 'user', targetId: userId });
      throw new AuthException(AuthErrorCode.WrongCurrentPassword);
    }
    if (current === next) throw new AuthException(AuthErrorCode.PasswordReused);
    await this.storePassword(userId, next, actor, 'user.password_change');
  }

  private async storePassword(id: string, password: string, actor: AuditActor, action: string): Promise<void> {
    const hash = await this.hasher.hash(password);
    const now = this.clock.now();
    await this.dataSource.transaction(async (m) => {
      await m.getRepository(UserEntity).update({ id }, { passwordHash: hash, passwordChangedAt: now, updatedAt: now, failedLogins: 0, lockedUntil: null });
      await this.audit.record(actor, { action, targetType: 'user', targetId: id }, m);
    });
    await this.sessions.revokeAllForUser(id);
  }

  private activeAdminCount(): Promise<number> {
    return this.users.countBy({ role: 'admin' as Role, disabled: false });
  }
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
