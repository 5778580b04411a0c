/**
 * Part of `npm run test:package`: checks what `npm pack` would publish. The tarball holds only
 * what users need: `package.json`, `README.md`, `LICENSE`, the guides (`docs/*.md` and their
 * pictures, which the README links), and the compiled package under
 * `dist/src`, `dist/types` and `dist/examples` (the command line runs the examples), as
 * JavaScript and declarations without source maps; every relative link of the README leads
 * to a file in the package; every entry the
 * manifest names is in it; and no compiled file is left over from a source that no longer
 * exists (`dist/` is not emptied between builds). Run after `npm run build`.
 * @packageDocumentation
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './paths.js';

interface PackEntry {
  readonly path: string;
  readonly size: number;
}

const packed = JSON.parse(
  execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: repoRoot, encoding: 'utf8' }),
) as { files: PackEntry[]; size: number; unpackedSize: number }[];
const files = (packed[0]?.files ?? []).map((f) => f.path).sort();
const problems: string[] = [];

const allowed = (path: string): boolean =>
  ['package.json', 'README.md', 'LICENSE'].includes(path) ||
  /^dist\/(src|types|examples)\/.+\.(js|d\.ts)$/.test(path) ||
  /^docs\/[\w-]+\.md$/.test(path) ||
  /^docs\/assets\/[\w/-]+\.svg$/.test(path);
for (const path of files) {
  if (!allowed(path)) problems.push(`${path}: not something users need`);
}

/** Every file the manifest points at must ship. */
const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
  main?: string;
  types?: string;
  bin?: { [name: string]: string };
  exports?: unknown;
};
const targets = new Set<string>();
const collect = (value: unknown): void => {
  if (typeof value === 'string') targets.add(value);
  else if (value !== null && typeof value === 'object') for (const v of Object.values(value)) collect(v);
};
collect(manifest.main);
collect(manifest.types);
collect(manifest.bin);
collect(manifest.exports);
for (const target of targets) {
  const path = target.replace(/^\.\//, '');
  if (!files.includes(path)) problems.push(`${path}: named in package.json but not in the package`);
}
for (const needed of ['README.md', 'LICENSE']) {
  if (!files.includes(needed)) problems.push(`${needed}: missing from the package`);
}

/** The README's relative links (and the guides' pictures) must work from the tarball. */
const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
for (const m of readme.matchAll(/\]\((?!https?:|#)([^)#\s]+)/g)) {
  if (!files.includes(m[1]!)) problems.push(`README.md links ${m[1]!}, which is not in the package`);
}
for (const path of readme.matchAll(/`node ((?:dist|build)\/[\w/.-]+\.js)`/g)) {
  if (!files.includes(path[1]!)) problems.push(`README.md runs ${path[1]!}, which is not in the package`);
}
for (const guide of files.filter((f) => /^docs\/[\w-]+\.md$/.test(f))) {
  for (const m of readFileSync(join(repoRoot, guide), 'utf8').matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)) {
    const target = join('docs', m[1]!).replace(/\\/g, '/');
    if (!files.includes(target)) problems.push(`${guide} shows ${m[1]!}, which is not in the package`);
  }
}

/** A compiled file whose source is gone would still be published. */
for (const path of files) {
  const m = /^dist\/((?:src|types|examples)\/.+?)(\.d\.ts|\.js)$/.exec(path);
  if (m === null) continue;
  const source = join(repoRoot, `${m[1] as string}.ts`);
  if (!existsSync(source)) problems.push(`${path}: left over from a removed source (${m[1] as string}.ts); delete dist/ and rebuild`);
}

for (const p of problems) console.error(`npm pack: ${p}`);
console.log(
  `npm pack: ${files.length} files, ${Math.round((packed[0]?.size ?? 0) / 1024)} kB packed, ${problems.length} problems`,
);
if (problems.length > 0) process.exitCode = 1;
