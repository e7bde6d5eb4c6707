/**
 * Enumerations shared by the database schema, zod schemas and client forms. Pure data with no
 * imports, so client bundles can use it without pulling in drizzle (db/schema.ts re-exports it).
 */

export const ROLES = ['partner', 'editor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const ACCOUNT_STATUSES = ['active', 'deactivated'] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

export const LOCALES = ['en', 'ko'] as const;
export type Locale = (typeof LOCALES)[number];

export const REPORT_STATUSES = [
  'draft',
  'submitted',
  'in_review',
  'changes_requested',
  'verified',
  'published',
  'retracted',
  'rejected',
] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

export const TIME_ZONES = ['Asia/Pyongyang', 'Asia/Shanghai', 'UTC'] as const;
export type TimeZoneName = (typeof TIME_ZONES)[number];

export const PLACE_PRECISIONS = ['exact', 'few_km', 'county', 'province'] as const;
export type PlacePrecision = (typeof PLACE_PRECISIONS)[number];

export const SOURCE_TYPES = ['direct_observation', 'informant', 'document', 'photo_video'] as const;
export type SourceType = (typeof SOURCE_TYPES)[number];

export const VEHICLE_TYPES = [
  'car',
  'van',
  'bus',
  'truck',
  'tractor_trailer',
  'motorcycle',
  'boat',
  'other',
] as const;
export type VehicleType = (typeof VEHICLE_TYPES)[number];

export const DIRECTIONS = ['into_kp', 'out_of_kp', 'within', 'unknown'] as const;
export type Direction = (typeof DIRECTIONS)[number];

export const CURRENCIES = ['CNY', 'USD', 'KPW'] as const;
export type Currency = (typeof CURRENCIES)[number];

export const AGENCY_ROLES = ['operator', 'protection', 'buyer', 'seller', 'enforcement', 'other'] as const;
export type AgencyRole = (typeof AGENCY_ROLES)[number];

export const PLACE_KINDS = ['province', 'city', 'county', 'river', 'crossing'] as const;
export const AGENCY_KINDS = ['trading_company', 'security', 'police', 'military', 'trade_bureau', 'other'] as const;

/** Admiralty (NATO AJP-2.1) grading: source reliability A–F, information credibility 1–6. */
export const SOURCE_RELIABILITIES = ['A', 'B', 'C', 'D', 'E', 'F'] as const;
export const INFORMATION_CREDIBILITIES = ['1', '2', '3', '4', '5', '6'] as const;

export const LINK_KINDS = ['corroborates', 'contradicts'] as const;

export const PUBLICATION_STATUSES = ['published', 'retracted'] as const;
export const PLACE_COARSENINGS = ['as_entered', 'county_or_city', 'province', 'country'] as const;
export const TIME_COARSENINGS = ['hour', 'day', 'week', 'month'] as const;

