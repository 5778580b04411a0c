/**
 * The repository root, found from this file's place: `scripts/` in the sources, and
 * `build/scripts/` once compiled.
 * @packageDocumentation
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'typedoc.json'))) return dir;
    const up = resolve(dir, '..');
    if (up === dir) throw new Error('repository root not found above the scripts');
    dir = up;
  }
}

/** The absolute path of the repository root. */
export const repoRoot: string = findRoot();
