/**
 * What the command line's target names: one of the thread's examples, a group of them, or
 * the scenarios a module on disk exports.
 *
 * @packageDocumentation
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { examples, groups } from '../../examples/index.js';
import { isScenario, type Scenario } from '../scenario/scenario.js';
import { CliUsageError, closest } from './args.js';

/**
 * The scenarios a target names, and whether they are judged as a group.
 * @internal
 */
export interface Target {
  /** The target as named. */
  readonly name: string;
  /** `true` for a group (exit status by expectations, summary table), `false` for one scenario. */
  readonly group: boolean;
  /** The scenarios to run, in order. */
  readonly scenarios: readonly Scenario[];
}

/**
 * The names the command line knows without a path: every example, then every group.
 * @internal
 */
export function knownNames(): string {
  return [...Object.keys(examples), ...Object.keys(groups)].join(', ');
}

/**
 * Resolves a target: an example name, a group name, or a path to an ES module (relative to
 * the working directory) whose default export is a scenario or an array of scenarios, or,
 * without a default export, whose exported scenarios are taken in order. A module giving
 * one scenario is run as one scenario; several, as a group. `path#name` picks the scenario
 * called `name` out of the module.
 * @throws {@link CliUsageError} when the name is unknown, the file is missing or fails to
 * load, or it exports no scenario.
 * @internal
 */
export async function resolveTarget(name: string): Promise<Target> {
  const example = Object.hasOwn(examples, name) ? examples[name] : undefined;
  if (example !== undefined) return { name, group: false, scenarios: [example] };
  const group = Object.hasOwn(groups, name) ? groups[name] : undefined;
  if (group !== undefined) return { name, group: true, scenarios: group };
  const hash = name.lastIndexOf('#');
  const file = hash > 0 ? name.slice(0, hash) : name;
  const pick = hash > 0 ? name.slice(hash + 1) : undefined;
  const typescript = /\.[cm]?ts$/.test(file);
  if (!/[\\/]|\.[cm]?[jt]s$/.test(file)) {
    const guess = closest(name, [...Object.keys(examples), ...Object.keys(groups)]);
    throw new CliUsageError(
      `no scenario named ${JSON.stringify(name)}${guess === undefined ? '.' : `; did you mean ${guess}?`} Known: ${knownNames()}; or give a path to a .js module`,
    );
  }
  const path = resolve(file);
  if (!existsSync(path)) throw new CliUsageError(`scenario module ${path} does not exist`);
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (typescript && (code === 'ERR_UNKNOWN_FILE_EXTENSION' || code === 'ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING' || e instanceof SyntaxError)) {
      throw new CliUsageError(
        `scenario module ${path} is TypeScript, which this Node.js (${process.version}) does not load: ` +
          'compile it to JavaScript first (npx tsc) and pass the .js file, or use Node.js 22.18 or later, which strips types itself',
      );
    }
    throw new CliUsageError(`scenario module ${path} failed to load: ${e instanceof Error ? e.message : String(e)}`);
  }
  const scenarios = scenariosOf(module);
  const names = new Set<string>();
  for (const s of scenarios) {
    if (names.has(s.name)) {
      throw new CliUsageError(`scenario module ${path} exports two scenarios named ${JSON.stringify(s.name)}: give each its own name, so a printed replay command names one`);
    }
    names.add(s.name);
  }
  if (scenarios.length === 0) {
    throw new CliUsageError(
      `scenario module ${path} exports no scenario: export one made with defineScenario (as the default export, or a named one)`,
    );
  }
  if (pick !== undefined) {
    const chosen = scenarios.find((s) => s.name === pick);
    if (chosen === undefined) {
      throw new CliUsageError(`scenario module ${path} has no scenario named ${JSON.stringify(pick)}; it has ${scenarios.map((s) => s.name).join(', ')}`);
    }
    return { name, group: false, scenarios: [chosen] };
  }
  return { name, group: scenarios.length > 1, scenarios };
}

/** The scenarios a module exports: its default export if that is one or a list of them, else every named one. */
function scenariosOf(module: Record<string, unknown>): Scenario[] {
  const main = module['default'];
  if (isScenario(main)) return [main];
  if (Array.isArray(main) && main.length > 0 && main.every(isScenario)) return main;
  const found: Scenario[] = [];
  for (const value of Object.values(module)) {
    if (isScenario(value) && !found.includes(value)) found.push(value);
  }
  return found;
}
