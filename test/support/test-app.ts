import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import request, { type Response } from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { configureApp, createAdapter } from '../../src/app.setup';
import { AuditEventEntity } from '../../src/audit/audit-event.entity';
import { SYSTEM_ACTOR } from '../../src/audit/audit-context';
import { SessionEntity } from '../../src/auth/session.entity';
import type { Role } from '../../src/auth/permissions';
import { Clock, FixedClock } from '../../src/clock/clock';
import { ContractClauseEntity } from '../../src/contracts/contract-clause.entity';
import { ContractEntity } from '../../src/contracts/contract.entity';
import { AppConfig, loadConfig } from '../../src/config/app-config';
import { UserEntity } from '../../src/users/user.entity';
import { UsersService } from '../../src/users/users.service';
import type { CreateVendorDto } from '../../src/vendors/dto/vendor-input.dto';
import { VendorEntity } from '../../src/vendors/vendor.entity';
import { VendorsService } from '../../src/vendors/vendors.service';
import { createTestDatabase, TestDatabase } from './test-database';

export const ADMIN_EMAIL = 'admin@portal.test';
export const ADMIN_PASSWORD = 'correct horse battery staple';
export const USER_PASSWORD = 'a long enough password';

export interface StaffUser {
  id: string;
  email: string;
  role: Role;
  token: string;
}

/**
 * The real application (same module graph, pipe, filter and guard as production) on a
 * database of its own, with a fixed clock and factories for the things tests need.
 */
export class TestContext {
  private seq = 0;

  private constructor(
    readonly app: NestFastifyApplication,
    readonly clock: FixedClock,
    readonly config: AppConfig,
    private readonly db: TestDatabase,
    private readonly dataDir: string,
  ) {}

  static async create(env: Record<string, string> = {}, now = '2026-03-02T09:00:00.000Z', shared?: { db: TestDatabase; dataDir: string }): Promise<TestContext> {
    const db = shared?.db ?? (await createTestDatabase());
    const dataDir = shared?.dataDir ?? mkdtempSync(path.join(tmpdir(), 'vdp-test-'));
    const config = loadConfig({
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      // Tests run the reminder engine themselves, at the moments they choose.
      REMINDERS_ENABLED: 'false',
      // Counts as they are at each request.
      DASHBOARD_CACHE_SECONDS: '0',
      ADMIN_EMAIL,
      ADMIN_PASSWORD,
      PUBLIC_URL: 'http://portal.test',
      ...(db.url ? { DATABASE_URL: db.url } : {}),
      ...env,
    });
    const clock = new FixedClock(new Date(now));
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
      .overrideProvider(AppConfig)
      .useValue(config)
      .overrideProvider(Clock)
      .useValue(clock)
      .compile();
    const app = moduleRef.createNestApplication<NestFastifyApplication>(createAdapter(config), { logger: false });
    await configureApp(app, config);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    return new TestContext(app, clock, config, db, dataDir);
  }

  get http(): TestAgent {
    return request(this.app.getHttpServer());
  }

  get dataSource(): DataSource {
    return this.app.get(DataSource);
  }

  /**
   * A second app on the same database and data folder, with its own clock (set to this one's
   * time) and configuration: another instance of the portal. Close it before this one.
   */
  async twin(env: Record<string, string> = {}): Promise<TestContext> {
    const twin = await TestContext.create(env, this.clock.now().toISOString(), { db: { url: this.db.url, drop: async () => undefined }, dataDir: this.dataDir });
    twin.shared = true;
    return twin;
  }

  private shared = false;

  /**
   * The app stopped and started again on the same database and data folder (a restart of the
   * portal): this context is closed without dropping anything, and the new one owns the data.
   */
  async restart(env: Record<string, string> = {}): Promise<TestContext> {
    await this.app.close();
    return TestContext.create(env, this.clock.now().toISOString(), { db: this.db, dataDir: this.dataDir });
  }

  async close(): Promise<void> {
    await this.app.close();
    if (this.shared) return;
    await this.db.drop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  async login(email: string, password: string): Promise<string> {
    const res = await this.http.post('/api/auth/login').send({ email, password });
    if (res.status !== 200) throw new Error(`login of ${email} failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.token as string;
  }

  async admin(): Promise<StaffUser> {
    const user = await this.dataSource.getRepository(UserEntity).findOneByOrFail({ email: ADMIN_EMAIL });
    return { id: user.id, email: ADMIN_EMAIL, role: 'admin', token: await this.login(ADMIN_EMAIL, ADMIN_PASSWORD) };
  }

  /** A staff user of the given role, signed in. */
  async newUser(role: Role, overrides: { email?: string; name?: string } = {}): Promise<StaffUser> {
    const n = ++this.seq;
    const email = overrides.email ?? `${role}${n}@portal.test`;
    const user = await this.app.get(UsersService).create(
      { email, name: overrides.name ?? `${role} user ${n}`, role, password: USER_PASSWORD },
      SYSTEM_ACTOR,
    );
    return { id: user.id, email, role, token: await this.login(email, USER_PASSWORD) };
  }

  /** A fresh session for a user made earlier (after the clock moved past the old one's lifetime). */
  async relogin(user: StaffUser, password = USER_PASSWORD): Promise<StaffUser> {
    user.token = user.role === 'admin' && user.email === ADMIN_EMAIL ? await this.login(ADMIN_EMAIL, ADMIN_PASSWORD) : await this.login(user.email, password);
    return user;
  }

  /** Row counts of the tables a request could write to, to show that a refused request wrote nothing. */
  async counts(): Promise<{ vendors: number; users: number; sessions: number; audit: number; contracts: number; contractClauses: number }> {
    const ds = this.dataSource;
    const [vendors, users, sessions, audit, contracts, contractClauses] = await Promise.all([
      ds.getRepository(VendorEntity).count(),
      ds.getRepository(UserEntity).count(),
      ds.getRepository(SessionEntity).count(),
      ds.getRepository(AuditEventEntity).count(),
      ds.getRepository(ContractEntity).count(),
      ds.getRepository(ContractClauseEntity).count(),
    ]);
    return { vendors, users, sessions, audit, contracts, contractClauses };
  }

  /** A vendor owned by `ownerId`, created through the service (audited like any other). */
  async newVendor(ownerId: string, overrides: Partial<CreateVendorDto> | Record<string, unknown> = {}): Promise<string> {
    const n = ++this.seq;
    const detail = await this.app.get(VendorsService).create({ ...vendorInput(ownerId, n), ...overrides } as CreateVendorDto, SYSTEM_ACTOR);
    return detail.vendor.id;
  }
}

/** A valid vendor body: a courier holding contact data (medium tier, 5 points). */
export function vendorInput(ownerId: string, n = 1): Record<string, any> {
  return {
    name: `Vendor ${n}`,
    legalEntity: `Vendor ${n} Ltd.`,
    country: 'DE',
    website: 'https://vendor.example',
    services: 'Parcel delivery',
    category: 'logistics',
    ownerId,
    contact: { name: 'Jo Contact', email: `contact${n}@vendor.example`, phone: '+49 30 1234567', language: 'en' },
    profile: {
      dataCategories: ['contact'],
      volumeBand: '1k_100k',
      accessLevel: 'file_exchange',
      criticality: 'moderate',
      crossBorder: false,
      jurisdictions: ['EU'],
    },
  };
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/**
 * The data profiles of domain.md §2's worked examples. The tiers they must give are written
 * out in the tests themselves, not taken from here.
 */
export const PROFILES = {
  /** Cloud host of our CRM: transaction data, 50k records, admin access, high criticality. */
  cloudHost: { dataCategories: ['transaction'], volumeBand: '1k_100k', accessLevel: 'network_admin', criticality: 'high', crossBorder: false, jurisdictions: ['EU'] },
  /** Email marketing service: contact data, 200k records, API, moderate. */
  emailMarketing: { dataCategories: ['contact'], volumeBand: '100k_1m', accessLevel: 'api', criticality: 'moderate', crossBorder: false, jurisdictions: ['EU'] },
  /** Payment processor: cards, 300k records, API, high. */
  paymentProcessor: { dataCategories: ['payment_card'], volumeBand: '100k_1m', accessLevel: 'api', criticality: 'high', crossBorder: false, jurisdictions: ['EU'] },
  /** Courier: contact data, 20k records, file exchange, moderate. */
  courier: { dataCategories: ['contact'], volumeBand: '1k_100k', accessLevel: 'file_exchange', criticality: 'moderate', crossBorder: false, jurisdictions: ['EU'] },
  /** Office cleaner: no personal information at all. */
  officeCleaner: { dataCategories: [], volumeBand: 'under_1k', accessLevel: 'none', criticality: 'low', crossBorder: false, jurisdictions: [] },
} satisfies Record<string, Record<string, unknown>>;

/** What must never reach a client in an error: stack frames, source paths, SQL or driver errors. */
const LEAK = /\bat [\w.<>]+ \(|\.[jt]s:\d+|\bSELECT\b|\bINSERT INTO\b|\bUPDATE [`"]|\bDELETE FROM\b|QueryFailedError|SqliteError|\bER_[A-Z_]+|sqlMessage|"stack"/i;

/**
 * Asserts an RFC 9457 problem document: the status, `application/problem+json`, the members
 * type, title, status, instance and code, and nothing internal. Returns the body.
 */
export function expectProblem(res: Response, status: number, code?: string): Record<string, any> {
  expect({ status: res.status, body: res.body }).toMatchObject({ status });
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({
    type: expect.any(String),
    title: expect.any(String),
    status,
    instance: expect.stringMatching(/^\//),
    code: code ?? expect.any(String),
  });
  expect(res.body.instance).not.toContain('?');
  expect(JSON.stringify(res.body)).not.toMatch(LEAK);
  return res.body as Record<string, any>;
}

/** The `errors[].path` of a validation problem. */
export function errorPaths(res: Response): string[] {
  return ((res.body?.errors ?? []) as Array<{ path: string }>).map((e) => e.path);
}
