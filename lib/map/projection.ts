import { geoConicConformal } from 'd3-geo';
import { BORDER_MAP_DATA } from './border-map-data';

/** A point on the map in SVG units (0,0 top left), rounded to tenths. */
export type MapPoint = { x: number; y: number };

const projection = geoConicConformal()
  .parallels(BORDER_MAP_DATA.projection.parallels)
  .rotate(BORDER_MAP_DATA.projection.rotate)
  .scale(BORDER_MAP_DATA.projection.scale)
  .translate(BORDER_MAP_DATA.projection.translate);

/**
 * Where a place's coordinates (degrees, WGS 84) fall on the border map — the projection the map's
 * outline was computed with (scripts/border-map.ts) — or null when they fall outside the map's
 * frame (a place the map does not show: the table beside it lists it).
 */
export function projectOnBorderMap(lon: number, lat: number): MapPoint | null {
  if (!Number.isFinite(lon) || !Number.isFinite(lat)) return null;
  const projected = projection([lon, lat]);
  if (!projected) return null;
  const [x, y] = projected;
  if (x < 0 || y < 0 || x > BORDER_MAP_DATA.width || y > BORDER_MAP_DATA.height) return null;
  return { x: Math.round(x * 10) / 10, y: Math.round(y * 10) / 10 };
}
