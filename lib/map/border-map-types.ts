/**
 * The shape of the map outline computed by scripts/border-map.ts into lib/map/border-map-data.ts:
 * a projection and SVG path data (whole SVG units) of the land and the border rivers.
 */
export type BorderMapData = {
  /** The atlas it was computed from, e.g. 'world-atlas 2.0.2 countries-10m (Natural Earth 1:10m)'. */
  source: string;
  /** SVG units (the viewBox is 0 0 width height). */
  width: number;
  height: number;
  /** d3-geo geoConicConformal parameters that reproduce the projection (lib/map/projection.ts). */
  projection: { parallels: [number, number]; rotate: [number, number]; scale: number; translate: [number, number] };
  /** Land of each country in the frame, clipped to it. */
  land: { CN: string; KP: string; KR: string; RU: string };
  /** The border rivers: the Amrok-gang (Yalu) and the Tuman-gang (Tumen). */
  rivers: { amrok: string; tuman: string };
};
