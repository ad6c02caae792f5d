/**
 * Builds shared/data/vn-communes-2025-rings.json, the compact form of the commune boundaries
 * that `communeAt` reads, from vn-communes-2025-boundaries.geojson (8 MB, not kept in the
 * repository; see shared/data/README-old-names-and-geometry.md for its source and licence).
 *
 *   npx tsx shared/scripts/build-commune-rings.ts <path/to/vn-communes-2025-boundaries.geojson>
 *
 * Lossless for that file: its coordinates are rounded to 5 decimals, stored here as integers
 * (degrees × 100,000), each ring's first vertex absolute and the others as differences from
 * the previous one, without the closing vertex. One commune per line, so a rebuild diffs well.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { COMMUNE_RINGS_FORMAT, COMMUNE_RINGS_SCALE, decodeCommuneRings } from '../src/places/rings';

type Position = [number, number];
interface Feature {
  properties: { code: string };
  geometry:
    | { type: 'Polygon'; coordinates: Position[][] }
    | { type: 'MultiPolygon'; coordinates: Position[][][] };
}

const source = process.argv[2];
if (!source) {
  console.error('usage: tsx shared/scripts/build-commune-rings.ts <vn-communes-2025-boundaries.geojson>');
  process.exit(2);
}
const target = fileURLToPath(new URL('../data/vn-communes-2025-rings.json', import.meta.url));
const features = (JSON.parse(readFileSync(source, 'utf8')) as { features: Feature[] }).features;

const toUnits = (degrees: number) => Math.round(degrees * COMMUNE_RINGS_SCALE);
let vertices = 0;
let holes = 0;
const lines: string[] = [];
for (const feature of features) {
  const polygons =
    feature.geometry.type === 'Polygon' ? [feature.geometry.coordinates] : feature.geometry.coordinates;
  const rings: number[][] = [];
  for (const polygon of polygons) {
    // The source has no holes left (README: the one real hole is filled); refuse any that appear.
    holes += polygon.length - 1;
    const ring = polygon[0];
    if (!ring) continue;
    const open = ring.length > 1 && ring[0]?.[0] === ring.at(-1)?.[0] && ring[0]?.[1] === ring.at(-1)?.[1];
    const points = open ? ring.slice(0, -1) : ring;
    const encoded: number[] = [];
    let previousX = 0;
    let previousY = 0;
    for (const [longitude, latitude] of points) {
      const x = toUnits(longitude);
      const y = toUnits(latitude);
      encoded.push(x - previousX, y - previousY);
      previousX = x;
      previousY = y;
    }
    vertices += points.length;
    rings.push(encoded);
  }
  lines.push(JSON.stringify([feature.properties.code, rings]));
}
if (holes > 0) throw new Error(`${holes} holes in the source: the point lookup does not handle holes`);

const header = JSON.stringify({
  format: COMMUNE_RINGS_FORMAT,
  scale: COMMUNE_RINGS_SCALE,
  source:
    'vn-communes-2025-boundaries.geojson; see README-old-names-and-geometry.md (MIT, © 2021 Thang Le Quoc; geometry from sapnhap.bando.com.vn)',
}).slice(0, -1);
const text = `${header},"communes":[\n${lines.join(',\n')}\n]}\n`;

// Round trip: the decoded rings give back every source vertex.
const decoded = decodeCommuneRings(JSON.parse(text));
if (decoded.codes.length !== features.length || decoded.vertexCount !== vertices) {
  throw new Error('round trip lost communes or vertices');
}
writeFileSync(target, text);
process.stdout.write(`${features.length} communes, ${vertices} vertices, ${text.length} bytes → ${target}\n`);
