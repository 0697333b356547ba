/**
 * Deterministic, varied rows for the benchmark database: staff users, vendors consistent with
 * what VendorsService would have stored (tier, tier rank, next review date), old sessions and
 * the audit events of the vendors' creation. Pure: no database access here.
 */
import { createHash, randomBytes } from 'node:crypto';
import { addMonths, toIsoDate } from '../../src/common/dates';
import type { Role } from '../../src/auth/permissions';
import {
  computeInherentTier,
  reviewIntervalMonths,
  type ReviewCadence,
  TIER_RANK,
} from '../../src/vendors/tiering/inherent-risk-tier';
import {
  type AccessLevel,
  CRITICALITIES,
  type Criticality,
  type DataCategory,
  type Jurisdiction,
  type Tier,
  TIERS,
  VENDOR_CATEGORIES,
  type VendorCategory,
  type VendorStatus,
  VOLUME_BANDS,
  type VolumeBand,
} from '../../src/vendors/vendor.enums';

/** A small seeded PRNG (mulberry32), so two runs measure the same data. */
export class Rng {
  constructor(private state: number) {}
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(maxExclusive: number): number {
    return Math.floor(this.next() * maxExclusive);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  /** Picks by weight: [[value, weight], ...]. */
  weighted<T>(entries: ReadonlyArray<readonly [T, number]>): T {
    const total = entries.reduce((s, [, w]) => s + w, 0);
    let r = this.next() * total;
    for (const [value, w] of entries) {
      r -= w;
      if (r < 0) return value;
    }
    return entries[entries.length - 1][0];
  }
  /** A v4-shaped UUID from the PRNG, so ids are reproducible too. */
  uuid(): string {
    const b = Buffer.alloc(16);
    for (let i = 0; i < 16; i++) b[i] = this.int(256);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = b.toString('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
}

export interface SeedUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  passwordHash: string;
  locale: string;
  disabled: boolean;
  failedLogins: number;
  lockedUntil: Date | null;
  lastLoginAt: Date | null;
  passwordChangedAt: Date;
  createdAt: Date;
  updatedAt: Date;
}

/** Column values of one vendor, named like VendorEntity's properties. */
export interface SeedVendor {
  id: string;
  name: string;
  legalEntity: string | null;
  country: string;
  website: string | null;
  services: string | null;
  category: VendorCategory;
  ownerId: string;
  status: VendorStatus;
  contactName: string;
  contactEmail: string;
  contactPhone: string | null;
  contactLanguage: 'en' | 'zh-CN';
  dataCategories: DataCategory[];
  volumeBand: VolumeBand;
  accessLevel: AccessLevel;
  criticality: Criticality;
  crossBorder: boolean;
  transferCountries: string[];
  jurisdictions: Jurisdiction[];
  tierScore: number;
  computedTier: Tier;
  tierOverride: Tier | null;
  tierOverrideReason: string | null;
  tierOverrideBy: string | null;
  tierOverrideAt: Date | null;
  tier: Tier;
  tierRank: number;
  lastReviewDate: string | null;
  nextReviewDate: string;
  archivedAt: Date | null;
  archiveReason: string | null;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

/** Words every vendor name starts with: `q=<word>` finds about 1/BRANDS.length of the register. */
export const BRANDS = [
  'Acme', 'Nimbus', 'Harbor', 'Lotus', 'Granite', 'Aurora', 'Cobalt', 'Meridian', 'Summit', 'Juniper',
  'Beacon', 'Orchid', 'Falcon', 'Willow', 'Quartz', 'Sable', 'Tundra', 'Vertex', 'Zephyr', 'Kestrel',
] as const;

interface CategoryProfile {
  words: readonly string[];
  services: readonly string[];
  data: ReadonlyArray<readonly DataCategory[]>;
  access: ReadonlyArray<readonly [AccessLevel, number]>;
}

const CATEGORY_PROFILES: Record<VendorCategory, CategoryProfile> = {
  cloud_hosting: {
    words: ['Cloud', 'Hosting', 'Compute'],
    services: ['Hosts the CRM and its databases', 'Object storage and backups', 'Managed Kubernetes for the web shop'],
    data: [['identity', 'contact', 'transaction'], ['identity', 'contact', 'transaction', 'behavioural'], ['identity', 'contact', 'financial_account']],
    access: [['network_admin', 3], ['api', 2]],
  },
  payment: {
    words: ['Pay', 'Payments', 'Checkout'],
    services: ['Card acquiring for the web shop', 'Payouts to marketplace sellers', 'Direct debit collection'],
    data: [['identity', 'contact', 'payment_card', 'transaction'], ['identity', 'financial_account', 'transaction']],
    access: [['api', 4], ['file_exchange', 1]],
  },
  saas: {
    words: ['Analytics', 'Payroll', 'Desk', 'Docs'],
    services: ['Payroll and tax filings', 'Product analytics on web and app', 'Customer support ticketing', 'Contract management'],
    data: [['identity', 'contact', 'government_id', 'financial_account'], ['behavioural', 'precise_location'], ['identity', 'contact', 'transaction'], ['contact']],
    access: [['api', 3], ['file_exchange', 1], ['none', 1]],
  },
  marketing: {
    words: ['Mail', 'Media', 'Reach'],
    services: ['Newsletter and campaign mailing', 'Paid social campaigns', 'Loyalty programme'],
    data: [['contact'], ['identity', 'contact', 'behavioural'], ['contact', 'minors']],
    access: [['api', 3], ['file_exchange', 2]],
  },
  logistics: {
    words: ['Freight', 'Logistics', 'Express'],
    services: ['Parcel delivery', 'Warehousing and fulfilment', 'Cross-border freight forwarding'],
    data: [['contact'], ['identity', 'contact', 'precise_location']],
    access: [['file_exchange', 3], ['api', 2]],
  },
  it_services: {
    words: ['Systems', 'IT Services', 'Networks'],
    services: ['Managed IT service desk and endpoint administration', 'Network operations centre', 'Security monitoring'],
    data: [['identity', 'contact'], ['identity', 'contact', 'transaction', 'behavioural'], []],
    access: [['network_admin', 4], ['api', 1]],
  },
  professional_services: {
    words: ['Legal', 'Advisory', 'Partners'],
    services: ['Employment law advice', 'Statutory audit', 'Health benefits administration'],
    data: [['identity', 'contact'], ['identity', 'contact', 'health', 'government_id'], ['identity', 'financial_account']],
    access: [['file_exchange', 3], ['none', 2]],
  },
  other: {
    words: ['Facilities', 'Catering', 'Print'],
    services: ['Office cleaning', 'Canteen catering', 'Print and mail room'],
    data: [[], ['contact']],
    access: [['none', 4], ['file_exchange', 1]],
  },
};

const COUNTRIES: ReadonlyArray<readonly [string, number]> = [
  ['CN', 5], ['DE', 3], ['US', 3], ['GB', 2], ['FR', 1], ['NL', 1], ['SG', 1], ['IE', 1], ['JP', 1],
];
const LEGAL_SUFFIX: Record<string, string> = {
  CN: '有限公司', DE: 'GmbH', US: 'Inc.', GB: 'Ltd.', FR: 'SAS', NL: 'B.V.', SG: 'Pte. Ltd.', IE: 'Limited', JP: 'K.K.',
};
const CONTACT_NAMES_EN = ['Jane Doe', 'Maria Rossi', 'Tom Becker', 'Priya Nair', 'Alex Kim', 'Sam Lee', 'Lena Vogel', 'Omar Haddad'];
const CONTACT_NAMES_ZH = ['王芳', '李伟', '张敏', '刘洋', '陈静', '杨磊'];
const STATUSES: ReadonlyArray<readonly [VendorStatus, number]> = [
  ['active', 50], ['onboarding', 15], ['prospect', 10], ['offboarding', 10], ['terminated', 15],
];
const DAY_MS = 86_400_000;

/** Staff: the admin who signs in, plus procurement, reviewers and a viewer who own vendors. */
export function staffUsers(rng: Rng, adminEmail: string, passwordHash: string, now: Date): SeedUser[] {
  const people: Array<[string, string, Role, string]> = [
    [adminEmail, 'Bench Administrator', 'admin', 'en'],
    ['li.wei@bench.test', '李伟', 'procurement', 'zh-CN'],
    ['maria.garcia@bench.test', 'Maria Garcia', 'procurement', 'en'],
    ['tom.becker@bench.test', 'Tom Becker', 'procurement', 'en'],
    ['chen.jing@bench.test', '陈静', 'reviewer', 'zh-CN'],
    ['sam.okafor@bench.test', 'Sam Okafor', 'reviewer', 'en'],
    ['ana.silva@bench.test', 'Ana Silva', 'viewer', 'en'],
  ];
  return people.map(([email, name, role, locale]) => {
    const createdAt = new Date(now.getTime() - (400 + rng.int(300)) * DAY_MS);
    return {
      id: rng.uuid(),
      email,
      name,
      role,
      passwordHash,
      locale,
      disabled: false,
      failedLogins: 0,
      lockedUntil: null,
      lastLoginAt: null,
      passwordChangedAt: createdAt,
      createdAt,
      updatedAt: createdAt,
    };
  });
}

/** One vendor, with the derived columns computed the way VendorsService.applyTier does. */
export function makeVendor(rng: Rng, n: number, owners: readonly SeedUser[], cadence: ReviewCadence, now: Date): SeedVendor {
  const category = VENDOR_CATEGORIES[n % VENDOR_CATEGORIES.length];
  const p = CATEGORY_PROFILES[category];
  const brand = BRANDS[rng.int(BRANDS.length)];
  const word = rng.pick(p.words);
  const country = rng.weighted(COUNTRIES);
  const zh = country === 'CN' && rng.chance(0.7);
  const owner = owners[rng.int(owners.length)];
  const status = rng.weighted(STATUSES);
  const dataCategories = [...rng.pick(p.data)];
  const crossBorder = dataCategories.length > 0 && rng.chance(0.3);
  const transferCountries = crossBorder ? [...new Set([rng.pick(['US', 'SG', 'DE', 'IE', 'JP', 'CN']), rng.pick(['US', 'GB', 'NL'])])].filter((c) => c !== country) : [];
  const jurisdictions: Jurisdiction[] =
    country === 'CN' ? ['CN'] : country === 'US' ? (rng.chance(0.5) ? ['US-CA'] : ['US-CA', 'other']) : rng.chance(0.3) ? ['EU', 'CN'] : ['EU'];
  const profile = {
    dataCategories,
    volumeBand: VOLUME_BANDS[rng.int(VOLUME_BANDS.length)],
    accessLevel: rng.weighted(p.access),
    criticality: CRITICALITIES[rng.int(CRITICALITIES.length)],
    crossBorder: crossBorder && transferCountries.length > 0,
  };
  const result = computeInherentTier(profile);
  const createdAt = new Date(now.getTime() - rng.int(3 * 365) * DAY_MS - rng.int(DAY_MS));
  const overridden = rng.chance(0.02);
  const tierOverride = overridden ? TIERS[(TIERS.indexOf(result.tier) + 1) % TIERS.length] : null;
  const tier = tierOverride ?? result.tier;
  const reviewed = status === 'active' && rng.chance(0.5);
  const lastReviewDate = reviewed ? toIsoDate(new Date(Math.max(createdAt.getTime(), now.getTime() - rng.int(700) * DAY_MS))) : null;
  const base = lastReviewDate ?? toIsoDate(createdAt);
  const archived = status === 'terminated' ? rng.chance(0.3) : rng.chance(0.01);
  const updatedAt = new Date(Math.min(now.getTime(), createdAt.getTime() + rng.int(200) * DAY_MS));
  const num = String(n).padStart(5, '0');
  const contactName = zh ? rng.pick(CONTACT_NAMES_ZH) : rng.pick(CONTACT_NAMES_EN);
  const slug = `${brand}-${word}`.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  return {
    id: rng.uuid(),
    name: `${brand} ${word} ${num}`,
    legalEntity: zh ? `上海${brand}${word}${LEGAL_SUFFIX.CN}` : `${brand} ${word} ${LEGAL_SUFFIX[country] ?? 'Ltd.'}`,
    country,
    website: rng.chance(0.8) ? `https://${slug}-${num}.example` : null,
    services: rng.pick(p.services),
    category,
    ownerId: owner.id,
    status,
    contactName,
    contactEmail: `contact${num}@${slug}.example`,
    contactPhone: rng.chance(0.7) ? (country === 'CN' ? `+86 21 5555 ${String(rng.int(10000)).padStart(4, '0')}` : `+49 30 ${1000000 + rng.int(8999999)}`) : null,
    contactLanguage: zh ? 'zh-CN' : 'en',
    dataCategories,
    volumeBand: profile.volumeBand,
    accessLevel: profile.accessLevel,
    criticality: profile.criticality,
    crossBorder: profile.crossBorder,
    transferCountries: profile.crossBorder ? transferCountries : [],
    jurisdictions,
    tierScore: result.score,
    computedTier: result.tier,
    tierOverride,
    tierOverrideReason: overridden ? 'Reviewed by the security team: the intake understates the access this vendor has.' : null,
    tierOverrideBy: overridden ? owners[0].id : null,
    tierOverrideAt: overridden ? updatedAt : null,
    tier,
    tierRank: TIER_RANK[tier],
    lastReviewDate,
    nextReviewDate: addMonths(base, reviewIntervalMonths(tier, dataCategories, cadence)),
    archivedAt: archived ? updatedAt : null,
    archiveReason: archived ? 'Contract ended' : null,
    createdAt,
    updatedAt,
    version: 1 + (overridden ? 1 : 0) + (archived ? 1 : 0),
  };
}

/** Old sessions (expired or revoked), so the token lookup runs against a realistic table. */
export function oldSessions(rng: Rng, users: readonly SeedUser[], count: number, now: Date) {
  return Array.from({ length: count }, () => {
    const createdAt = new Date(now.getTime() - (1 + rng.int(200)) * DAY_MS);
    return {
      id: rng.uuid(),
      tokenHash: createHash('sha256').update(randomBytes(32)).digest('hex'),
      userId: users[rng.int(users.length)].id,
      createdAt,
      lastSeenAt: new Date(createdAt.getTime() + rng.int(3600_000)),
      expiresAt: new Date(createdAt.getTime() + 12 * 3600_000),
      revokedAt: rng.chance(0.5) ? new Date(createdAt.getTime() + rng.int(3600_000)) : null,
      ip: `10.0.${rng.int(255)}.${rng.int(255)}`,
      userAgent: 'Mozilla/5.0 (bench seed)',
    };
  });
}

/** The `vendor.create` audit event each seeded vendor would have left. */
export function creationEvent(v: SeedVendor, actor: SeedUser) {
  return {
    at: v.createdAt,
    actorId: actor.id,
    actorLabel: actor.email,
    action: 'vendor.create',
    targetType: 'vendor',
    targetId: v.id,
    ip: '10.0.0.1',
    requestId: null,
    changes: { name: { before: null, after: v.name }, tier: { before: null, after: v.tier }, status: { before: null, after: v.status } },
    details: null,
  };
}
