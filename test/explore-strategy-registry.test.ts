import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseCommandLine, USAGE, CliUsageError } from '../src/cli/args.js';
import { makeStrategy, STRATEGIES, STRATEGY_NAMES, strategyFlags, type StrategyName } from '../src/explore/strategy.js';

const root = new URL('../../', import.meta.url);

describe('the strategy registry', () => {
  it('has one file per strategy, named after it, whose definition carries that name', () => {
    const files = readdirSync(new URL('src/explore/strategies/', root)).filter((f) => f.endsWith('.ts') && f !== 'definition.ts');
    assert.deepEqual(files.map((f) => f.replace(/\.ts$/, '')).sort(), [...STRATEGY_NAMES].sort());
    for (const name of STRATEGY_NAMES) assert.equal(STRATEGIES[name].name, name);
  });

  it('is the only list of strategies: no file of the command line names two of them', () => {
    for (const file of readdirSync(new URL('src/cli/', root)).filter((f) => f.endsWith('.ts'))) {
      const text = readFileSync(new URL(`src/cli/${file}`, root), 'utf8');
      const named = STRATEGY_NAMES.filter((name) => new RegExp(`['"\`]${name}['"\`]`).test(text));
      assert.ok(named.length <= 1, `${file} names the strategies ${named.join(', ')}: take them from the registry`);
      assert.doesNotMatch(text, /MAX_PCT_DEPTH|DEFAULT_PCT_DEPTH|DEFAULT_DFS_BOUND/, `${file} repeats a strategy's limit or default`);
    }
  });

  it('drives the help text: every strategy with its summary, every flag with its default', () => {
    assert.match(USAGE, new RegExp(`--strategy ${STRATEGY_NAMES.join('\\|')}\\n`));
    for (const name of STRATEGY_NAMES) assert.ok(USAGE.includes(`${name}`), name);
    for (const { flag } of strategyFlags().values()) {
      assert.match(USAGE, new RegExp(`^  --${flag.option} `, 'm'), flag.option);
      if (flag.default !== undefined) assert.ok(USAGE.replace(/\s+/g, ' ').includes(`(default ${flag.default})`), `${flag.option} default`);
    }
  });

  it('drives the parser: each flag sets its field for its strategies, with its default, and is refused by the others', () => {
    for (const name of STRATEGY_NAMES) {
      const definition = STRATEGIES[name];
      const required = definition.flags.filter((f) => f.required === true);
      const base = ['safe-detach', '--strategy', name, ...required.flatMap((f) => [`--${f.option}`, sample(f)])];
      const parsed = parseCommandLine(base, false).strategy as unknown as Record<string, unknown>;
      assert.equal(parsed['kind'], name);
      for (const flag of definition.flags) {
        if (flag.default !== undefined) assert.equal(parsed[flag.field], flag.default, `${name} --${flag.option} default`);
        const given = parseCommandLine([...base, `--${flag.option}`, sample(flag)], false).strategy as unknown as Record<string, unknown>;
        assert.equal(String(given[flag.field]), sample(flag), `${name} --${flag.option}`);
      }
      // The options the command line makes build the strategy.
      assert.equal(makeStrategy(parseCommandLine(base, false).strategy).name, name);
    }
    for (const [option, { flag, kinds }] of strategyFlags()) {
      for (const other of STRATEGY_NAMES.filter((n) => !kinds.includes(n))) {
        assert.throws(
          () => parseCommandLine(['safe-detach', '--strategy', other, `--${option}`, sample(flag)], false),
          (e: unknown) => e instanceof CliUsageError && e.message.includes(`--${option} applies to --strategy ${kinds.join(' or ')}, not ${other}`),
          `--${option} with ${other}`,
        );
      }
      if (flag.type === 'integer') {
        assert.throws(() => parseCommandLine(['safe-detach', '--strategy', kinds[0]!, `--${option}`, String(flag.max + 1), ...(flag.required ? [] : [])], false), /out of range/);
      }
    }
  });

  it('refuses an unknown strategy with the registry\'s names, in makeStrategy and on the command line', () => {
    assert.throws(() => parseCommandLine(['safe-detach', '--strategy', 'bfs'], false), new RegExp(`must be one of ${STRATEGY_NAMES.join(', ')}`));
    assert.throws(() => makeStrategy({ kind: 'bfs' as StrategyName } as never), /unknown strategy kind "bfs"/);
  });
});

/** A valid value of a flag. */
function sample(flag: (typeof STRATEGIES)[StrategyName]['flags'][number]): string {
  switch (flag.type) {
    case 'integer':
      return String(Math.max(flag.min, Math.min(flag.max, 5)));
    case 'choice':
      return flag.choices.at(-1)!;
    case 'schedule':
      return 's1:0';
  }
}
