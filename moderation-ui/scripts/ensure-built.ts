import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
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
  if (isFresh()) return false;
  // Test files in parallel (and npm start beside them) must not build into one dist/ at once.
  const release = lockBuild();
  try {
    if (isFresh()) return false;
    log('building the moderation UI (npm run build -w moderation-ui)…');
    // Under vitest NODE_ENV is 'test', which would make Vite bundle React's development build.
    execFileSync('npm', ['run', 'build', '-w', 'moderation-ui'], {
      cwd: REPO_ROOT,
      stdio: 'inherit',
      env: { ...process.env, NODE_ENV: 'production' },
    });
    return true;
  } finally {
    release();
  }
}

function isFresh(): boolean {
  const index = join(UI_DIR, 'dist/index.html');
  const sources = Math.max(
    newestMtime(join(UI_DIR, 'src')),
    newestMtime(join(UI_DIR, 'index.html')),
    newestMtime(join(UI_DIR, 'vite.config.ts')),
    newestMtime(join(REPO_ROOT, 'shared/src/api')),
    // The proof-of-work worker bundles these (libsodium, the puzzle's rules).
    newestMtime(join(REPO_ROOT, 'shared/src/crypto')),
  );
  return existsSync(index) && statSync(index).mtimeMs >= sources;
}

/** A lock directory (mkdir is atomic); a lock older than 5 minutes is a dead builder's. */
function lockBuild(): () => void {
  const lock = join(UI_DIR, '.build-lock');
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      return () => rmSync(lock, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const held = statSync(lock, { throwIfNoEntry: false });
      if (!held) continue;
      if (Date.now() - held.mtimeMs > 5 * 60_000) {
        rmSync(lock, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`another build holds ${lock}`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
    }
  }
}
