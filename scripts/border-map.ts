/**
 * `npm run map:generate`: the outline of the border region the public map draws
 * (lib/map/border-map-data.ts), computed once from `world-atlas` (Natural Earth 1:10m admin-0
 * countries, public domain; the package is ISC) with `d3-geo` and `topojson-client`, and committed,
 * so no request ever loads the 3.6 MB atlas (issue 20 item 4). lib/map/border-map-data.test.ts
 * computes it again and fails when the committed file is not current.
 *
 * What it computes:
 * - a conformal conic projection (standard parallels 39.5° and 42.5°, centred on 126.5° E) fitted to
 *   the region (BORDER_REGION: the four North Korean provinces on the border, Jilin and Liaoning's
 *   border counties, down to Pyongyang and Nampo), MAP_WIDTH pixels wide;
 * - the land of China, North Korea, South Korea and Russia clipped to that frame, as SVG path data
 *   rounded to whole pixels (repeated points dropped): about 17 KB, 5.5 KB gzip. (1:50m is 1.3 KB
 *   gzip but draws the rivers as a few straight strokes; 1:110m has no usable border here.)
 * - the China–North Korea border, which is the two rivers and the land border around Paektu-san
 *   between their sources: west of PAEKTU_LONGITUDE it is the Amrok-gang (Yalu), east of it the
 *   Tuman-gang (Tumen), which also forms the last kilometres of border with Russia.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { geoConicConformal, geoPath, type GeoPermissibleObjects } from 'd3-geo';
import { feature, mesh } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import type { BorderMapData } from '@/lib/map/border-map-types';

/** The region drawn: [west, south, east, north] in degrees. */
export const BORDER_REGION = [121.9, 38.5, 131.0, 43.6] as const;
/** Width of the map in SVG units (pixels at 1:1); the height follows from the projection. */
export const MAP_WIDTH = 640;
/** Where the border stops being the Amrok and starts being the Tuman: Paektu-san's longitude. */
export const PAEKTU_LONGITUDE = 128.08;
/** ISO 3166-1 numeric codes world-atlas uses as ids. */
const COUNTRY_IDS = { CN: '156', KP: '408', KR: '410', RU: '643' } as const;
const ATLAS = 'world-atlas/countries-10m.json';

/** SVG path data through a projection, in whole units, without repeated points. */
function pathData(projection: ReturnType<typeof geoConicConformal>, object: GeoPermissibleObjects): string {
  let d = '';
  let lastX = Number.NaN;
  let lastY = Number.NaN;
  let pending = '';
  const context = {
    moveTo(x: number, y: number) {
      lastX = Math.round(x);
      lastY = Math.round(y);
      pending = `M${lastX} ${lastY}`;
    },
    lineTo(x: number, y: number) {
      const rx = Math.round(x);
      const ry = Math.round(y);
      if (rx === lastX && ry === lastY) return;
      d += pending;
      pending = '';
      d += `L${rx} ${ry}`;
      lastX = rx;
      lastY = ry;
    },
    closePath() {
      if (pending === '') d += 'Z';
      pending = '';
    },
    arc() {},
  };
  geoPath(projection, context as unknown as CanvasRenderingContext2D)(object);
  return d;
}

/** Split lines at a longitude: the parts west and east of it (a segment crossing it is cut there). */
function splitAtLongitude(lines: number[][][], longitude: number): { west: number[][][]; east: number[][][] } {
  const west: number[][][] = [];
  const east: number[][][] = [];
  for (const line of lines) {
    let current: number[][] = [];
    let isWest: boolean | null = null;
    for (const point of line) {
      const pointWest = point[0]! < longitude;
      if (isWest !== null && pointWest !== isWest) {
        const previous = current[current.length - 1]!;
        const t = (longitude - previous[0]!) / (point[0]! - previous[0]!);
        const cut = [longitude, previous[1]! + t * (point[1]! - previous[1]!)];
        current.push(cut);
        (isWest ? west : east).push(current);
        current = [cut];
      }
      isWest = pointWest;
      current.push(point);
    }
    if (current.length > 1 && isWest !== null) (isWest ? west : east).push(current);
  }
  return { west, east };
}

/** Compute the map outline from the installed world-atlas (pure apart from reading the atlas). */
export function buildBorderMapData(): BorderMapData {
  const require = createRequire(import.meta.url);
  const atlasFile = require.resolve(ATLAS);
  const version = (JSON.parse(fs.readFileSync(path.join(path.dirname(atlasFile), 'package.json'), 'utf8')) as { version: string }).version;
  const topology = JSON.parse(fs.readFileSync(atlasFile, 'utf8')) as Topology<{ countries: GeometryCollection<{ name: string }> }>;
  const countries = topology.objects.countries;
  const [west, south, east, north] = BORDER_REGION;
  // The frame's edges sampled along the parallels and meridians (a polygon's edges would be great
  // circles, which bulge past the parallels).
  const edge: [number, number][] = [];
  for (let i = 0; i <= 20; i += 1) {
    const lon = west + ((east - west) * i) / 20;
    const lat = south + ((north - south) * i) / 20;
    edge.push([lon, south], [lon, north], [west, lat], [east, lat]);
  }
  const frame: GeoPermissibleObjects = { type: 'MultiPoint', coordinates: edge };
  const fitted = geoConicConformal().parallels([39.5, 42.5]).rotate([-126.5, 0]).fitWidth(MAP_WIDTH, frame);
  // Rounded parameters, so the runtime projection (lib/map/projection.ts) is the very same.
  const scale = Math.round(fitted.scale() * 100) / 100;
  const translate = fitted.translate().map((v) => Math.round(v * 100) / 100) as [number, number];
  const projection = geoConicConformal().parallels([39.5, 42.5]).rotate([-126.5, 0]).scale(scale).translate(translate);
  const height = Math.ceil(geoPath(projection).bounds(frame)[1][1]);
  projection.clipExtent([
    [0, 0],
    [MAP_WIDTH, height],
  ]);

  const geometryOf = (code: keyof typeof COUNTRY_IDS) => {
    const geometry = countries.geometries.find((g) => g.id === COUNTRY_IDS[code]);
    if (!geometry) throw new Error(`${ATLAS} has no country ${COUNTRY_IDS[code]} (${code})`);
    return geometry;
  };
  const land = Object.fromEntries(
    (Object.keys(COUNTRY_IDS) as (keyof typeof COUNTRY_IDS)[]).map((code) => [code, pathData(projection, feature(topology, geometryOf(code)) as GeoPermissibleObjects)]),
  ) as BorderMapData['land'];

  const between = (a: string, b: string) => mesh(topology, countries, (x, y) => (x.id === a && y.id === b) || (x.id === b && y.id === a));
  const chinaKorea = splitAtLongitude(between(COUNTRY_IDS.CN, COUNTRY_IDS.KP).coordinates, PAEKTU_LONGITUDE);
  const russiaKorea = between(COUNTRY_IDS.RU, COUNTRY_IDS.KP).coordinates;
  const lines = (coordinates: number[][][]) => pathData(projection, { type: 'MultiLineString', coordinates } as GeoPermissibleObjects);

  return {
    source: `world-atlas ${version} countries-10m (Natural Earth 1:10m)`,
    width: MAP_WIDTH,
    height,
    projection: { parallels: [39.5, 42.5], rotate: [-126.5, 0], scale, translate },
    land,
    rivers: { amrok: lines(chinaKorea.west), tuman: lines([...chinaKorea.east, ...russiaKorea]) },
  };
}

/** The text of lib/map/border-map-data.ts for `data`. */
export function borderMapModuleText(data: BorderMapData): string {
  return `/**
 * GENERATED by \`npm run map:generate\` (scripts/border-map.ts) from ${data.source}; do not edit.
 * lib/map/border-map-data.test.ts fails when it is not current.
 */
import type { BorderMapData } from './border-map-types';

export const BORDER_MAP_DATA: BorderMapData = ${JSON.stringify(data, null, 2)};
`;
}

/** Where the generated module lives. */
export const BORDER_MAP_MODULE = path.join(process.cwd(), 'lib', 'map', 'border-map-data.ts');

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const text = borderMapModuleText(buildBorderMapData());
  fs.writeFileSync(BORDER_MAP_MODULE, text);
  console.log(`Wrote ${path.relative(process.cwd(), BORDER_MAP_MODULE)} (${Buffer.byteLength(text)} bytes).`);
}
