import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource, Repository } from 'typeorm';
import { withAdvisoryLock } from '../database/advisory-lock';
import { SYSTEM_ACTOR } from '../audit/audit-context';
import { AppConfig } from '../config/app-config';
import { UserEntity } from './user.entity';
import { UsersService } from './users.service';

/**
 * On the first start (no user at all), creates the first admin from ADMIN_EMAIL and
 * ADMIN_PASSWORD. Without a password it generates one and prints it once, to stdout only.
 */
@Injectable()
export class FirstAdminService implements OnApplicationBootstrap {
  private readonly logger = new Logger('FirstAdmin');

  constructor(
    @InjectRepository(UserEntity) private readonly userRepo: Repository<UserEntity>,
    private readonly users: UsersService,
    private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.ensureFirstAdmin();
  }

  /** Two instances starting at once on an empty database create one admin: the second finds it. */
  ensureFirstAdmin(): Promise<{ email: string; generatedPassword?: string } | null> {
    return withAdvisoryLock(this.dataSource, 'vdp_first_admin', () => this.createIfNoUser());
  }

  private async createIfNoUser(): Promise<{ email: string; generatedPassword?: string } | null> {
    if ((await this.userRepo.count()) > 0) return null;
    const email = (this.config.ADMIN_EMAIL ?? 'admin@example.com').toLowerCase();
    const generated = this.config.ADMIN_PASSWORD ? undefined : randomBytes(18).toString('base64url');
    await this.users.create({ email, name: 'Administrator', role: 'admin', password: this.config.ADMIN_PASSWORD ?? generated! }, SYSTEM_ACTOR);
    this.logger.log(`First admin created: ${email}`);
    if (generated) {
      process.stdout.write(
        [
          '',
          '==================================================================',
          ' First admin account created. This password is shown only once:',
          `   email:    ${email}`,
          `   password: ${generated}`,
          ' Sign in and change it under "My account".',
          '==================================================================',
          '',
        ].join('\n') + '\n',
      );
    }
    return { email, generatedPassword: generated };
  }
}
