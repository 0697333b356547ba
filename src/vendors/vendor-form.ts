import { field, fieldList, FormBody, optionalField } from '../common/forms/form-body';
import type { VendorEntity } from './vendor.entity';

/**
 * The onboarding/edit form of the pages, mapped to the API's DTO shape. Form fields are
 * named by their DTO paths (`contact.email`, `profile.volumeBand`), so validation errors
 * point back at the right inputs.
 */
export function vendorFormToInput(body: FormBody): Record<string, unknown> {
  const crossBorder = field(body, 'profile.crossBorder') === 'true';
  const countries = field(body, 'profile.transferCountries')
    .split(/[\s,;]+/)
    .map((c) => c.trim())
    .filter(Boolean);
  return {
    name: field(body, 'name'),
    legalEntity: optionalField(body, 'legalEntity'),
    country: field(body, 'country'),
    website: optionalField(body, 'website'),
    services: optionalField(body, 'services'),
    category: field(body, 'category'),
    ownerId: field(body, 'ownerId'),
    status: optionalField(body, 'status'),
    contact: {
      name: field(body, 'contact.name'),
      email: field(body, 'contact.email'),
      phone: optionalField(body, 'contact.phone'),
      language: field(body, 'contact.language'),
    },
    profile: {
      dataCategories: fieldList(body, 'profile.dataCategories'),
      volumeBand: field(body, 'profile.volumeBand'),
      accessLevel: field(body, 'profile.accessLevel'),
      criticality: field(body, 'profile.criticality'),
      crossBorder,
      ...(crossBorder || countries.length ? { transferCountries: countries } : {}),
      jurisdictions: fieldList(body, 'profile.jurisdictions'),
    },
  };
}

/** Form values (flat, by field name) from a stored vendor, for the edit form. */
export function vendorToFormValues(v: VendorEntity): Record<string, unknown> {
  return {
    name: v.name,
    legalEntity: v.legalEntity ?? '',
    country: v.country,
    website: v.website ?? '',
    services: v.services ?? '',
    category: v.category,
    ownerId: v.ownerId,
    status: v.status,
    'contact.name': v.contactName,
    'contact.email': v.contactEmail,
    'contact.phone': v.contactPhone ?? '',
    'contact.language': v.contactLanguage,
    'profile.dataCategories': v.dataCategories,
    'profile.volumeBand': v.volumeBand,
    'profile.accessLevel': v.accessLevel,
    'profile.criticality': v.criticality,
    'profile.crossBorder': v.crossBorder ? 'true' : '',
    'profile.transferCountries': v.transferCountries.join(', '),
    'profile.jurisdictions': v.jurisdictions,
    version: String(v.version),
  };
}
