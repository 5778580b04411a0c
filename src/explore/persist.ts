/**
 * Files that keep what a search learnt between test runs: the failing schedules of each
 * scenario (replayed first next time) and the checkpoints of searches cut short.
 *
 * Each file is JSON: `{ "format": "<kind>", "version": 1, "scenarios": { "<name>": ... } }`,
 * meant to be committed (failures: a regression test) or ignored (checkpoints), written
 * whole to a temporary file and renamed into place.
 *
 * @packageDocumentation
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { UtraceUsageError } from '../errors.js';
import type { CheckName } from '../sched/execution.js';
import type { SearchCheckpoint } from './resume.js';

/**
 * A failing schedule kept in a failure file.
 * @public
 * @category Test runners
 */
export interface SavedFailure {
  /** The schedule string that replays the failure. */
  readonly schedule: string;
  /** The check that fired. */
  readonly check: CheckName;
  /** When it was found (ISO 8601). */
  readonly found: string;
}

/**
 * A search's checkpoint kept in a checkpoint file.
 * @public
 * @category Test runners
 */
export interface SavedCheckpoint {
  /** The strategy in words, as the search described it when saved. */
  readonly strategy: string;
  /** The state to resume from. */
  readonly checkpoint: SearchCheckpoint;
  /** When it was saved (ISO 8601). */
  readonly saved: string;
}

type Kind = 'utrace-failures' | 'utrace-checkpoints';

interface FileShape<T> {
  readonly format: Kind;
  readonly version: 1;
  readonly scenarios: Record<string, T>;
}

/** The entries of a persistence file; none when the file does not exist. */
function readAll<T>(path: string, kind: Kind): Record<string, T> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new UtraceUsageError('bad-option', `${path}: cannot read it: ${(e as Error).message}`);
  }
  let data: Partial<FileShape<T>>;
  try {
    data = JSON.parse(text) as Partial<FileShape<T>>;
  } catch (e) {
    throw new UtraceUsageError('bad-option', `${path}: not JSON (${(e as Error).message}); delete the file or give another path`);
  }
  if (typeof data !== 'object' || data === null || data.format !== kind || data.version !== 1 || typeof data.scenarios !== 'object' || data.scenarios === null) {
    throw new UtraceUsageError('bad-option', `${path}: not a ${kind} file (version 1); delete it or give another path`);
  }
  return { ...data.scenarios };
}

/** Sets (or, with `undefined`, removes) the entry `name` of a persistence file. */
function writeOne<T>(path: string, kind: Kind, name: string, value: T | undefined): void {
  const all = readAll<T>(path, kind);
  if (value === undefined) {
    if (!Object.hasOwn(all, name)) return;
    delete all[name];
  } else {
    all[name] = value;
  }
  const sorted: Record<string, T> = {};
  for (const key of Object.keys(all).sort()) sorted[key] = all[key]!;
  const data: FileShape<T> = { format: kind, version: 1, scenarios: sorted };
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(data, null, 2)}\n`);
  renameSync(temporary, path);
}

/**
 * The failing schedule saved for scenario `name` in the failure file at `path`, if any.
 * @throws `UtraceUsageError` when the file exists but is not a failure file.
 * @example
 * ```ts
 * import { loadFailure } from 'utrace/explore';
 * console.log(loadFailure('test/utrace-failures.json', 'my-scenario')?.schedule);
 * ```
 * @public
 * @category Test runners
 */
export function loadFailure(path: string, name: string): SavedFailure | undefined {
  const entry = readAll<SavedFailure>(path, 'utrace-failures')[name];
  return typeof entry?.schedule === 'string' ? entry : undefined;
}

/**
 * Saves (or, with `undefined`, forgets) the failing schedule of scenario `name` in the
 * failure file at `path`, creating the file and its directory as needed.
 * @example
 * ```ts
 * import { saveFailure } from 'utrace/explore';
 * saveFailure('test/utrace-failures.json', 'my-scenario', undefined); // forget it
 * ```
 * @public
 * @category Test runners
 */
export function saveFailure(path: string, name: string, failure: SavedFailure | undefined): void {
  writeOne(path, 'utrace-failures', name, failure);
}

/**
 * The checkpoint saved for scenario `name` in the checkpoint file at `path`, if any.
 * @example
 * ```ts
 * import { loadCheckpoint } from 'utrace/explore';
 * console.log(loadCheckpoint('.utrace/checkpoints.json', 'my-scenario')?.strategy);
 * ```
 * @public
 * @category Test runners
 */
export function loadCheckpoint(path: string, name: string): SavedCheckpoint | undefined {
  const entry = readAll<SavedCheckpoint>(path, 'utrace-checkpoints')[name];
  return typeof entry?.checkpoint === 'object' && entry.checkpoint !== null ? entry : undefined;
}

/**
 * Saves (or, with `undefined`, forgets) the checkpoint of scenario `name` in the checkpoint
 * file at `path`, creating the file and its directory as needed.
 * @example
 * ```ts
 * import { saveCheckpoint } from 'utrace/explore';
 * saveCheckpoint('.utrace/checkpoints.json', 'my-scenario', undefined); // start afresh next time
 * ```
 * @public
 * @category Test runners
 */
export function saveCheckpoint(path: string, name: string, saved: SavedCheckpoint | undefined): void {
  writeOne(path, 'utrace-checkpoints', name, saved);
}
