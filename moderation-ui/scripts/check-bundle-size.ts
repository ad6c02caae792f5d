import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/**
 * The first load = the scripts index.html loads or preloads. Prints each file's gzipped size
 * and fails the build when the total passes the budget (issue 5: < 300 KB gzipped JS).
 */
const BUDGET_BYTES = 300 * 1024;
const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const html = readFileSync(join(dist, 'index.html'), 'utf8');

const firstLoad = new Set<string>();
for (const match of html.matchAll(/<script[^>]*\bsrc="([^"]+\.js)"/g)) firstLoad.add(match[1]!);
for (const match of html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+\.js)"/g))
  firstLoad.add(match[1]!);
if (firstLoad.size === 0) {
  console.error('check-bundle-size: no script found in dist/index.html');
  process.exit(1);
}

let total = 0;
for (const path of firstLoad) {
  const bytes = readFileSync(join(dist, path.replace(/^\//, '')));
  const gzipped = gzipSync(bytes, { level: 9 }).length;
  total += gzipped;
  process.stdout.write(
    `first load  ${path}  ${(bytes.length / 1024).toFixed(1)} KB  gzip ${(gzipped / 1024).toFixed(1)} KB\n`,
  );
}
const verdict = total <= BUDGET_BYTES ? 'OK' : 'OVER BUDGET';
process.stdout.write(
  `first load JS total: ${(total / 1024).toFixed(1)} KB gzipped (budget ${BUDGET_BYTES / 1024} KB) ${verdict}\n`,
);
if (total > BUDGET_BYTES) process.exit(1);
