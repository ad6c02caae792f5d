import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const UI_DIR = resolve(import.meta.dirname, '..');
const REPO_ROOT = resolve(UI_DIR, '..');

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/**
 * Builds the moderation UI when dist/ is missing or older than its sources (or the shared
 * API schemas it imports). Used by `npm start` and the browser tests. Returns whether it built.
 */
export function ensureUiBuilt(log: (message: string) => void = console.log): boolean {
  const index = join(UI_DIR, 'dist/index.html');
  const sources = Math.max(
    newestMtime(join(UI_DIR, 'src')),
    newestMtime(join(UI_DIR, 'index.html')),
    newestMtime(join(UI_DIR, 'vite.config.ts')),
    newestMtime(join(REPO_ROOT, 'shared/src/api')),
  );
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return false;
  log('building the moderation UI (npm run build -w moderation-ui)…');
  // Under vitest NODE_ENV is 'test', which would make Vite bundle React's development build.
  execFileSync('npm', ['run', 'build', '-w', 'moderation-ui'], {
    cwd: REPO_ROOT,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  return true;
}
