// Builds Parley Web into the jar's resources (org/parley/web/site): the page's modules and JsSIP
// bundled by esbuild into one script, the static files copied as they are. Run by the Maven build
// (exec-maven-plugin, generate-resources), so `./parley start` serves what this writes.
//
//   node build.mjs <output-dir>
//
// node_modules is filled with `npm ci` (the versions of package-lock.json) only when it is missing
// or older than the lockfile, so repeated builds need neither the network nor the time.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

const out = process.argv[2];
if (!out) {
  console.error('usage: node build.mjs <output-dir>');
  process.exit(2);
}

const installed = 'node_modules/.package-lock.json';
if (!existsSync(installed) || statSync(installed).mtimeMs < statSync('package-lock.json').mtimeMs) {
  const npm = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { stdio: 'inherit' });
  if (npm.status !== 0) {
    console.error('npm ci failed: Parley Web needs the npm registry once to fetch the locked packages');
    process.exit(1);
  }
}

const { build } = await import('esbuild');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
await build({
  entryPoints: ['src/main/web/js/main.js'],
  outfile: join(out, 'app.js'),
  bundle: true,
  format: 'esm',
  minify: true,
  sourcemap: 'linked',
  target: 'es2022',
  // JsSIP's CommonJS modules read process.env through the 'debug' package
  define: { 'process.env.NODE_ENV': '"production"', 'process.env.DEBUG': 'undefined' },
  logLevel: 'warning',
});
for (const file of ['index.html', 'style.css', 'favicon.svg']) {
  cpSync(join('src/main/web', file), join(out, file));
}
