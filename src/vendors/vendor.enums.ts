/** The closed vocabularies of the vendor register, shared by entities, DTOs, tiering and pages. */

export const VENDOR_CATEGORIES = [
  'cloud_hosting',
  'payment',
  'saas',
  'marketing',
  'logistics',
  'it_services',
  'professional_services',
  'other',
] as const;
export type VendorCategory = (typeof VENDOR_CATEGORIES)[number];

export const VENDOR_STATUSES = ['prospect', 'onboarding', 'active', 'offboarding', 'terminated'] as const;
export type VendorStatus = (typeof VENDOR_STATUSES)[number];

export const CONTACT_LANGUAGES = ['en', 'zh-CN'] as const;
export type ContactLanguage = (typeof CONTACT_LANGUAGES)[number];

/** Personal-information categories a vendor may hold (domain.md §2). */
export const DATA_CATEGORIES = [
  'identity',
  'contact',
  'transaction',
  'behavioural',
  'financial_account',
  'payment_card',
  'health',
  'biometric',
  'precise_location',
  'minors',
  'government_id',
] as const;
export type DataCategory = (typeof DATA_CATEGORIES)[number];

export const VOLUME_BANDS = ['under_1k', '1k_100k', '100k_1m', 'over_1m'] as const;
export type VolumeBand = (typeof VOLUME_BANDS)[number];

export const ACCESS_LEVELS = ['none', 'file_exchange', 'api', 'network_admin'] as const;
export type AccessLevel = (typeof ACCESS_LEVELS)[number];

export const CRITICALITIES = ['low', 'moderate', 'high'] as const;
export type Criticality = (typeof CRITICALITIES)[number];

export const JURISDICTIONS = ['CN', 'EU', 'US-CA', 'other'] as const;
export type Jurisdiction = (typeof JURISDICTIONS)[number];

export const TIERS = ['low', 'medium', 'high', 'critical'] as const;
export type Tier = (typeof TIERS)[number];

export const VENDOR_SORTS = [
  'name',
  '-name',
  'createdAt',
  '-createdAt',
  'tier',
  '-tier',
  'nextReviewDate',
  '-nextReviewDate',
] as const;
export type VendorSort = (typeof VENDOR_SORTS)[number];
