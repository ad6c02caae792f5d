/**
 * `npm run build`: the api, the gateway and the admin CLI as plain JavaScript for `node`
 * (production runs no TypeScript loader). One esbuild bundle per entry holds the workspace
 * code (@tinbao/*, whose package exports point at .ts files); every npm package stays an
 * import of node_modules (native sharp, PGlite's WASM, libsodium), installed without dev
 * dependencies in the image.
 *
 * Files the code loads by `new URL('…', import.meta.url)` (the administrative units, the
 * migrations, the argon2 worker threads, the web form's CSS, the moderation UI) are found in
 * the sources and copied under the output folder at their paths in the repository; each
 * module's `import.meta.url` is rewritten to its own path there, so those URLs resolve
 * exactly as they do from the sources.
 *
 *   npm run build                        → dist/api.js, dist/bot.js, dist/cli.js (+ the files)
 *   tsx scripts/build.ts --outdir <dir> [--no-ui]
 */
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { build, type Plugin } from 'esbuild';

const ROOT = resolve(import.meta.dirname, '..');

export const ENTRIES = {
  api: 'api/src/main.ts',
  bot: 'bot/src/main.ts',
  cli: 'api/src/cli/main.ts',
} as const;

/** `new URL('literal', import.meta.url)`, the literal possibly a template like `../data/${file}`. */
const ASSET_URL = /new URL\(\s*(['"`])([^'"`]+)\1\s*,\s*import\.meta\.url\s*\)/g;

/** Bare imports other than the workspace's own packages stay imports of node_modules. */
const externalPackages: Plugin = {
  name: 'external-packages',
  setup(context) {
    context.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@tinbao/') ? undefined : { path: args.path, external: true },
    );
  },
};

/** Rewrites import.meta.url per module and collects the files those modules load by URL. */
function moduleUrls(assets: Set<string>): Plugin {
  return {
    name: 'module-urls',
    setup(context) {
      context.onLoad({ filter: /\.ts$/ }, (args) => {
        if (args.path.includes('/node_modules/')) return undefined;
        const source = readFileSync(args.path, 'utf8');
        if (!source.includes('import.meta.url')) return { contents: source, loader: 'ts' };
        const fromRoot = relative(ROOT, args.path);
        for (const match of source.matchAll(ASSET_URL)) {
          const literal = match[2]!;
          // A template names some file of a folder: copy the folder.
          const path = literal.includes('${')
            ? literal.slice(0, literal.lastIndexOf('/', literal.indexOf('${')) + 1)
            : literal;
          assets.add(relative(ROOT, resolve(dirname(args.path), path)));
        }
        const ownUrl = `new URL(${JSON.stringify(`./${fromRoot}`)}, import.meta.url).href`;
        return { contents: source.replaceAll('import.meta.url', ownUrl), loader: 'ts' };
      });
    },
  };
}

export interface BuildOptions {
  outdir: string;
  /** Build the moderation UI first when it is missing or stale (default true). */
  ui?: boolean;
  log?: (message: string) => void;
}

export async function buildDist(options: BuildOptions): Promise<{ outdir: string; assets: string[] }> {
  const log = options.log ?? console.log;
  const outdir = resolve(ROOT, options.outdir);
  if (options.ui !== false) {
    const { ensureUiBuilt } = await import('@tinbao/moderation-ui/scripts/ensure-built');
    ensureUiBuilt(log);
  }
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const assets = new Set<string>();
  await build({
    entryPoints: Object.fromEntries(
      Object.entries(ENTRIES).map(([name, entry]) => [name, join(ROOT, entry)]),
    ),
    outdir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20.19',
    sourcemap: 'linked',
    sourcesContent: false,
    logLevel: 'warning',
    plugins: [externalPackages, moduleUrls(assets)],
  });
  // The bundles are ES modules; the package.json above them says so.
  writeFileSync(
    join(outdir, 'package.json'),
    `${JSON.stringify({ type: 'module', private: true }, null, 2)}\n`,
  );
  const missing: string[] = [];
  for (const asset of [...assets].sort()) {
    const from = join(ROOT, asset);
    if (!existsSync(from)) {
      missing.push(asset);
      continue;
    }
    mkdirSync(dirname(join(outdir, asset)), { recursive: true });
    cpSync(from, join(outdir, asset), { recursive: statSync(from).isDirectory() });
  }
  for (const asset of missing) {
    // Only the UI may be absent (--no-ui): the api then answers 503 at / and still serves the API.
    if (options.ui === false && asset.startsWith('moderation-ui/')) log(`not built: ${asset} (--no-ui)`);
    else throw new Error(`${asset} is loaded by URL but does not exist`);
  }
  log(
    `built ${Object.keys(ENTRIES)
      .map((name) => `${relative(ROOT, outdir)}/${name}.js`)
      .join(', ')}`,
  );
  return { outdir, assets: [...assets].sort() };
}

if (process.argv[1] === import.meta.filename) {
  const { values } = parseArgs({
    options: { outdir: { type: 'string', default: 'dist' }, 'no-ui': { type: 'boolean' } },
  });
  try {
    await buildDist({ outdir: values.outdir, ui: !values['no-ui'] });
  } catch (error) {
    console.error(`build: ${(error as Error).message}`);
    process.exit(1);
  }
}
