import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { EntityManager, IsNull, Repository } from 'typeorm';
import { AssessmentEntity } from '../assessments/assessment.entity';
import { PORTAL_OPEN } from '../assessments/assessment-lifecycle';
import { FailureWindow } from '../auth/login-throttle';
import { csrfTokenFor, hashToken, newSessionToken } from '../auth/session-token';
import { Clock } from '../clock/clock';
import { AppConfig } from '../config/app-config';
import { PreparedLookup } from '../database/prepared-lookup';
import type { PortalContext } from './portal-context';
import { PortalLinkEntity } from './portal-link.entity';
import { PortalSessionEntity } from './portal-session.entity';
import { PortalErrorCode, PortalException } from './portal.exception';

export interface IssuedLink {
  token: string;
  link: PortalLinkEntity;
}

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;
const TOUCH_INTERVAL_MS = 60_000;

/**
 * Portal links and the sessions they are exchanged for. Tokens carry 256 random bits and are
 * stored only as SHA-256. Every refusal looks the same from outside.
 */
@Injectable()
export class PortalAccessService {
  private readonly failures: FailureWindow;
  private readonly sessionLookup: PreparedLookup;

  constructor(
    @InjectRepository(PortalLinkEntity) private readonly links: Repository<PortalLinkEntity>,
    @InjectRepository(PortalSessionEntity) private readonly sessions: Repository<PortalSessionEntity>,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {
    this.failures = new FailureWindow(config.PORTAL_TOKEN_IP_LIMIT, 15 * 60_000);
    this.sessionLookup = new PreparedLookup(
      sessions.manager.dataSource,
      [
        { alias: 's', entity: PortalSessionEntity, properties: ['id', 'assessmentId', 'lastSeenAt', 'expiresAt', 'revokedAt'] },
        { alias: 'l', entity: PortalLinkEntity, properties: ['id', 'revokedAt'] },
        { alias: 'a', entity: AssessmentEntity, properties: ['id', 'status'] },
      ],
      (ds) =>
        ds
          .getRepository(PortalSessionEntity)
          .createQueryBuilder('s')
          .innerJoin('s.link', 'l')
          .innerJoin(AssessmentEntity, 'a', 'a.id = s.assessmentId')
          .where('s.tokenHash = :key'),
    );
  }

  /** A new link for the assessment; earlier links stop working (their open sessions carry on). */
  async issueLink(assessmentId: string, expiresAt: Date, createdBy: string | null, m: EntityManager, options: { first?: boolean } = {}): Promise<IssuedLink> {
    const now = this.clock.now();
    // A first link has nothing to replace; skipping the update also spares MariaDB a gap lock
    // that made concurrent sends deadlock.
    if (!options.first) {
      await m.getRepository(PortalLinkEntity).update({ assessmentId, revokedAt: IsNull(), supersededAt: IsNull() }, { supersededAt: now });
    }
    const token = newSessionToken();
    const link = m.getRepository(PortalLinkEntity).create({
      id: randomUUID(),
      tokenHash: hashToken(token),
      assessmentId,
      createdAt: now,
      createdBy,
      expiresAt,
      revokedAt: null,
      supersededAt: null,
      lastUsedAt: null,
    });
    await m.getRepository(PortalLinkEntity).insert(link);
    return { token, link };
  }

  /** Revokes every link of the assessment and ends the sessions opened with them. */
  async revokeAll(assessmentId: string, m: EntityManager): Promise<number> {
    const now = this.clock.now();
    const result = await m.getRepository(PortalLinkEntity).update({ assessmentId, revokedAt: IsNull() }, { revokedAt: now });
    await m.getRepository(PortalSessionEntity).update({ assessmentId, revokedAt: IsNull() }, { revokedAt: now });
    return result.affected ?? 0;
  }

  /** Moves the expiry of the assessment's live links (the due date changed). */
  async extendLinks(assessmentId: string, expiresAt: Date, m: EntityManager): Promise<void> {
    await m.getRepository(PortalLinkEntity).update({ assessmentId, revokedAt: IsNull(), supersededAt: IsNull() }, { expiresAt });
  }

  /** The active link's expiry, when the assessment has one. */
  async activeLink(assessmentId: string): Promise<PortalLinkEntity | null> {
    return this.links.findOne({ where: { assessmentId, revokedAt: IsNull(), supersededAt: IsNull() }, order: { createdAt: 'DESC' } });
  }

  /**
   * Exchanges a link token for a session token. Throttled per IP; unknown, expired, revoked and
   * replaced links, and links of closed assessments, are refused alike.
   */
  async exchange(token: string, ip: string): Promise<{ token: string; expiresAt: Date; assessmentId: string }> {
    const nowMs = this.clock.now().getTime();
    if (this.failures.isBlocked(ip, nowMs)) throw new PortalException(PortalErrorCode.Throttled, 'Too many attempts with invalid links. Wait a few minutes.');
    const link = TOKEN_SHAPE.test(token)
      ? await this.links.findOne({ where: { tokenHash: hashToken(token) }, relations: { assessment: true } })
      : null;
    const now = new Date(nowMs);
    const usable =
      link &&
      !link.revokedAt &&
      !link.supersededAt &&
      nowMs < new Date(link.expiresAt).getTime() &&
      link.assessment &&
      PORTAL_OPEN.has(link.assessment.status);
    if (!usable) {
      this.failures.record(ip, nowMs);
      throw new PortalException(PortalErrorCode.LinkInvalid);
    }
    const sessionToken = newSessionToken();
    const expiresAt = new Date(Math.min(new Date(link.expiresAt).getTime(), nowMs + this.config.PORTAL_SESSION_HOURS * 3600_000));
    await this.sessions.insert({
      id: randomUUID(),
      tokenHash: hashToken(sessionToken),
      assessmentId: link.assessmentId,
      linkId: link.id,
      createdAt: now,
      lastSeenAt: now,
      expiresAt,
      revokedAt: null,
    });
    await this.links.update({ id: link.id }, { lastUsedAt: now });
    return { token: sessionToken, expiresAt, assessmentId: link.assessmentId };
  }

  /** The live portal session behind a token, or null. */
  async resolve(token: string, via: PortalContext['via']): Promise<PortalContext | null> {
    if (!TOKEN_SHAPE.test(token)) return null;
    const row = await this.sessionLookup.one(hashToken(token));
    if (!row) return null;
    const s = row.s as Pick<PortalSessionEntity, 'id' | 'assessmentId' | 'lastSeenAt' | 'expiresAt' | 'revokedAt'>;
    const l = row.l as Pick<PortalLinkEntity, 'revokedAt'>;
    const a = row.a as Pick<AssessmentEntity, 'status'>;
    const now = this.clock.now().getTime();
    if (s.revokedAt || l.revokedAt || now >= new Date(s.expiresAt).getTime() || !PORTAL_OPEN.has(a.status)) return null;
    if (now - new Date(s.lastSeenAt).getTime() > TOUCH_INTERVAL_MS) await this.sessions.update({ id: s.id }, { lastSeenAt: new Date(now) });
    return { assessmentId: s.assessmentId, sessionId: s.id, csrfToken: csrfTokenFor(token), via };
  }

  async endSession(sessionId: string): Promise<void> {
    await this.sessions.update({ id: sessionId, revokedAt: IsNull() }, { revokedAt: this.clock.now() });
  }
}
