/** `npm run bench`: runs every benchmark script (api/bench/*.ts, bot/bench/*.ts, shared/bench/*.ts) in turn; each prints its figures. */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const only = process.argv.slice(2);
const scripts = ['api/bench', 'bot/bench', 'shared/bench']
  .filter((dir) => existsSync(`${ROOT}/${dir}`))
  .flatMap((dir) =>
    readdirSync(`${ROOT}/${dir}`)
      .filter((f) => f.endsWith('.ts'))
      .map((f) => `${dir}/${f}`),
  )
  .filter((path) => only.length === 0 || only.some((name) => path.includes(name)));

let failed = 0;
for (const [index, script] of scripts.entries()) {
  console.log(`\n=== [${index + 1}/${scripts.length}] ${script}`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) {
    failed++;
    console.error(`${script} failed (exit ${result.status})`);
  }
}
process.exit(failed > 0 ? 1 : 0);
