import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BORDER_MAP_MODULE, borderMapModuleText, buildBorderMapData } from '@/scripts/border-map';
import { BORDER_MAP_DATA } from './border-map-data';
import { projectOnBorderMap } from './projection';

describe('the border map outline (lib/map/border-map-data.ts)', () => {
  it('is current: computed again from the installed world-atlas, it is the committed file (else run `npm run map:generate`)', () => {
    const data = buildBorderMapData();
    expect(data.source).toMatch(/^world-atlas \d+\.\d+\.\d+ countries-10m/);
    expect(fs.readFileSync(BORDER_MAP_MODULE, 'utf8')).toBe(borderMapModuleText(data));
  });

  it('draws both rivers and the four countries, and its projection puts the border towns where the outline has them', () => {
    for (const d of [...Object.values(BORDER_MAP_DATA.land), ...Object.values(BORDER_MAP_DATA.rivers)]) expect(d).toMatch(/^M\d+ \d+L/);
    // Hyesan (North Korea) lies just south-east of the Amrok, Changbai (China) just north-west.
    const hyesan = projectOnBorderMap(128.18, 41.4)!;
    const changbai = projectOnBorderMap(128.2, 41.42)!;
    expect(hyesan.y).toBeGreaterThan(changbai.y);
    // Outside the frame: no point.
    expect(projectOnBorderMap(116.4, 39.9)).toBeNull(); // Beijing
    expect(projectOnBorderMap(Number.NaN, 40)).toBeNull();
    // Inside: within the viewBox.
    const pyongyang = projectOnBorderMap(125.75, 39.02)!;
    expect(pyongyang.x).toBeGreaterThan(0);
    expect(pyongyang.y).toBeLessThan(BORDER_MAP_DATA.height);
  });
});
