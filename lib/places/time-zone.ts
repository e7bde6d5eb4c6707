/**
 * The IANA time zone of a gazetteer place, from its country. Pure (the report form uses it in the
 * browser to follow the chosen place).
 *
 * Source: the IANA time zone database, zone1970.tab — each of the gazetteer's two countries has one
 * zone: CN → Asia/Shanghai (all of China keeps Beijing time), KP → Asia/Pyongyang.
 */
import type { TimeZoneName } from '@/db/enums';

/** The gazetteer's countries (ISO 3166-1 alpha-2), as db/schema.ts `places.country`. */
export type PlaceCountry = 'KP' | 'CN';

const TIME_ZONE_BY_COUNTRY: Record<PlaceCountry, TimeZoneName> = {
  KP: 'Asia/Pyongyang',
  CN: 'Asia/Shanghai',
};

/** The time zone of a place in `country` (Dandong, CN → 'Asia/Shanghai'; Hyesan, KP → 'Asia/Pyongyang'). */
export function timeZoneOfCountry(country: PlaceCountry): TimeZoneName {
  return TIME_ZONE_BY_COUNTRY[country];
}
