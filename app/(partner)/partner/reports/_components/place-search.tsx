'use client';

import { useTranslations } from 'next-intl';
import type { FormPlaceOption } from '@/app/_components/report-form/sections';
import type { TimeZoneName } from '@/lib/enums';
import { matchesPlaceQuery, type SearchablePlace } from '@/lib/places/search';

/**
 * A gazetteer entry as the partner's form offers it: both names and those of the places it lies in
 * for the search, and its time zone for the time zone to follow (see lib/places/gazetteer.ts PlaceOption).
 */
export type SearchablePlaceOption = FormPlaceOption & SearchablePlace & { timeZone: TimeZoneName };

/**
 * The places the list shows: all of them, or those matching the search plus the one chosen. With
 * scripts the list is filtered in place as the partner types; without, by the server's search
 * (`serverMatches`: the ids it matched, null when nothing was searched).
 */
export function visiblePlaces({
  places,
  query,
  serverMatches,
  isEnhanced,
  selectedPlaceId,
}: {
  places: readonly SearchablePlaceOption[];
  query: string;
  serverMatches: readonly string[] | null;
  isEnhanced: boolean;
  selectedPlaceId: string;
}): { matching: SearchablePlaceOption[] | null; shown: readonly SearchablePlaceOption[] } {
  const matching = isEnhanced
    ? query === ''
      ? null
      : places.filter((place) => matchesPlaceQuery(place, query))
    : serverMatches === null
      ? null
      : places.filter((place) => serverMatches.includes(place.id));
  const shown = matching === null ? places : places.filter((place) => matching.includes(place) || place.id === selectedPlaceId);
  return { matching, shown };
}

/**
 * The gazetteer search above the place list: a search box and a Search button (a submit button,
 * so it works without scripts), and a status line saying how many places match.
 */
export function PlaceSearch({ defaultQuery, query, matchCount, onQueryChange }: { defaultQuery: string; query: string; matchCount: number | null; onQueryChange: (query: string) => void }) {
  const t = useTranslations();
  return (
    <>
      <label htmlFor="placeQuery">{t('report.form.fields.placeQuery')}</label>
      <p className="field-hint" id="placeQuery-hint">
        {t('report.form.fields.placeQueryHint')}
      </p>
      <div style={{ display: 'flex', gap: '0.5rem', alignItems: 'center' }}>
        <input
          type="search"
          id="placeQuery"
          name="placeQuery"
          defaultValue={defaultQuery}
          aria-describedby="placeQuery-hint placeQuery-result"
          onChange={(event) => onQueryChange(event.target.value)}
        />
        <button type="submit" name="intent" value="search-place" className="secondary" style={{ flex: 'none', whiteSpace: 'nowrap' }}>
          {t('report.form.fields.placeSearch')}
        </button>
      </div>
      <p className="field-hint" id="placeQuery-result" role="status">
        {matchCount === null ? '' : t('report.form.fields.placeMatches', { count: matchCount, query })}
      </p>
    </>
  );
}
