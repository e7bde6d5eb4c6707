/**
 * Reference-list forms (gazetteer places, agencies, goods categories): zod schemas shared by the
 * admin forms and the server-only data layer (lib/reference/lists.ts). Messages are i18n keys in
 * reference.json. Pure module.
 */
import '@/lib/zod-setup';
import { z } from 'zod';
import { AGENCY_KINDS, PLACE_KINDS } from '@/db/enums';

export const REFERENCE_LISTS = ['places', 'agencies', 'goods'] as const;
export type ReferenceList = (typeof REFERENCE_LISTS)[number];

/** The kinds an entry of each list has (places and agencies), null for a list without kinds (goods). */
export const LIST_KINDS: Record<ReferenceList, readonly string[] | null> = { places: PLACE_KINDS, agencies: AGENCY_KINDS, goods: null };

export const referenceListSchema = z.enum(REFERENCE_LISTS, { error: 'reference.errors.notFound' });

export const NAME_MAX_LENGTH = 120;

/** A display name: NFC, trimmed, 1–120 characters, no control characters. */
export function nameSchema(required: string) {
  return z
    .string({ error: required })
    .transform((s) => s.normalize('NFC').trim())
    .pipe(
      z
        .string()
        .min(1, { error: required, abort: true })
        .max(NAME_MAX_LENGTH, { error: 'reference.errors.nameTooLong', abort: true })
        .regex(/^[^\p{Cc}\p{Cf}]*$/u, 'reference.errors.nameCharacters'),
    );
}

const names = {
  nameEn: nameSchema('reference.errors.nameEnRequired'),
  nameKo: nameSchema('reference.errors.nameKoRequired'),
};

const entryId = z.string({ error: 'reference.errors.notFound' }).regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'reference.errors.notFound');

/** The "add" form of each list. `parentId` '' means a top-level place. */
export const addEntrySchemas = {
  places: z
    .object({
      ...names,
      kind: z.enum(PLACE_KINDS, { error: 'reference.errors.kindInvalid' }),
      country: z.enum(['KP', 'CN'], { error: 'reference.errors.countryInvalid' }),
      parentId: z.union([z.literal(''), entryId]).optional().transform((v) => v || null),
    })
    .strict(),
  agencies: z.object({ ...names, kind: z.enum(AGENCY_KINDS, { error: 'reference.errors.kindInvalid' }) }).strict(),
  goods: z.object(names).strict(),
} as const;

export const renameEntrySchema = z.object(names).strict();

export const entryIdSchema = entryId;

/**
 * A new entry's id from its English name: lower-case ASCII words joined by '-', at most 48
 * characters (places get a country prefix like the gazetteer's "kp-hyesan"). Never empty.
 */
export function slugForName(nameEn: string, prefix = ''): string {
  const words = nameEn
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/g, '');
  return `${prefix}${words || 'entry'}`;
}
