import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { IsNull, Repository } from 'typeorm';
import { Clock } from '../clock/clock';
import { AppConfig } from '../config/app-config';
import { PreparedLookup } from '../database/prepared-lookup';
import { UserEntity } from '../users/user.entity';
import type { AuthContext } from './auth-context';
import { SessionEntity } from './session.entity';
import { csrfTokenFor, hashToken, newSessionToken } from './session-token';

export interface IssuedSession {
  token: string;
  csrfToken: string;
  expiresAt: Date;
  sessionId: string;
}

/** How often a session's last-seen time is written back; idle expiry is that coarse. */
const TOUCH_INTERVAL_MS = 60_000;

@Injectable()
export class SessionService {
  /** The session and its user by token hash. */
  private readonly lookup: PreparedLookup;

  constructor(
    @InjectRepository(SessionEntity) private readonly sessions: Repository<SessionEntity>,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {
    this.lookup = new PreparedLookup(
      sessions.manager.dataSource,
      [
        { alias: 's', entity: SessionEntity, properties: ['id', 'lastSeenAt', 'expiresAt', 'revokedAt'] },
        { alias: 'u', entity: UserEntity, properties: ['id', 'email', 'name', 'role', 'locale', 'disabled'] },
      ],
      (ds) => ds.getRepository(SessionEntity).createQueryBuilder('s').innerJoin('s.user', 'u').where('s.tokenHash = :key'),
    );
  }

  async issue(user: UserEntity, meta: { ip?: string | null; userAgent?: string | null }): Promise<IssuedSession> {
    const token = newSessionToken();
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + this.config.SESSION_ABSOLUTE_HOURS * 3600_000);
    const session = await this.sessions.save(
      this.sessions.create({
        id: randomUUID(),
        tokenHash: hashToken(token),
        userId: user.id,
        createdAt: now,
        lastSeenAt: now,
        expiresAt,
        revokedAt: null,
        ip: meta.ip ?? null,
        userAgent: meta.userAgent ? meta.userAgent.slice(0, 255) : null,
      }),
    );
    return { token, csrfToken: csrfTokenFor(token), expiresAt, sessionId: session.id };
  }

  /** The live session behind a raw token, or null when it is unknown, revoked, expired, idle or its user disabled. */
  async resolve(token: string, via: AuthContext['via']): Promise<AuthContext | null> {
    if (!token || token.length > 200) return null;
    // One query per authenticated request, prepared once, for only the columns needed here.
    // (`findOne` with the relation ran two, the first a DISTINCT over a subquery of every column
    // of both tables, password hash included.) Nothing but the SQL text is kept between calls,
    // so a revoked session or a disabled user is refused at once.
    const row = await this.lookup.one(hashToken(token));
    if (!row) return null;
    const session = row.s as Pick<SessionEntity, 'id' | 'lastSeenAt' | 'expiresAt' | 'revokedAt'>;
    const u = row.u as Pick<UserEntity, 'id' | 'email' | 'name' | 'role' | 'locale' | 'disabled'>;
    if (session.revokedAt || u.disabled) return null;
    const now = this.clock.now().getTime();
    if (now >= new Date(session.expiresAt).getTime()) return null;
    const lastSeen = new Date(session.lastSeenAt).getTime();
    if (now >= lastSeen + this.config.SESSION_IDLE_MINUTES * 60_000) return null;
    if (now - lastSeen > TOUCH_INTERVAL_MS) {
      await this.sessions.update({ id: session.id }, { lastSeenAt: new Date(now) });
    }
    return {
      user: { id: u.id, email: u.email, name: u.name, role: u.role, locale: u.locale },
      sessionId: session.id,
      csrfToken: csrfTokenFor(token),
      via,
    };
  }

  async revoke(sessionId: string): Promise<void> {
    await this.sessions.update({ id: sessionId, revokedAt: IsNull() }, { revokedAt: this.clock.now() });
  }

  async revokeAllForUser(userId: string): Promise<number> {
    const result = await this.sessions.update({ userId, revokedAt: IsNull() }, { revokedAt: this.clock.now() });
    return result.affected ?? 0;
  }
}
