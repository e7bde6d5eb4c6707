import type { BorderMapLabels } from './border-map';

/** A translator of the `map` namespace (`getTranslations('map')`). */
type MapTranslate = (key: string, values?: Record<string, string | number>) => string;

/**
 * The border map's labels from the `map` messages: `title` and `description` are the page's (each
 * map says what it counts), `highlighted` names the place the page is about.
 */
export function borderMapLabels(t: MapTranslate, { title, description, highlighted }: { title: string; description: string; highlighted: string }): BorderMapLabels {
  return {
    title,
    description,
    highlighted,
    place: t('place'),
    level: t('level'),
    count: t('count'),
    onMap: t('onMap'),
    drawn: t('drawn'),
    notDrawnCountry: t('notDrawnCountry'),
    notDrawnNoPoint: t('notDrawnNoPoint'),
    empty: t('empty'),
    kinds: {
      province: t('kinds.province'),
      city: t('kinds.city'),
      county: t('kinds.county'),
      river: t('kinds.river'),
      crossing: t('kinds.crossing'),
      country: t('kinds.country'),
    },
    countries: { CN: t('countries.CN'), KP: t('countries.KP') },
    rivers: { amrok: t('rivers.amrok'), tuman: t('rivers.tuman') },
  };
}
