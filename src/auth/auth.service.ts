import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { AuditActor } from '../audit/audit-context';
import { Clock } from '../clock/clock';
import { AppConfig } from '../config/app-config';
import { UserEntity } from '../users/user.entity';
import { AuthErrorCode, AuthException } from './auth.exception';
import { FailureWindow } from './login-throttle';
import { PasswordHasher } from './password-hasher';
import { SessionService } from './session.service';

const GENERIC_FAILURE = 'Wrong email or password, or the account is locked or disabled.';
const IP_WINDOW_MS = 15 * 60_000;

/** Checks credentials with throttling per IP and locking per account, and audits every attempt. */
@Injectable()
export class AuthService {
  private readonly ipFailures: FailureWindow;

  constructor(
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    private readonly hasher: PasswordHasher,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly sessions: SessionService,
  ) {
    this.ipFailures = new FailureWindow(config.LOGIN_IP_LIMIT, IP_WINDOW_MS);
  }

  async validateCredentials(emailInput: string, password: string, actor: AuditActor): Promise<UserEntity> {
    const email = emailInput.trim().toLowerCase().slice(0, 254);
    const now = this.clock.now();
    const ipKey = actor.ip ?? 'unknown';
    const attempt = { ...actor, actorLabel: email };

    if (this.ipFailures.isBlocked(ipKey, now.getTime())) {
      await this.audit.record(attempt, { action: 'auth.login_throttled', details: { scope: 'ip' } });
      throw new AuthException(AuthErrorCode.Throttled, 'Too many failed sign-ins from this address. Wait a few minutes and try again.');
    }

    const user = await this.users.findOneBy({ email });
    const fail = async (reason: string, userId: string | null) => {
      this.ipFailures.record(ipKey, now.getTime());
      await this.audit.record(
        { ...attempt, actorId: userId },
        { action: 'auth.login_failed', targetType: userId ? 'user' : undefined, targetId: userId, details: { reason } },
      );
      return new AuthException(AuthErrorCode.InvalidCredentials, GENERIC_FAILURE);
    };

    if (!user) {
      await this.hasher.verifyNothing(password);
      throw await fail('unknown_account', null);
    }
    if (user.lockedUntil && new Date(user.lockedUntil).getTime() > now.getTime()) {
      await this.hasher.verifyNothing(password);
      throw await fail('locked', user.id);
    }
    const ok = await this.hasher.verify(user.passwordHash, password);
    if (!ok) {
      const failures = user.failedLogins + 1;
      const lock = failures >= this.config.LOGIN_MAX_FAILURES;
      await this.users.update(
        { id: user.id },
        lock
          ? { failedLogins: 0, lockedUntil: new Date(now.getTime() + this.config.LOGIN_LOCK_MINUTES * 60_000) }
          : { failedLogins: failures },
      );
      if (lock) {
        await this.audit.record(attempt, {
          action: 'user.locked',
          targetType: 'user',
          targetId: user.id,
          details: { minutes: this.config.LOGIN_LOCK_MINUTES, failures },
        });
      }
      throw await fail('wrong_password', user.id);
    }
    if (user.disabled) throw await fail('disabled', user.id);

    await this.users.update({ id: user.id }, { failedLogins: 0, lockedUntil: null, lastLoginAt: now });
    await this.audit.record({ ...attempt, actorId: user.id }, { action: 'auth.login', targetType: 'user', targetId: user.id });
    return user;
  }

  async logout(sessionId: string, actor: AuditActor): Promise<void> {
    await this.sessions.revoke(sessionId);
    await this.audit.record(actor, { action: 'auth.logout', targetType: 'user', targetId: actor.actorId });
  }
}
