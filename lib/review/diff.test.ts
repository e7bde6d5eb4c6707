import { describe, expect, it } from 'vitest';
import { describeSnapshot, diffSnapshots } from './diff';

const formatTime = (ms: number, zone: string) => `${new Date(ms).toISOString()} in ${zone}`;

describe('diffSnapshots', () => {
  const before = {
    observedFrom: Date.UTC(2018, 6, 12, 10, 30),
    timeZone: 'Asia/Pyongyang',
    title: 'Trucks cross',
    placeId: 'kp-hyesan',
    vehicles: [
      { vehicleType: 'truck', count: 40, isEstimate: true, direction: 'into_kp' },
      { vehicleType: 'bus', count: 3, isEstimate: false, direction: 'into_kp' },
    ],
    goods: [{ categoryId: 'electronics', quantity: null }],
  };

  it('lists nothing for equal snapshots', () => {
    expect(diffSnapshots(before, structuredClone(before), formatTime)).toEqual([]);
  });

  it('lists changed fields, changed row fields, added and removed rows, in a readable form', () => {
    const after = {
      ...before,
      observedFrom: Date.UTC(2018, 6, 12, 11, 0),
      title: 'Trucks and buses cross',
      vehicles: [{ ...before.vehicles[0], isEstimate: false }],
      goods: [{ categoryId: 'electronics', quantity: 12 }, { categoryId: 'clothing', quantity: null }],
    };
    expect(diffSnapshots(before, after, formatTime)).toEqual([
      {
        kind: 'changed',
        label: 'Observed from',
        path: 'observedFrom',
        before: '2018-07-12T10:30:00.000Z in Asia/Pyongyang',
        after: '2018-07-12T11:00:00.000Z in Asia/Pyongyang',
      },
      { kind: 'changed', label: 'Title', path: 'title', before: 'Trucks cross', after: 'Trucks and buses cross' },
      { kind: 'changed', label: 'Vehicle sighting 1 · estimate', path: 'vehicles.0.isEstimate', before: 'yes', after: 'no' },
      { kind: 'removed', label: 'Vehicle sighting 2', path: 'vehicles.1', before: 'type: bus; count: 3; direction: into_kp' },
      { kind: 'changed', label: 'Goods 1 · quantity', path: 'goods.0.quantity', before: '', after: '12' },
      { kind: 'added', label: 'Goods 2', path: 'goods.1', after: 'category: clothing' },
    ]);
  });

  it('copes with missing or non-object sides', () => {
    expect(diffSnapshots(null, { title: 'New' })).toEqual([{ kind: 'changed', label: 'Title', path: 'title', before: '', after: 'New' }]);
    expect(diffSnapshots({ extra: 'x' }, {})).toEqual([{ kind: 'changed', label: 'extra', path: 'extra', before: 'x', after: '' }]);
  });
});

describe('describeSnapshot', () => {
  it('lays out scalars with labels and one line per row', () => {
    const view = describeSnapshot(
      { title: 'T', observedFrom: 0, timeZone: 'UTC', vehicles: [{ vehicleType: 'car', count: 2 }] },
      formatTime,
    );
    expect(view.fields).toEqual([
      { key: 'title', label: 'Title', value: 'T' },
      { key: 'observedFrom', label: 'Observed from', value: '1970-01-01T00:00:00.000Z in UTC' },
      { key: 'timeZone', label: 'Time zone', value: 'UTC' },
    ]);
    expect(view.sections).toEqual([{ key: 'vehicles', label: 'Vehicle sighting', rows: ['type: car; count: 2'] }]);
  });
});
