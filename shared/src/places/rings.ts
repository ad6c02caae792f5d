/**
 * Commune boundaries in the compact form of shared/data/vn-communes-2025-rings.json (built by
 * shared/scripts/build-commune-rings.ts) and the point lookup over them: a grid of ring
 * bounding boxes, then an even-odd ray test on the few rings whose box holds the point.
 */

export const COMMUNE_RINGS_FORMAT = 'tinbao-commune-rings/1';
/** Coordinates are stored as integers: degrees × 100,000 (5 decimals, about 1.1 m). */
export const COMMUNE_RINGS_SCALE = 100_000;

export interface CommuneRingsFile {
  format: string;
  scale: number;
  /** [commune code, rings]; a ring is [x0, y0, dx1, dy1, …] without the closing vertex. */
  communes: [string, number[][]][];
}

/** Every ring of every commune in flat typed arrays (about 3 MB for 369,000 vertices). */
export interface CommuneRings {
  /** Commune index → commune code. */
  codes: string[];
  /** Ring → commune index. */
  ringCommune: Int32Array;
  /** Ring → its first vertex; ringStart[rings] is the vertex count. */
  ringStart: Int32Array;
  /** x (longitude), y (latitude) per vertex, in stored units. */
  coords: Int32Array;
  /** minX, minY, maxX, maxY per ring. */
  ringBox: Int32Array;
  vertexCount: number;
}

export function decodeCommuneRings(file: CommuneRingsFile): CommuneRings {
  if (file.format !== COMMUNE_RINGS_FORMAT || file.scale !== COMMUNE_RINGS_SCALE) {
    throw new Error(`unexpected commune rings format ${file.format} (scale ${file.scale})`);
  }
  let ringCount = 0;
  let vertexCount = 0;
  for (const [, rings] of file.communes) {
    ringCount += rings.length;
    for (const ring of rings) vertexCount += ring.length / 2;
  }
  const codes: string[] = [];
  const ringCommune = new Int32Array(ringCount);
  const ringStart = new Int32Array(ringCount + 1);
  const coords = new Int32Array(vertexCount * 2);
  const ringBox = new Int32Array(ringCount * 4);
  let ring = 0;
  let vertex = 0;
  for (const [code, rings] of file.communes) {
    const communeIndex = codes.push(code) - 1;
    for (const encoded of rings) {
      ringCommune[ring] = communeIndex;
      ringStart[ring] = vertex;
      let x = 0;
      let y = 0;
      let minX = Number.POSITIVE_INFINITY;
      let minY = Number.POSITIVE_INFINITY;
      let maxX = Number.NEGATIVE_INFINITY;
      let maxY = Number.NEGATIVE_INFINITY;
      for (let at = 0; at + 1 < encoded.length; at += 2) {
        x += encoded[at]!;
        y += encoded[at + 1]!;
        coords[vertex * 2] = x;
        coords[vertex * 2 + 1] = y;
        vertex++;
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        if (y > maxY) maxY = y;
      }
      ringBox.set([minX, minY, maxX, maxY], ring * 4);
      ring++;
    }
  }
  ringStart[ringCount] = vertex;
  return { codes, ringCommune, ringStart, coords, ringBox, vertexCount };
}

export type PointLookup =
  | { kind: 'inside'; code: string }
  | { kind: 'near'; code: string; distanceKm: number }
  | { kind: 'outside' };

export interface PointLocator {
  locate(latitude: number, longitude: number): PointLookup;
}

export interface PointLocatorOptions {
  /** Grid cell size in degrees (default 0.1°, about 11 km). */
  cellDegrees?: number;
  /**
   * How far outside every simplified boundary a point may be and still be "near" the closest
   * commune: a gap between simplified neighbours, a pin on the beach just offshore (default 5 km).
   */
  nearKm?: number;
}

const KM_PER_DEGREE_LATITUDE = 110.574;
const KM_PER_DEGREE_LONGITUDE_AT_EQUATOR = 111.32;

/** Builds the grid index once; each lookup then tests only the rings whose box holds the point. */
export function createPointLocator(rings: CommuneRings, options: PointLocatorOptions = {}): PointLocator {
  const cell = Math.round((options.cellDegrees ?? 0.1) * COMMUNE_RINGS_SCALE);
  const nearKm = options.nearKm ?? 5;
  const { ringBox, ringStart, coords, ringCommune, codes } = rings;
  const ringCount = ringCommune.length;

  let minX = Number.POSITIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (let ring = 0; ring < ringCount; ring++) {
    minX = Math.min(minX, ringBox[ring * 4]!);
    minY = Math.min(minY, ringBox[ring * 4 + 1]!);
    maxX = Math.max(maxX, ringBox[ring * 4 + 2]!);
    maxY = Math.max(maxY, ringBox[ring * 4 + 3]!);
  }
  const originX = Math.floor(minX / cell) * cell;
  const originY = Math.floor(minY / cell) * cell;
  const columns = Math.floor((maxX - originX) / cell) + 1;
  const rows = Math.floor((maxY - originY) / cell) + 1;
  const columnOf = (x: number) => Math.floor((x - originX) / cell);
  const rowOf = (y: number) => Math.floor((y - originY) / cell);

  // Compressed rows: cellStart[c]..cellStart[c + 1] index cellRings, the rings whose box touches cell c.
  const cellStart = new Int32Array(columns * rows + 1);
  const forEachCell = (ring: number, visit: (cellIndex: number) => void) => {
    const c0 = columnOf(ringBox[ring * 4]!);
    const r0 = rowOf(ringBox[ring * 4 + 1]!);
    const c1 = columnOf(ringBox[ring * 4 + 2]!);
    const r1 = rowOf(ringBox[ring * 4 + 3]!);
    for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) visit(r * columns + c);
  };
  for (let ring = 0; ring < ringCount; ring++) forEachCell(ring, (index) => cellStart[index + 1]!++);
  for (let index = 0; index < columns * rows; index++) cellStart[index + 1]! += cellStart[index]!;
  const cellRings = new Int32Array(cellStart[columns * rows]!);
  const fill = cellStart.slice(0, columns * rows);
  for (let ring = 0; ring < ringCount; ring++)
    forEachCell(ring, (index) => (cellRings[fill[index]!++] = ring));

  const contains = (ring: number, x: number, y: number): boolean => {
    const start = ringStart[ring]!;
    const end = ringStart[ring + 1]!;
    let inside = false;
    for (let i = start, j = end - 1; i < end; j = i++) {
      const xi = coords[i * 2]!;
      const yi = coords[i * 2 + 1]!;
      const xj = coords[j * 2]!;
      const yj = coords[j * 2 + 1]!;
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
    return inside;
  };

  // Squared distance in km² from the point to a ring's edges, in a local flat frame.
  const distanceSquared = (ring: number, x: number, y: number, kx: number, ky: number): number => {
    const start = ringStart[ring]!;
    const end = ringStart[ring + 1]!;
    let best = Number.POSITIVE_INFINITY;
    for (let i = start, j = end - 1; i < end; j = i++) {
      const ax = (coords[j * 2]! - x) * kx;
      const ay = (coords[j * 2 + 1]! - y) * ky;
      const bx = (coords[i * 2]! - x) * kx;
      const by = (coords[i * 2 + 1]! - y) * ky;
      const dx = bx - ax;
      const dy = by - ay;
      const length = dx * dx + dy * dy;
      const t = length > 0 ? Math.max(0, Math.min(1, -(ax * dx + ay * dy) / length)) : 0;
      const px = ax + t * dx;
      const py = ay + t * dy;
      const d = px * px + py * py;
      if (d < best) best = d;
    }
    return best;
  };

  const seen = new Int32Array(ringCount);
  let stamp = 0;

  return {
    locate(latitude, longitude) {
      if (!Number.isFinite(latitude) || !Number.isFinite(longitude)) return { kind: 'outside' };
      const x = longitude * COMMUNE_RINGS_SCALE;
      const y = latitude * COMMUNE_RINGS_SCALE;
      const column = columnOf(x);
      const row = rowOf(y);
      if (column >= 0 && column < columns && row >= 0 && row < rows) {
        const index = row * columns + column;
        for (let at = cellStart[index]!; at < cellStart[index + 1]!; at++) {
          const ring = cellRings[at]!;
          const box = ring * 4;
          if (x < ringBox[box]! || x > ringBox[box + 2]! || y < ringBox[box + 1]! || y > ringBox[box + 3]!)
            continue;
          if (contains(ring, x, y)) return { kind: 'inside', code: codes[ringCommune[ring]!]! };
        }
      }
      // Not inside any ring: the closest edge within nearKm, over the cells that reach that far.
      const ky = KM_PER_DEGREE_LATITUDE / COMMUNE_RINGS_SCALE;
      const kx =
        (KM_PER_DEGREE_LONGITUDE_AT_EQUATOR * Math.cos((latitude * Math.PI) / 180)) / COMMUNE_RINGS_SCALE;
      const reachX = Math.ceil(nearKm / kx / cell);
      const reachY = Math.ceil(nearKm / ky / cell);
      if (
        column + reachX < 0 ||
        column - reachX >= columns ||
        row + reachY < 0 ||
        row - reachY >= rows ||
        Math.abs(latitude) > 89
      ) {
        return { kind: 'outside' };
      }
      stamp++;
      let best = nearKm * nearKm;
      let bestRing = -1;
      for (let r = Math.max(0, row - reachY); r <= Math.min(rows - 1, row + reachY); r++) {
        for (let c = Math.max(0, column - reachX); c <= Math.min(columns - 1, column + reachX); c++) {
          const index = r * columns + c;
          for (let at = cellStart[index]!; at < cellStart[index + 1]!; at++) {
            const ring = cellRings[at]!;
            if (seen[ring] === stamp) continue;
            seen[ring] = stamp;
            const box = ring * 4;
            // The box's distance bounds the ring's: skip rings that cannot beat the best so far.
            const outX = Math.max(ringBox[box]! - x, 0, x - ringBox[box + 2]!) * kx;
            const outY = Math.max(ringBox[box + 1]! - y, 0, y - ringBox[box + 3]!) * ky;
            if (outX * outX + outY * outY > best) continue;
            const d = distanceSquared(ring, x, y, kx, ky);
            if (d <= best) {
              best = d;
              bestRing = ring;
            }
          }
        }
      }
      if (bestRing < 0) return { kind: 'outside' };
      return {
        kind: 'near',
        code: codes[ringCommune[bestRing]!]!,
        distanceKm: Math.round(Math.sqrt(best) * 1000) / 1000,
      };
    },
  };
}
