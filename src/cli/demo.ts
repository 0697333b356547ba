/**
 * `npm run demo`: fills the portal with demo data through the real services, so every row is
 * validated, tiered and audited like one made in the UI. Configuration is read like the server
 * reads it (`.env`, then the environment): the same DATA_DIR or DATABASE_URL. Migrations run and
 * the first admin is made on the way in, as at a normal start.
 *
 * It creates four staff users, one per role, and thirteen vendors of different kinds, tiers,
 * statuses and jurisdictions (one with a tier override, one archived), and three assessments:
 * one completed with findings, one submitted for review, one still with its vendor (see
 * demo-assessments.ts). All names are invented.
 * Running it again changes nothing: users whose email exists and vendors whose name exists are
 * skipped.
 *
 * The demo users' password is DEMO_PASSWORD when set (at least 12 characters), otherwise the
 * fixed DEFAULT_DEMO_PASSWORD below; it is printed at the end. Demo data is for trying the
 * portal out: do not load it into a production register.
 */
import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { DataSource } from 'typeorm';
import { AppModule } from '../app.module';
import { type AuditActor, SYSTEM_ACTOR } from '../audit/audit-context';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../auth/password-hasher';
import type { Role } from '../auth/permissions';
import { JsonLogger } from '../common/logging/json-logger';
import { ConfigValidationError, loadConfig, loadDotEnv } from '../config/app-config';
import { databaseKind } from '../database/data-source-options';
import { CreateUserDto } from '../users/dto/user.dto';
import { UserEntity } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import { CreateVendorDto } from '../vendors/dto/vendor-input.dto';
import { VendorEntity } from '../vendors/vendor.entity';
import type { Tier } from '../vendors/vendor.enums';
import { VendorsService } from '../vendors/vendors.service';
import { DemoAssessmentSummary, loadDemoAssessments } from './demo-assessments';
import { DemoContractSummary, loadDemoContracts } from './demo-contracts';
import * as path from 'node:path';

/** The demo users' password unless DEMO_PASSWORD is set. Public by design: demo data only. */
export const DEFAULT_DEMO_PASSWORD = 'demo-portal-2026!';

/** Who the audit trail shows as having made the demo data. */
export const DEMO_ACTOR: AuditActor = { ...SYSTEM_ACTOR, actorLabel: 'demo' };

type DemoOwner = 'admin' | 'procurement' | 'reviewer';

export interface DemoUser {
  email: string;
  name: string;
  role: Role;
  locale: 'en' | 'zh-CN';
}

export const DEMO_USERS: readonly DemoUser[] = [
  { email: 'grace.okafor@example.com', name: 'Grace Okafor', role: 'admin', locale: 'en' },
  { email: 'wang.jing@example.com', name: '王静', role: 'procurement', locale: 'zh-CN' },
  { email: 'daniel.weber@example.com', name: 'Daniel Weber', role: 'reviewer', locale: 'en' },
  { email: 'priya.raman@example.com', name: 'Priya Raman', role: 'viewer', locale: 'en' },
];

export interface DemoVendor {
  /** The intake, as the API would receive it, without the owner. */
  input: Omit<CreateVendorDto, 'ownerId'>;
  /** Which demo user is the business owner, by role. */
  owner: DemoOwner;
  /** A tier override applied after creation, with its reason. */
  override?: { tier: Tier; reason: string };
  /** Archived after creation, with this reason. */
  archive?: string;
}

export const DEMO_VENDORS: readonly DemoVendor[] = [
  {
    owner: 'admin',
    input: {
      name: 'Stratus Harbour Cloud',
      legalEntity: 'Stratus Harbour Cloud Ltd.',
      country: 'IE',
      website: 'https://stratusharbour.example',
      services: 'Hosts the CRM, its database and nightly backups; their engineers hold admin access to the production network.',
      category: 'cloud_hosting',
      status: 'active',
      contact: { name: 'Aoife Brennan', email: 'security@stratusharbour.example', phone: '+353 1 555 0142', language: 'en' },
      profile: {
        dataCategories: ['identity', 'contact', 'transaction'],
        volumeBand: '1k_100k',
        accessLevel: 'network_admin',
        criticality: 'high',
        crossBorder: true,
        transferCountries: ['US'],
        jurisdictions: ['EU', 'US-CA'],
      },
    },
  },
  {
    owner: 'procurement',
    input: {
      name: 'Paycrest Payments',
      legalEntity: 'Paycrest Payments B.V.',
      country: 'NL',
      website: 'https://paycrest.example',
      services: 'Card acquiring and refunds for the web shop (hosted payment page, API).',
      category: 'payment',
      status: 'active',
      contact: { name: 'Joris de Vries', email: 'partners@paycrest.example', phone: '+31 20 555 0190', language: 'en' },
      profile: {
        dataCategories: ['identity', 'contact', 'payment_card', 'transaction'],
        volumeBand: '100k_1m',
        accessLevel: 'api',
        criticality: 'high',
        crossBorder: false,
        jurisdictions: ['EU'],
      },
    },
  },
  {
    owner: 'procurement',
    input: {
      name: 'Mailwren',
      legalEntity: 'Mailwren Inc.',
      country: 'US',
      website: 'https://mailwren.example',
      services: 'Newsletter and campaign mailing to about 200,000 subscribers, synced by API.',
      category: 'marketing',
      status: 'offboarding',
      contact: { name: 'Kelsey Moore', email: 'privacy@mailwren.example', phone: '+1 415 555 0117', language: 'en' },
      profile: {
        dataCategories: ['contact'],
        volumeBand: '100k_1m',
        accessLevel: 'api',
        criticality: 'moderate',
        crossBorder: true,
        transferCountries: ['US'],
        jurisdictions: ['EU', 'US-CA'],
      },
    },
  },
  {
    owner: 'procurement',
    input: {
      name: 'Swiftline Couriers',
      legalEntity: 'Swiftline Kurier GmbH',
      country: 'DE',
      website: 'https://swiftline.example',
      services: 'Parcel delivery in Germany and Austria; daily address file by SFTP.',
      category: 'logistics',
      status: 'active',
      contact: { name: 'Jonas Hartmann', email: 'dispatch@swiftline.example', phone: '+49 30 5550 1234', language: 'en' },
      profile: {
        dataCategories: ['contact'],
        volumeBand: '1k_100k',
        accessLevel: 'file_exchange',
        criticality: 'moderate',
        crossBorder: false,
        jurisdictions: ['EU'],
      },
    },
    override: {
      tier: 'high',
      reason: 'Also delivers prescription orders for the pharmacy line: the labels reveal health information, which the intake does not capture.',
    },
  },
  {
    owner: 'admin',
    input: {
      name: 'BrightNest Office Cleaning',
      legalEntity: 'BrightNest Facility Services GmbH',
      country: 'DE',
      services: 'Evening office cleaning, Berlin office. No system access, no personal information.',
      category: 'other',
      status: 'active',
      contact: { name: 'Sabine Krüger', email: 'office@brightnest.example', phone: '+49 30 5550 7788', language: 'en' },
      profile: {
        dataCategories: [],
        volumeBand: 'under_1k',
        accessLevel: 'none',
        criticality: 'low',
        crossBorder: false,
        jurisdictions: [],
      },
    },
  },
  {
    owner: 'reviewer',
    input: {
      name: 'Ledgerleaf Payroll',
      legalEntity: 'Ledgerleaf Software Ltd.',
      country: 'GB',
      website: 'https://ledgerleaf.example',
      services: 'Payroll SaaS: salaries, tax IDs and national insurance numbers, bank details of about 2,000 employees.',
      category: 'saas',
      status: 'onboarding',
      contact: { name: 'Oliver Grant', email: 'trust@ledgerleaf.example', phone: '+44 20 5550 0133', language: 'en' },
      profile: {
        dataCategories: ['identity', 'contact', 'government_id', 'financial_account'],
        volumeBand: '1k_100k',
        accessLevel: 'api',
        criticality: 'high',
        crossBorder: true,
        transferCountries: ['GB'],
        jurisdictions: ['EU'],
      },
    },
  },
  {
    owner: 'procurement',
    input: {
      name: '云途物流 Yuntu Logistics',
      legalEntity: '上海云途物流有限公司',
      country: 'CN',
      website: 'https://yuntu-logistics.example',
      services: '华东地区仓储与配送；每日通过 SFTP 交换收件人地址文件。Warehousing and delivery in East China.',
      category: 'logistics',
      status: 'onboarding',
      contact: { name: '陈晓明', email: 'chen.xiaoming@yuntu-logistics.example', phone: '+86 21 5555 0188', language: 'zh-CN' },
      profile: {
        dataCategories: ['identity', 'contact'],
        volumeBand: '100k_1m',
        accessLevel: 'file_exchange',
        criticality: 'moderate',
        crossBorder: false,
        jurisdictions: ['CN'],
      },
    },
  },
  {
    owner: 'reviewer',
    input: {
      name: 'Northgate Support Services',
      legalEntity: 'Northgate Customer Care Inc.',
      country: 'PH',
      website: 'https://northgate-support.example',
      services: 'Customer-support BPO: agents in Manila answer tickets and chats in our helpdesk, with order history.',
      category: 'professional_services',
      status: 'active',
      contact: { name: 'Maria Santos', email: 'compliance@northgate-support.example', phone: '+63 2 5555 0161', language: 'en' },
      profile: {
        dataCategories: ['identity', 'contact', 'transaction'],
        volumeBand: '100k_1m',
        accessLevel: 'api',
        criticality: 'high',
        crossBorder: true,
        transferCountries: ['PH'],
        jurisdictions: ['EU', 'US-CA'],
      },
    },
  },
  {
    owner: 'reviewer',
    input: {
      name: 'Lumen Metrics',
      legalEntity: 'Lumen Metrics Inc.',
      country: 'US',
      website: 'https://lumenmetrics.example',
      services: 'Product analytics: click streams and session behaviour from web and app.',
      category: 'saas',
      status: 'prospect',
      contact: { name: 'Evan Park', email: 'dpo@lumenmetrics.example', language: 'en' },
      profile: {
        dataCategories: ['behavioural'],
        volumeBand: 'over_1m',
        accessLevel: 'api',
        criticality: 'low',
        crossBorder: true,
        transferCountries: ['US'],
        jurisdictions: ['EU', 'US-CA', 'CN'],
      },
    },
  },
  {
    owner: 'admin',
    input: {
      name: 'Ironbridge IT Services',
      legalEntity: 'Ironbridge Managed Services Ltd.',
      country: 'GB',
      website: 'https://ironbridge-it.example',
      services: 'Managed IT: service desk, laptop fleet and domain administration with admin rights.',
      category: 'it_services',
      status: 'active',
      contact: { name: 'Rachel Adeyemi', email: 'soc@ironbridge-it.example', phone: '+44 161 555 0170', language: 'en' },
      profile: {
        dataCategories: ['identity', 'contact'],
        volumeBand: '1k_100k',
        accessLevel: 'network_admin',
        criticality: 'high',
        crossBorder: false,
        jurisdictions: ['EU'],
      },
    },
  },
  {
    owner: 'admin',
    input: {
      name: 'Whitfield & Chen LLP',
      legalEntity: 'Whitfield & Chen LLP',
      country: 'US',
      website: 'https://whitfieldchen.example',
      services: 'Employment and privacy law advice for the California entity; case files by secure file share.',
      category: 'professional_services',
      status: 'active',
      contact: { name: 'Laura Whitfield', email: 'lwhitfield@whitfieldchen.example', phone: '+1 213 555 0148', language: 'en' },
      profile: {
        dataCategories: ['identity', 'contact'],
        volumeBand: 'under_1k',
        accessLevel: 'file_exchange',
        criticality: 'moderate',
        crossBorder: false,
        jurisdictions: ['US-CA'],
      },
    },
  },
  {
    owner: 'reviewer',
    input: {
      name: 'Evercare Health Benefits',
      legalEntity: 'Evercare Benefits Administration LLC',
      country: 'US',
      website: 'https://evercare-benefits.example',
      services: 'Administers the employee health plan: enrolment, claims and dependants, including medical data.',
      category: 'professional_services',
      status: 'onboarding',
      contact: { name: 'Marcus Bell', email: 'privacy@evercare-benefits.example', phone: '+1 312 555 0126', language: 'en' },
      profile: {
        dataCategories: ['identity', 'contact', 'health', 'government_id'],
        volumeBand: '1k_100k',
        accessLevel: 'file_exchange',
        criticality: 'high',
        crossBorder: true,
        transferCountries: ['US'],
        jurisdictions: ['US-CA', 'EU'],
      },
    },
  },
  {
    owner: 'procurement',
    input: {
      name: 'Quillstone Print & Mail',
      legalEntity: 'Quillstone Print Ltd.',
      country: 'GB',
      website: 'https://quillstone.example',
      services: 'Printed and posted customer statements (replaced by e-mail statements).',
      category: 'other',
      status: 'terminated',
      contact: { name: 'Tom Ashby', email: 'accounts@quillstone.example', phone: '+44 117 555 0109', language: 'en' },
      profile: {
        dataCategories: ['contact'],
        volumeBand: '1k_100k',
        accessLevel: 'file_exchange',
        criticality: 'low',
        crossBorder: false,
        jurisdictions: ['EU'],
      },
    },
    archive: 'Contract ended in December 2025; statements are now sent by e-mail. Data deletion confirmed in writing.',
  },
];

export interface DemoSummary {
  users: { created: string[]; skipped: string[] };
  vendors: { created: Array<{ name: string; tier: Tier; status: string; note?: string }>; skipped: string[] };
  assessments: DemoAssessmentSummary;
  contracts: DemoContractSummary;
  password: string;
}

export interface DemoOptions {
  /** The demo users' password; DEFAULT_DEMO_PASSWORD when omitted. */
  password?: string;
  /** Where progress lines go; silent when omitted. */
  log?: (line: string) => void;
}

/** The demo password from DEMO_PASSWORD, or the default; refuses one the portal would refuse. */
export function demoPassword(value: string | undefined): string {
  const password = value || DEFAULT_DEMO_PASSWORD;
  if (password.length < PASSWORD_MIN_LENGTH || password.length > PASSWORD_MAX_LENGTH) {
    throw new Error(`DEMO_PASSWORD must have ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters`);
  }
  return password;
}

/**
 * Creates the demo users and vendors that do not exist yet, through the real services.
 * Idempotent: a user is matched by email, a vendor by name (archived ones included).
 */
export async function loadDemoData(app: INestApplicationContext, options: DemoOptions = {}): Promise<DemoSummary> {
  const log = options.log ?? (() => undefined);
  const password = demoPassword(options.password);
  const users = app.get(UsersService);
  const vendors = app.get(VendorsService);
  const dataSource = app.get(DataSource);
  const userRepo = dataSource.getRepository(UserEntity);
  const vendorRepo = dataSource.getRepository(VendorEntity);
  const summary: DemoSummary = { users: { created: [], skipped: [] }, vendors: { created: [], skipped: [] }, assessments: { created: [], skipped: [] }, contracts: { created: [], skipped: [] }, password };

  const owners = new Map<DemoOwner, string>();
  for (const u of DEMO_USERS) {
    const dto = await validDto(CreateUserDto, { email: u.email, name: u.name, role: u.role, locale: u.locale, password });
    let user = await userRepo.findOneBy({ email: dto.email.toLowerCase() });
    if (user) {
      summary.users.skipped.push(user.email);
      log(`  user    ${user.email} exists, skipped`);
    } else {
      user = await users.create(dto, DEMO_ACTOR);
      summary.users.created.push(user.email);
      log(`  user    ${user.email} (${u.role}, ${u.name}) created`);
    }
    if (u.role !== 'viewer') owners.set(u.role as DemoOwner, user.id);
  }

  for (const v of DEMO_VENDORS) {
    if (await vendorRepo.existsBy({ name: v.input.name })) {
      summary.vendors.skipped.push(v.input.name);
      log(`  vendor  ${v.input.name} exists, skipped`);
      continue;
    }
    const ownerId = owners.get(v.owner);
    if (!ownerId) throw new Error(`no demo user for the owner role ${v.owner}`);
    const dto = await validDto(CreateVendorDto, { ...structuredClone(v.input), ownerId });
    let detail = await vendors.create(dto, DEMO_ACTOR);
    const notes: string[] = [];
    if (v.override) {
      detail = await vendors.overrideTier(detail.vendor.id, v.override.tier, v.override.reason, DEMO_ACTOR);
      notes.push(`tier overridden from ${detail.vendor.computedTier}`);
    }
    if (v.archive) {
      detail = await vendors.archive(detail.vendor.id, v.archive, DEMO_ACTOR);
      notes.push('archived');
    }
    const created = { name: detail.vendor.name, tier: detail.vendor.tier, status: detail.vendor.status, note: notes.join(', ') || undefined };
    summary.vendors.created.push(created);
    log(`  vendor  ${created.name}: ${created.tier} tier (score ${detail.vendor.tierScore}), ${created.status}${created.note ? `, ${created.note}` : ''}`);
  }
  const actor = (role: DemoOwner): AuditActor => ({ ...DEMO_ACTOR, actorId: owners.get(role) ?? null });
  summary.assessments = await loadDemoAssessments(app, { sender: actor('procurement'), reviewer: actor('reviewer') }, log);
  summary.contracts = await loadDemoContracts(app, actor('procurement'), log);
  return summary;
}

/** Validates demo input with the API's own DTO rules, so demo rows are ones the API would accept. */
async function validDto<T extends object>(cls: new () => T, plain: Record<string, unknown>): Promise<T> {
  const dto = plainToInstance(cls, plain);
  const errors = await validate(dto, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
  if (errors.length > 0) {
    throw new Error(`invalid demo ${cls.name}: ${JSON.stringify(errors.map((e) => ({ property: e.property, constraints: e.constraints, children: e.children?.length })))}`);
  }
  return dto;
}

async function main(): Promise<void> {
  loadDotEnv();
  let config;
  let password: string;
  try {
    config = loadConfig();
    password = demoPassword(process.env.DEMO_PASSWORD);
  } catch (err) {
    console.error(err instanceof ConfigValidationError || err instanceof Error ? err.message : String(err));
    process.exit(1);
  }
  const out = (line: string) => process.stdout.write(line + '\n');
  out(`Loading demo data into the ${databaseKind(config)} database${config.DATABASE_URL ? '' : ` in ${config.dataDir}`}…`);
  // Quiet unless LOG_LEVEL asks for more: the output is the list of what was made.
  const logger = new JsonLogger(process.env.LOG_LEVEL ? config.LOG_LEVEL : 'warn');
  const app = await NestFactory.createApplicationContext(AppModule, { logger });
  try {
    const summary = await loadDemoData(app, { password, log: out });
    const { users, vendors } = summary;
    out('');
    out(`Users:   ${users.created.length} created, ${users.skipped.length} already there.`);
    out(`Vendors: ${vendors.created.length} created, ${vendors.skipped.length} already there.`);
    out(`Assessments: ${summary.assessments.created.length} created, ${summary.assessments.skipped.length} already there.`);
    out(`Contracts: ${summary.contracts.created.length} created, ${summary.contracts.skipped.length} already there.`);
    for (const a of summary.assessments.created.filter((x) => x.link)) {
      out(`  ${a.vendor} has a questionnaire waiting; its link (also in the email under ${path.join(config.dataDir, 'outbox')} unless SMTP_URL is set):`);
      out(`    ${a.link}`);
    }
    if (users.created.length > 0) {
      out('');
      out('Demo staff accounts (sign in at /login):');
      for (const u of DEMO_USERS.filter((d) => users.created.includes(d.email))) out(`  ${u.role.padEnd(12)} ${u.email}  (${u.name})`);
      out(`  password:    ${password}${process.env.DEMO_PASSWORD ? '  (from DEMO_PASSWORD)' : '  (the default demo password; set DEMO_PASSWORD to choose another)'}`);
    } else if (users.skipped.length > 0) {
      out('The demo staff accounts existed already; their passwords were left as they were.');
    }
  } finally {
    await app.close();
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
  });
}
