import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCsvRecords } from './csv';
import { communeAt } from './locate';
import { loadPlaces, PLACE_DATA_FILES } from './places';
import { type CommuneRingsFile, decodeCommuneRings } from './rings';

const places = loadPlaces();
const centroids = parseCsvRecords(
  readFileSync(PLACE_DATA_FILES.centroids, 'utf8'),
  ['commune_code', 'latitude', 'longitude'],
  'vn-communes-2025-centroids.csv',
).map((row) => ({
  code: row.commune_code!,
  latitude: Number(row.latitude),
  longitude: Number(row.longitude),
}));

describe('communeAt', () => {
  it('proposes the commune, with its province, for points inside 50 communes across the country', () => {
    expect(centroids).toHaveLength(3321);
    const sample = Array.from(
      { length: 50 },
      (_, index) => centroids[Math.floor((index * centroids.length) / 50)]!,
    );
    expect(new Set(sample.map((point) => point.code.slice(0, 2))).size).toBeGreaterThan(1);
    for (const point of sample) {
      const found = communeAt(places, point.latitude, point.longitude);
      expect(found, point.code).toMatchObject({ kind: 'inside', commune: { code: point.code } });
      if (found.kind === 'inside') expect(found.province.code).toBe(found.commune.provinceCode);
    }
  });

  it('finds every one of the 3,321 label points in its own commune', () => {
    const wrong = centroids.filter((point) => {
      const found = communeAt(places, point.latitude, point.longitude);
      return found.kind !== 'inside' || found.commune.code !== point.code;
    });
    expect(wrong).toEqual([]);
  });

  it('names known places', () => {
    expect(communeAt(places, 21.0288, 105.8525)).toMatchObject({
      kind: 'inside',
      commune: { name: 'Phường Hoàn Kiếm' },
    });
    expect(communeAt(places, 10.7725, 106.698)).toMatchObject({
      kind: 'inside',
      commune: { name: 'Phường Bến Thành' },
    });
    expect(communeAt(places, 16.6237, 106.6045)).toMatchObject({
      kind: 'inside',
      commune: { name: 'Xã Lao Bảo' },
      province: { name: 'Tỉnh Quảng Trị' },
    });
    expect(communeAt(places, 10.3833, 114.3667)).toMatchObject({
      kind: 'inside',
      commune: { code: '22736' },
    });
  });

  it('falls back to the closest commune just offshore or just across a border', () => {
    const offshore = communeAt(places, 16.06, 108.26);
    expect(offshore).toMatchObject({ kind: 'near', commune: { provinceCode: '48' } });
    if (offshore.kind === 'near') expect(offshore.distanceKm).toBeGreaterThan(0.5);
    expect(communeAt(places, 16.62, 106.58)).toMatchObject({ kind: 'near', commune: { name: 'Xã Lao Bảo' } });
  });

  it('refuses points clearly outside Vietnam', () => {
    const refused: [string, number, number][] = [
      ['Paris', 48.8566, 2.3522],
      ['South Pole', -90, 0],
      ['North Pole', 90, 0],
      ['open sea inside the Trường Sa box', 10, 113],
      ['open sea, 100 km off the coast', 15, 110],
      ['Gulf of Tonkin', 17.5, 108],
      ['Bangkok', 13.7563, 100.5018],
      ['Guangzhou', 23.1291, 113.2644],
      ['Nanning', 22.817, 108.366],
      ['Vientiane', 17.9757, 102.6331],
      ['Phnom Penh', 11.5564, 104.9282],
      ['null island', 0, 0],
      ['not a number', Number.NaN, 106],
      ['beyond the globe', 200, 500],
    ];
    for (const [name, latitude, longitude] of refused) {
      expect(communeAt(places, latitude, longitude), name).toEqual({ kind: 'outside' });
    }
  });

  it('agrees with a plain test of every ring (no grid) on random points', () => {
    const rings = decodeCommuneRings(
      JSON.parse(readFileSync(PLACE_DATA_FILES.rings, 'utf8')) as CommuneRingsFile,
    );
    const bruteForce = (latitude: number, longitude: number): string | undefined => {
      const x = longitude * 100_000;
      const y = latitude * 100_000;
      for (let ring = 0; ring < rings.ringCommune.length; ring++) {
        let inside = false;
        const end = rings.ringStart[ring + 1]!;
        for (let i = rings.ringStart[ring]!, j = end - 1; i < end; j = i++) {
          const [xi, yi, xj, yj] = [
            rings.coords[i * 2]!,
            rings.coords[i * 2 + 1]!,
            rings.coords[j * 2]!,
            rings.coords[j * 2 + 1]!,
          ];
          if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
        }
        if (inside) return rings.codes[rings.ringCommune[ring]!];
      }
      return undefined;
    };
    // A fixed pseudo-random sequence: the same points on every run.
    let seed = 12345;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    let inside = 0;
    for (let n = 0; n < 300; n++) {
      const latitude = 8.4 + random() * (23.4 - 8.4);
      const longitude = 102.1 + random() * (109.5 - 102.1);
      const expected = bruteForce(latitude, longitude);
      const found = communeAt(places, latitude, longitude);
      if (expected) {
        inside++;
        expect(found, `${latitude},${longitude}`).toMatchObject({
          kind: 'inside',
          commune: { code: expected },
        });
      } else {
        expect(found.kind, `${latitude},${longitude}`).not.toBe('inside');
      }
    }
    expect(inside).toBeGreaterThan(50);
  });

  it('answers in well under 5 ms a point once loaded', () => {
    communeAt(places, 16, 107);
    const started = performance.now();
    for (const point of centroids) communeAt(places, point.latitude + 0.001, point.longitude - 0.001);
    const perPoint = (performance.now() - started) / centroids.length;
    expect(perPoint).toBeLessThan(1);
  });
});
