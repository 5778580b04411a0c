/**
 * The browser the documentation test drives. By default, the Chromium that `npm ci` installs:
 * the `@sparticuz/chromium` package ships a headless Chromium build inside its tarball
 * (`bin/chromium.br`, Brotli-compressed), with the shared libraries it needs beyond glibc
 * (`bin/al2023.tar.br`: NSS, NSPR, expat) and a font (`bin/fonts.tar.br`). Nothing is
 * downloaded and no install script runs: the first run unpacks those files into
 * `node_modules/.cache/utrace-chromium/<version>/` (about 210 MB), later runs reuse them.
 *
 * A system browser is used only when it is named: `UTRACE_BROWSER=/usr/bin/chromium`.
 * @packageDocumentation
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot } from '../../scripts/paths.js';

/** The browser to launch: its executable and the environment it needs. */
export interface BrowserChoice {
  /** Absolute path of the executable. */
  readonly executablePath: string;
  /** Where it comes from: the npm package, or the `UTRACE_BROWSER` environment variable. */
  readonly source: 'npm' | 'UTRACE_BROWSER';
  /** Variables to add to the browser's environment (library and font paths). */
  readonly env: { readonly [name: string]: string };
  /** Command-line flags the browser needs, beyond the test's own. */
  readonly args: readonly string[];
}

/** The name of the environment variable that selects a system browser. */
export const BROWSER_VARIABLE = 'UTRACE_BROWSER';

/** The directory of the installed `@sparticuz/chromium` package, and its version. */
function npmChromium(): { dir: string; version: string } {
  // The package exports only its entry point (build/index.js); its root is one level up.
  const dir = join(dirname(fileURLToPath(import.meta.resolve('@sparticuz/chromium'))), '..');
  const { version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string };
  return { dir, version };
}

/** The directory into which the npm Chromium is unpacked. */
export function cacheDir(root: string = repoRoot): string {
  return join(root, 'node_modules', '.cache', 'utrace-chromium', npmChromium().version);
}

/**
 * Unpacks the npm Chromium into `dest` unless it is already there. Unpacks into a sibling
 * directory first and renames it into place, so that an interrupted run leaves no
 * half-written binary behind.
 */
async function unpack(dest: string): Promise<void> {
  if (existsSync(join(dest, 'chromium'))) return;
  const { dir } = npmChromium();
  // The package's own unpacker writes into os.tmpdir(), which follows TMPDIR on each call.
  const { inflate } = (await import('@sparticuz/chromium')) as unknown as {
    inflate: (file: string) => Promise<string>;
  };
  const staging = `${dest}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const saved = process.env['TMPDIR'];
  process.env['TMPDIR'] = staging;
  try {
    for (const file of ['chromium.br', 'al2023.tar.br', 'fonts.tar.br', 'swiftshader.tar.br']) {
      await inflate(join(dir, 'bin', file));
    }
  } finally {
    if (saved === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = saved;
  }
  if (existsSync(join(dest, 'chromium'))) {
    rmSync(staging, { recursive: true, force: true });
    return;
  }
  // The package's fonts.conf names Lambda's directories; this one names the unpacked font
  // first, then the system's fonts where there are any.
  writeFileSync(
    join(staging, 'fonts.conf'),
    [
      '<?xml version="1.0"?>',
      '<!DOCTYPE fontconfig SYSTEM "fonts.dtd">',
      '<fontconfig>',
      `  <dir>${join(dest, 'fonts', 'fonts')}</dir>`,
      '  <dir>/usr/share/fonts</dir>',
      `  <cachedir>${join(dest, 'fonts-cache')}</cachedir>`,
      '</fontconfig>',
      '',
    ].join('\n'),
  );
  rmSync(dest, { recursive: true, force: true });
  renameSync(staging, dest);
}

/**
 * Chooses the browser: the one named by `UTRACE_BROWSER` in `env` if set (it must exist),
 * otherwise the npm-installed Chromium, unpacked under `root` on first use.
 * @throws Error when `UTRACE_BROWSER` names a file that does not exist.
 */
export async function chooseBrowser(
  env: NodeJS.ProcessEnv = process.env,
  root: string = repoRoot,
): Promise<BrowserChoice> {
  const named = env[BROWSER_VARIABLE];
  if (named !== undefined && named !== '') {
    if (!existsSync(named)) {
      throw new Error(`${BROWSER_VARIABLE}=${named}: no such file; unset it to use the Chromium that npm ci installs`);
    }
    return { executablePath: named, source: BROWSER_VARIABLE, env: {}, args: [] };
  }
  const dest = cacheDir(root);
  await unpack(dest);
  const libs = join(dest, 'al2023', 'lib');
  const inherited = env['LD_LIBRARY_PATH'];
  return {
    executablePath: join(dest, 'chromium'),
    source: 'npm',
    env: {
      LD_LIBRARY_PATH: inherited ? `${libs}:${inherited}` : libs,
      FONTCONFIG_FILE: join(dest, 'fonts.conf'),
    },
    // This build only runs as chrome-headless-shell.
    args: ['--headless=old', '--no-zygote', '--use-gl=angle', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'],
  };
}
