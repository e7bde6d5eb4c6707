/**
 * The enumerations the UI needs (statuses, vehicle types, directions, grades, link kinds, …): the
 * one door through which app/ reads them, so pages and client components never import `db/`
 * (docs/architecture.md: app → lib → db). The lists themselves are declared once, in
 * db/enums.ts, beside the schema that stores them; this module adds nothing and has no imports
 * besides them, so client bundles can use it without pulling in drizzle.
 */
export * from '@/db/enums';
