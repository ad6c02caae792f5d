/**
 * Place search and location pins: load times, then p50/p99 per call of `communeAt` (points
 * inside communes, random points over the country's box, points at sea and abroad) and of the
 * text searches residents and staff run.
 *
 *   npm run bench -- places        (POINTS=20000 for a quicker run)
 */
import { readFileSync } from 'node:fs';
import {
  communeAt,
  findCommunePlaces,
  findCommunePlacesAnywhere,
  loadPlaces,
  PLACE_DATA_FILES,
  resolveProvince,
} from '../src/places/index';

const POINTS = Number(process.env.POINTS ?? 100_000);
const log = (message: string) => console.log(`[places] ${message}`);
const us = (ms: number) => `${(ms * 1000).toFixed(1)} µs`;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function measure(name: string, inputs: readonly (() => unknown)[], rounds = 1): void {
  for (const run of inputs.slice(0, 50)) run(); // warm-up
  const times: number[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const run of inputs) {
      const started = performance.now();
      run();
      times.push(performance.now() - started);
    }
  }
  times.sort((a, b) => a - b);
  const mean = times.reduce((sum, t) => sum + t, 0) / times.length;
  log(
    `${name.padEnd(44)} n=${String(times.length).padStart(6)}  p50 ${us(percentile(times, 50)).padStart(9)}  p99 ${us(percentile(times, 99)).padStart(9)}  max ${us(times.at(-1)!).padStart(9)}  mean ${us(mean)}`,
  );
}

let seed = 42;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed / 2 ** 31;
};

// With --expose-gc the heap figure is what stays, not what loading left to collect.
const heapUsed = () => {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
};

function main(): void {
  const heapBefore = heapUsed();
  let started = performance.now();
  const places = loadPlaces();
  log(`loadPlaces (names, old units, aliases): ${(performance.now() - started).toFixed(0)} ms`);
  started = performance.now();
  findCommunePlacesAnywhere(places, 'lao bao');
  log(`first search (builds the name index): ${(performance.now() - started).toFixed(0)} ms`);
  started = performance.now();
  communeAt(places, 16.62, 106.6);
  log(`first communeAt (reads and indexes the boundaries): ${(performance.now() - started).toFixed(0)} ms`);
  const heapAfter = heapUsed();
  const collected = typeof (globalThis as { gc?: unknown }).gc === 'function';
  log(
    `heap after loading everything: +${((heapAfter - heapBefore) / 1e6).toFixed(1)} MB ${collected ? '(retained)' : '(before collection; node --expose-gc --import tsx shared/bench/places.ts gives what stays)'}`,
  );

  const centroids = readFileSync(PLACE_DATA_FILES.centroids, 'utf8')
    .split('\n')
    .slice(1)
    .filter(Boolean)
    .map((line) => line.split(',').map(Number) as [number, number, number]);
  const inside = Array.from({ length: POINTS }, (_, n) => {
    const [, latitude, longitude] = centroids[n % centroids.length]!;
    return () => communeAt(places, latitude + (random() - 0.5) * 0.002, longitude + (random() - 0.5) * 0.002);
  });
  const country = Array.from({ length: POINTS }, () => {
    const latitude = 8.4 + random() * 15;
    const longitude = 102.1 + random() * 7.4;
    return () => communeAt(places, latitude, longitude);
  });
  const abroad = Array.from({ length: POINTS / 10 }, () => {
    const latitude = -90 + random() * 180;
    const longitude = -180 + random() * 360;
    return () => communeAt(places, latitude, longitude);
  });
  const offshore = Array.from({ length: POINTS / 10 }, () => {
    const latitude = 8 + random() * 10;
    const longitude = 109.5 + random() * 2;
    return () => communeAt(places, latitude, longitude);
  });
  measure('communeAt: points inside communes', inside);
  measure('communeAt: random points over the country box', country);
  measure('communeAt: random points on the globe', abroad);
  measure('communeAt: points at sea (east of the coast)', offshore);

  const provinceInputs = [
    'sai gon',
    'tp.hcm',
    'hcm',
    'quang binh',
    'đn',
    'ha',
    'thanh pho ho chi minh',
    'xyz',
  ];
  measure(
    'resolveProvince',
    provinceInputs.map((text) => () => resolveProvince(places, text)),
    200,
  );
  const communeInputs: [string, string][] = [
    ['44', 'krong klang'],
    ['44', 'thi tran lao bao'],
    ['44', 'tan long'],
    ['44', 'huyen huong hoa'],
    ['22', 'huyen dam ha'],
    ['01', 'hoa'],
    ['01', 'a'],
    ['79', 'phuong 4, quan 3'],
    ['79', 'p12 go vap'],
    ['79', 'khong co'],
  ];
  measure(
    'findCommunePlaces (one province)',
    communeInputs.map(
      ([province, text]) =>
        () =>
          findCommunePlaces(places, province, text),
    ),
    100,
  );
  measure(
    'findCommunePlacesAnywhere (every province)',
    communeInputs.map(
      ([, text]) =>
        () =>
          findCommunePlacesAnywhere(places, text, 20),
    ),
    20,
  );
}

main();
