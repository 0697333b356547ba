import type { Response } from 'supertest';
import { UserEntity } from '../../src/users/user.entity';
import { VendorEntity } from '../../src/vendors/vendor.entity';
import { ADMIN_PASSWORD, bearer, errorPaths, expectProblem, StaffUser, TestContext, vendorInput } from '../support/test-app';

/**
 * Every refused body or query answers a problem document naming the field, and leaves the
 * database exactly as it was.
 */

const DROP = Symbol('drop');

interface Case {
  label: string;
  /** Changes to the valid body: dotted path → new value (DROP removes the field). */
  edits?: Array<[string, unknown]>;
  /** A raw body sent as application/json instead of the edited valid one. */
  raw?: string | (() => string);
  /** The field the problem must name in errors[].path. */
  path?: string;
  status?: number;
  code?: string;
}

const missing = (path: string): Case => ({ label: `missing ${path}`, edits: [[path, DROP]], path });
const unknown = (path: string, value: unknown = 'x'): Case => ({ label: `unknown field ${path}`, edits: [[path, value]], path });
const bad = (what: string, path: string, value: unknown): Case => ({ label: `${what} ${path}`, edits: [[path, value]], path });

/** Bodies that are no JSON object at all. `valid` is the route's valid body, for the oversized one. */
const nonObjects = (valid: () => unknown): Case[] => [
  { label: 'malformed JSON', raw: '{bad', code: 'common.malformed_body' },
  { label: 'truncated JSON', raw: '{"name": "x"', code: 'common.malformed_body' },
  { label: 'a JSON array of objects', raw: '[{"name":"x"}]', code: 'common.validation' },
  { label: 'an empty JSON array', raw: '[]', code: 'common.validation' },
  { label: 'a JSON string', raw: '"hello"', code: 'common.validation' },
  { label: 'a JSON number', raw: '42', code: 'common.validation' },
  { label: 'JSON null', raw: 'null', code: 'common.validation' },
  {
    label: 'a body over 1 MB',
    raw: () => JSON.stringify({ ...(valid() as object), padding: 'x'.repeat(1024 * 1024) }),
    status: 413,
    code: 'common.payload_too_large',
  },
];

function edited(base: unknown, edits: Array<[string, unknown]>): unknown {
  const copy = structuredClone(base) as Record<string, any>;
  for (const [path, value] of edits) {
    const keys = path.split('.');
    let node = copy;
    for (const k of keys.slice(0, -1)) node = node[k] ??= {};
    const last = keys[keys.length - 1];
    if (value === DROP) delete node[last];
    else node[last] = value;
  }
  return copy;
}

const long = (n: number, c = 'x') => c.repeat(n);
/** A well-formed address of exactly `n` characters (n ≥ 80). */
const longEmail = (n: number) => {
  const domain = `${'b'.repeat(60)}.${'c'.repeat(60)}.example`;
  return `${'a'.repeat(n - domain.length - 1)}@${domain}`;
};

describe('request validation', () => {
  let ctx: TestContext;
  let admin: StaffUser;
  let vendorId: string;
  let userId: string;

  beforeAll(async () => {
    ctx = await TestContext.create({ LOGIN_IP_LIMIT: '10000' });
    admin = await ctx.admin();
    vendorId = await ctx.newVendor(admin.id);
    userId = (await ctx.newUser('viewer')).id;
  });
  afterAll(async () => ctx.close());

  /** Row counts plus the rows the routes under test could change. */
  const snapshot = async () => ({
    counts: await ctx.counts(),
    vendor: JSON.stringify(await ctx.dataSource.getRepository(VendorEntity).findOneBy({ id: vendorId })),
    user: JSON.stringify(await ctx.dataSource.getRepository(UserEntity).findOneBy({ id: userId })),
    admin: JSON.stringify(await ctx.dataSource.getRepository(UserEntity).findOneBy({ id: admin.id })),
  });

  interface Route {
    method: 'post' | 'patch' | 'put';
    path: () => string;
    valid: () => unknown;
    /** The status the valid body gets. */
    ok: number;
    anonymous?: boolean;
  }

  const ROUTES: Record<string, Route> = {
    'POST /api/vendors': { method: 'post', path: () => '/api/vendors', valid: () => vendorInput(admin.id, 99), ok: 201 },
    'PATCH /api/vendors/:id': {
      method: 'patch',
      path: () => `/api/vendors/${vendorId}`,
      valid: () => ({ name: 'Renamed Vendor', contact: vendorInput(admin.id).contact, profile: vendorInput(admin.id).profile, version: 1 }),
      ok: 200,
    },
    'POST /api/users': {
      method: 'post',
      path: () => '/api/users',
      valid: () => ({ email: 'new.person@portal.test', name: 'New Person', role: 'viewer', password: 'a long enough password', locale: 'en' }),
      ok: 201,
    },
    'PATCH /api/users/:id': { method: 'patch', path: () => `/api/users/${userId}`, valid: () => ({ name: 'Renamed', role: 'reviewer', disabled: false, locale: 'zh-CN' }), ok: 200 },
    'PUT /api/me/password': { method: 'put', path: () => '/api/me/password', valid: () => ({ currentPassword: ADMIN_PASSWORD, newPassword: 'a brand new admin password' }), ok: 204 },
    'POST /api/auth/login': { method: 'post', path: () => '/api/auth/login', valid: () => ({ email: 'admin@portal.test', password: ADMIN_PASSWORD }), ok: 200, anonymous: true },
  };

  const CASES: Record<keyof typeof ROUTES, Case[]> = {
    'POST /api/vendors': [
      ...['name', 'country', 'category', 'ownerId', 'contact', 'profile'].map(missing),
      ...['contact.name', 'contact.email', 'contact.language'].map(missing),
      ...['profile.dataCategories', 'profile.volumeBand', 'profile.accessLevel', 'profile.criticality', 'profile.crossBorder', 'profile.jurisdictions'].map(missing),
      unknown('isAdmin', true),
      unknown('tier', 'low'),
      unknown('id', '0b5e9c1e-7d0a-4f3e-8a51-6a2f0c9d4b11'),
      unknown('contact.extra', 1),
      unknown('profile.score', 0),
      unknown('profile.tier', 'low'),
      bad('number for', 'name', 123),
      bad('null for', 'name', null),
      bad('array for', 'name', ['Acme']),
      bad('number for', 'legalEntity', 42),
      bad('number for', 'country', 49),
      bad('object for', 'services', {}),
      bad('boolean for', 'status', true),
      bad('string for', 'contact', 'Jo Contact'),
      bad('array for', 'contact', []),
      bad('null for', 'contact', null),
      bad('number for', 'contact.email', 42),
      bad('string for', 'profile', 'courier'),
      bad('string for', 'profile.dataCategories', 'contact'),
      bad('numbers in', 'profile.dataCategories', [1, 2]),
      bad('string for', 'profile.crossBorder', 'yes'),
      bad('number for', 'profile.crossBorder', 1),
      bad('string for', 'profile.jurisdictions', 'EU'),
      bad('blank', 'name', '   '),
      bad('201 characters in', 'name', long(201)),
      bad('201 characters in', 'legalEntity', long(201)),
      bad('2001 characters in', 'services', long(2001)),
      bad('256 characters in', 'website', `https://${long(240)}.example`),
      bad('121 characters in', 'contact.name', long(121)),
      bad('255 characters in', 'contact.email', longEmail(255)),
      bad('41 characters in', 'contact.phone', long(41, '1')),
      bad('unknown value in', 'category', 'bogus'),
      bad('unknown value in', 'status', 'deleted'),
      bad('unknown value in', 'contact.language', 'fr'),
      bad('unknown value in', 'profile.volumeBand', 'huge'),
      bad('unknown value in', 'profile.accessLevel', 'root'),
      bad('unknown value in', 'profile.criticality', 'extreme'),
      bad('unknown value in', 'profile.dataCategories', ['contact', 'dna']),
      bad('duplicates in', 'profile.dataCategories', ['contact', 'contact']),
      bad('unknown value in', 'profile.jurisdictions', ['Mars']),
      bad('unknown code in', 'country', 'XX'),
      bad('malformed', 'contact.email', 'not-an-email'),
      bad('malformed', 'contact.phone', 'call me maybe'),
      bad('javascript: URL in', 'website', 'javascript:alert(1)'),
      bad('ftp URL in', 'website', 'ftp://files.vendor.example'),
      bad('malformed', 'ownerId', 'not-a-uuid'),
      { label: 'cross-border without destinations', edits: [['profile.crossBorder', true]], path: 'profile.transferCountries' },
      { label: 'unknown destination', edits: [['profile.crossBorder', true], ['profile.transferCountries', ['ZZ']]], path: 'profile.transferCountries' },
      { label: '51 destinations', edits: [['profile.crossBorder', true], ['profile.transferCountries', Array.from({ length: 51 }, () => 'US')]], path: 'profile.transferCountries' },
    ],
    'PATCH /api/vendors/:id': [
      unknown('tier', 'low'),
      unknown('tierOverride', 'low'),
      unknown('archivedAt', null),
      unknown('id', '0b5e9c1e-7d0a-4f3e-8a51-6a2f0c9d4b11'),
      unknown('contact.extra', 1),
      unknown('profile.score', 0),
      bad('number for', 'name', 123),
      bad('null for', 'name', null),
      bad('null for', 'country', null),
      bad('null for', 'category', null),
      bad('null for', 'status', null),
      bad('null for', 'ownerId', null),
      bad('null for', 'contact', null),
      bad('null for', 'profile', null),
      bad('null for', 'version', null),
      bad('string for', 'version', 'abc'),
      bad('fraction for', 'version', 1.5),
      bad('string for', 'contact', 'Jo'),
      bad('empty', 'name', ''),
      bad('201 characters in', 'name', long(201)),
      bad('201 characters in', 'legalEntity', long(201)),
      bad('2001 characters in', 'services', long(2001)),
      bad('unknown value in', 'status', 'deleted'),
      bad('unknown value in', 'category', 'bogus'),
      bad('unknown value in', 'contact.language', 'fr'),
      bad('unknown value in', 'profile.volumeBand', 'huge'),
      bad('unknown value in', 'profile.dataCategories', ['dna']),
      { label: 'a partial contact', edits: [['contact', { name: 'Only A Name' }]], path: 'contact.email' },
      { label: 'a partial profile', edits: [['profile', { volumeBand: 'under_1k' }]], path: 'profile.dataCategories' },
    ],
    'POST /api/users': [
      ...['email', 'name', 'role', 'password'].map(missing),
      unknown('isAdmin', true),
      unknown('disabled', false),
      unknown('passwordHash', 'x'),
      bad('number for', 'email', 42),
      bad('number for', 'name', 42),
      bad('null for', 'name', null),
      bad('null for', 'role', null),
      bad('number for', 'password', 123456789012345),
      bad('number for', 'locale', 1),
      bad('255 characters in', 'email', longEmail(255)),
      bad('121 characters in', 'name', long(121)),
      bad('11 characters in', 'password', long(11)),
      bad('257 characters in', 'password', long(257)),
      bad('unknown value in', 'role', 'root'),
      bad('unknown value in', 'locale', 'fr'),
      bad('malformed', 'email', 'not-an-email'),
      bad('blank', 'name', '   '),
    ],
    'PATCH /api/users/:id': [
      unknown('email', 'other@portal.test'),
      unknown('password', 'a long enough password'),
      unknown('passwordHash', 'x'),
      unknown('id', '0b5e9c1e-7d0a-4f3e-8a51-6a2f0c9d4b11'),
      bad('number for', 'name', 42),
      bad('null for', 'name', null),
      bad('null for', 'role', null),
      bad('null for', 'disabled', null),
      bad('null for', 'locale', null),
      bad('string for', 'disabled', 'yes'),
      bad('number for', 'disabled', 1),
      bad('empty', 'name', ''),
      bad('blank', 'name', '   '),
      bad('121 characters in', 'name', long(121)),
      bad('unknown value in', 'role', 'root'),
      bad('unknown value in', 'locale', 'fr'),
    ],
    'PUT /api/me/password': [
      missing('currentPassword'),
      missing('newPassword'),
      unknown('confirmPassword', 'a brand new admin password'),
      unknown('userId', '0b5e9c1e-7d0a-4f3e-8a51-6a2f0c9d4b11'),
      bad('number for', 'currentPassword', 123),
      bad('number for', 'newPassword', 123456789012345),
      bad('null for', 'newPassword', null),
      bad('empty', 'currentPassword', ''),
      bad('5 characters in', 'newPassword', 'short'),
      bad('257 characters in', 'newPassword', long(257)),
      bad('257 characters in', 'currentPassword', long(257)),
    ],
    'POST /api/auth/login': [
      missing('email'),
      missing('password'),
      unknown('remember', true),
      unknown('role', 'admin'),
      bad('number for', 'email', 42),
      bad('null for', 'email', null),
      bad('number for', 'password', 42),
      bad('malformed', 'email', 'admin'),
      bad('empty', 'password', ''),
      bad('255 characters in', 'email', longEmail(255)),
      bad('257 characters in', 'password', long(257)),
    ],
  };

  const send = (route: string, c: Case) => {
    const r = ROUTES[route];
    let req = ctx.http[r.method](r.path());
    if (!r.anonymous) req = req.set(bearer(admin.token));
    if (c.raw !== undefined) return req.set('content-type', 'application/json').send(typeof c.raw === 'function' ? c.raw() : c.raw);
    return req.send(edited(r.valid(), c.edits ?? []) as object);
  };

  const fieldCases = Object.entries(CASES).flatMap(([route, cases]) => cases.map((c) => [route, c.label, c] as const));
  const bodyCases = Object.keys(CASES).flatMap((route) => nonObjects(ROUTES[route].valid).map((c) => [route, c.label, c] as const));

  it.each(fieldCases)('%s refuses %s, naming the field', async (route, _label, c) => {
    const before = await snapshot();
    const res: Response = await send(route, c);
    const problem = expectProblem(res, 400, 'common.validation');
    expect(problem.instance).toBe(ROUTES[route].path());
    expect(errorPaths(res)).toContain(c.path);
    const errors = problem.errors as Array<{ path: string; pointer: string; message: unknown }>;
    expect(errors.filter((e) => !/^[A-Za-z][\w.]*$/.test(e.path) || typeof e.message !== 'string')).toEqual([]);
    expect(errors.map((e) => e.pointer)).toEqual(errors.map((e) => `/${e.path.replace(/\./g, '/')}`));
    expect(await snapshot()).toEqual(before);
  });

  it.each(bodyCases)('%s refuses %s', async (route, _label, c) => {
    const before = await snapshot();
    const res: Response = await send(route, c);
    const problem = expectProblem(res, c.status ?? 400, c.code);
    expect(problem.instance).toBe(ROUTES[route].path());
    // There is no field to name: no bogus paths such as "constructor" or "0".
    expect(problem.errors).toBeUndefined();
    expect(await snapshot()).toEqual(before);
  });

  it.each(Object.entries(ROUTES))('%s accepts its valid body (so the refusals above are about the edits)', async (route, r) => {
    // Runs after the refusals: the valid body really passes, so each refusal is down to its edit.
    let req = ctx.http[r.method](r.path());
    if (!r.anonymous) req = req.set(bearer(admin.token));
    const res = await req.send(r.valid() as object);
    expect({ status: res.status, body: res.body }).toMatchObject({ status: r.ok });
    if (route === 'PUT /api/me/password') {
      // The password changed and every admin session ended: change it back for what follows.
      const token = await ctx.login(admin.email, 'a brand new admin password');
      await ctx.http
        .put('/api/me/password')
        .set(bearer(token))
        .send({ currentPassword: 'a brand new admin password', newPassword: ADMIN_PASSWORD })
        .expect(204);
      admin = await ctx.admin();
    }
  });

  describe('query parameters of GET /api/vendors', () => {
    it.each([
      ['page=0', 'page'],
      ['page=-1', 'page'],
      ['page=abc', 'page'],
      ['page=1.5', 'page'],
      ['pageSize=1000', 'pageSize'],
      ['pageSize=0', 'pageSize'],
      ['tier=bogus', 'tier'],
      ['tier=low&tier=high', 'tier'],
      ['status=gone', 'status'],
      ['category=food', 'category'],
      ['sort=bogus', 'sort'],
      ['sort=-bogus', 'sort'],
      ['sort=password', 'sort'],
      ['ownerId=not-a-uuid', 'ownerId'],
      ['archived=maybe', 'archived'],
      ['foo=1', 'foo'],
      ['limit=10', 'limit'],
      [`q=${'x'.repeat(101)}`, 'q'],
    ])('refuses ?%s naming %s', async (query, path) => {
      const before = await snapshot();
      const res = await ctx.http.get(`/api/vendors?${query}`).set(bearer(admin.token));
      const problem = expectProblem(res, 400, 'common.validation');
      expect(problem.instance).toBe('/api/vendors');
      expect(errorPaths(res)).toContain(path);
      expect(await snapshot()).toEqual(before);
    });

    it.each([
      ['/api/users?role=root', 'role'],
      ['/api/users?pageSize=101', 'pageSize'],
      ['/api/audit?from=yesterday', 'from'],
      ['/api/audit?actorId=42', 'actorId'],
      ['/api/audit?page=0', 'page'],
      ['/api/audit?bogus=1', 'bogus'],
    ])('refuses %s naming %s', async (url, path) => {
      const res = await ctx.http.get(url).set(bearer(admin.token));
      expectProblem(res, 400, 'common.validation');
      expect(errorPaths(res)).toContain(path);
    });
  });
});
