import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { scenario as safeDetach } from '../examples/safe-detach.js';
import { RoundRobinScheduler } from '../src/index.js';
import { encodeSchedule } from '../src/sched/schedule-string.js';
import { scenarioExecute } from '../src/scenario/index.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const cli = join(root, 'dist/src/cli/main.js');

interface Run {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built CLI with `args` in the repository root. */
function run(...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [cli, ...args], { cwd: root, env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      if (error !== null && typeof error.code !== 'number') reject(error);
      else resolve({ status: error === null ? 0 : (error.code as number), stdout, stderr });
    });
  });
}

/** The `replay:` schedule and the failure (check, step) the output shows. */
function failureOf(stdout: string): { schedule: string; check: string; step: number } {
  const schedule = /^replay: +\S+.* --replay (s1:\S*)$/m.exec(stdout)?.[1];
  const failure = /^!! Failure: (\S+) at step (\d+)/m.exec(stdout);
  assert.ok(schedule !== undefined, `no replay line in:\n${stdout}`);
  assert.ok(failure !== null, `no failure line in:\n${stdout}`);
  return { schedule, check: failure[1]!, step: Number(failure[2]) };
}

/**
 * A small XML well-formedness check: one root element, every tag closed in order, attributes
 * quoted and not repeated, no raw `<` or stray `&` in text.
 */
function assertWellFormedXml(text: string): void {
  let body = text.replace(/^<\?xml[^?]*\?>\s*/, '');
  body = body.replace(/<!--[\s\S]*?-->/g, '');
  const stack: string[] = [];
  let roots = 0;
  let at = 0;
  const checkText = (t: string): void => {
    assert.ok(!t.includes('<'), 'raw < in text');
    assert.ok(!/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(t), `stray & in text: ${t.slice(0, 80)}`);
  };
  const tag = /<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[A-Za-z_][\w:.-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/g;
  for (let m = tag.exec(body); m !== null; m = tag.exec(body)) {
    checkText(body.slice(at, m.index));
    at = m.index + m[0].length;
    const [, close, name, attrs, selfClose] = m;
    if (close === '/') {
      assert.equal(stack.pop(), name, `</${name!}> closes the wrong element`);
      continue;
    }
    const names = [...attrs!.matchAll(/([A-Za-z_][\w:.-]*)\s*=/g)].map((a) => a[1]);
    assert.equal(new Set(names).size, names.length, `repeated attribute in <${name!}>`);
    checkText(attrs!.replace(/"[^"]*"|'[^']*'/g, (q) => q.replace(/</g, '')));
    if (stack.length === 0) roots++;
    if (selfClose !== '/') stack.push(name!);
  }
  checkText(body.slice(at).trim());
  assert.equal(stack.length, 0, `unclosed elements: ${stack.join(', ')}`);
  assert.equal(roots, 1, 'one root element');
  assert.match(body, /^\s*<svg\b/);
}

let scratch: string;

before(() => {
  if (!existsSync(cli)) {
    execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: root });
  }
  scratch = mkdtempSync(join(tmpdir(), 'utrace-cli-'));
});

after(() => {
  rmSync(scratch, { recursive: true, force: true });
});

describe('utrace-explore exit statuses', () => {
  it('exits 0 when the bound is exhausted clean', async () => {
    const r = await run('safe-detach');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^CLEAN: every schedule of dfs \(preemption bound 2, deepest-first\) ran without failure: \d+ executions/m);
  });

  it('runs the same schedules in either --order, and says which order it used', async () => {
    const counts: string[] = [];
    for (const order of ['deepest-first', 'earliest-first']) {
      const r = await run('death-detach', '--order', order);
      assert.equal(r.status, 0, r.stderr);
      const clean = new RegExp(`^CLEAN: every schedule of dfs \\(preemption bound 2, ${order}\\) ran without failure: (\\d+) executions`, 'm').exec(r.stdout);
      assert.ok(clean !== null, r.stdout);
      counts.push(clean[1]!);
    }
    assert.equal(counts[0], counts[1]);
    const found = await run('set-events-einprogress-free', '--order', 'earliest-first');
    assert.equal(found.status, 1, found.stderr);
    assert.equal(failureOf(found.stdout).check, 'use-after-free');
  });

  it('exits 1 when a rule breaks, and prints the failure, the schedule and the timeline', async () => {
    const r = await run('set-events-einprogress-free');
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /^FOUND use-after-free in execution \d+: \d+ executions?/m);
    assert.match(r.stdout, /^shortened: \d preemptions?, \d+ steps/m);
    assert.match(r.stdout, /^failure: use-after-free: /m);
    assert.match(r.stdout, /^Timeline of set-events-einprogress-free/m);
    assert.equal(failureOf(r.stdout).check, 'use-after-free');
  });

  it('exits 2 when a limit stops the search first', async () => {
    const r = await run('global-counters', '--max-executions', '10');
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stdout, /^STOPPED by the run limit before any failure: 10 executions/m);
    const random = await run('safe-detach', '--strategy', 'random', '--seed', '3', '--max-executions', '50');
    assert.equal(random.status, 2, random.stderr);
  });

  it('exits 64 on usage errors, saying what was wrong', async () => {
    const cases: [string[], RegExp][] = [
      [[], /missing the scenario/],
      [['no-such-case'], /no scenario named "no-such-case"\. Known: set-events-einprogress-free/],
      [['safe-detach', '--bogus'], /unknown option --bogus/],
      [['safe-detach', '--bound', 'two'], /--bound must be an integer/],
      [['safe-detach', '--strategy', 'random', '--bound', '2'], /--bound applies to --strategy dfs/],
      [['safe-detach', '--strategy', 'bfs'], /--strategy must be one of dfs, stateful, random, pct, replay/],
      [['safe-detach', '--order', 'bfs'], /--order must be one of deepest-first, earliest-first; got "bfs"/],
      [['safe-detach', '--strategy', 'pct', '--order', 'earliest-first'], /--order applies to --strategy dfs, not pct/],
      [['safe-detach', '--replay', '0,1,0'], /--replay: Invalid schedule string/],
      [['safe-detach', '--strategy', 'replay'], /--strategy replay needs --replay SCHEDULE/],
      [['thread', '--replay', 's1:2'], /--replay replays one scenario; thread is a group/],
      [['safe-detach', '--replay', 's1:3x4'], /the schedule does not fit scenario safe-detach/],
      [['./missing/scenario.js'], /does not exist/],
      [['safe-detach', 'death-detach'], /one scenario at a time/],
    ];
    for (const [args, message] of cases) {
      const r = await run(...args);
      assert.equal(r.status, 64, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, message, args.join(' '));
      // Mistakes found before the search starts print nothing on stdout.
      if (!args.includes('s1:3x4')) assert.equal(r.stdout, '', `${args.join(' ')} prints nothing on stdout`);
    }
  });

  it('prints the usage with --help and exits 0', async () => {
    const r = await run('--help');
    assert.equal(r.status, 0);
    assert.match(r.stdout, /^Usage: utrace-explore <example-name \| thread \| path\/to\/scenario\.js> \[options\]/);
    assert.match(r.stdout, /Exit status:/);
    assert.match(r.stdout, /^  --order deepest-first\|earliest-first$/m);
  });
});

describe('utrace-explore thread', () => {
  it('exits 0 when all seven cases behave as SPEC §5 says, with a summary table and one SVG per found case', async () => {
    const dir = join(scratch, 'group') + '/';
    const r = await run('thread', '--svg', dir);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^Summary of thread$/m);
    assert.match(r.stdout, /^thread: 7 of 7 cases behaved as expected$/m);
    for (const name of ['set-events-einprogress-free', 'detach-einprogress-unload', 'rcu-only-sync', 'global-no-counters']) {
      assert.match(r.stdout, new RegExp(`^${name} +unsafe +found \\S+ \\(dfs, bound 2\\) +[\\d,]+ +.+ +[0-2] +yes$`, 'm'), name);
      assert.match(r.stdout, new RegExp(`^replay: +utrace-explore ${name} --replay s1:`, 'm'), name);
    }
    for (const name of ['safe-detach', 'death-detach', 'global-counters']) {
      assert.match(r.stdout, new RegExp(`^${name} +safe +clean \\(dfs, bound 2, exhausted\\) +[\\d,]+ +.+ +- +yes$`, 'm'), name);
    }
    assert.match(r.stdout, /^command: utrace-explore thread --strategy dfs --bound 2 --order deepest-first$/m);

    const files = readdirSync(dir).sort();
    assert.deepEqual(files, [
      'detach-einprogress-unload.svg',
      'global-no-counters.svg',
      'rcu-only-sync.svg',
      'set-events-einprogress-free.svg',
    ]);
    for (const f of files) assertWellFormedXml(readFileSync(join(dir, f), 'utf8'));
  });

  it('exits 1 when a case contradicts its expectation', async () => {
    // At bound 0 the unsafe cases that need a preemption are not found.
    const svg = join(scratch, 'bound0', 'thread.svg');
    const r = await run('thread', '--bound', '0', '--svg', svg);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /contradicted: set-events-einprogress-free/);
    // Only rcu-only-sync fails without a preemption; its SVG gets the case's name inserted.
    assert.deepEqual(readdirSync(join(scratch, 'bound0')), ['thread-rcu-only-sync.svg']);
  });
});

describe('utrace-explore --replay', () => {
  for (const name of ['set-events-einprogress-free', 'detach-einprogress-unload', 'rcu-only-sync', 'global-no-counters']) {
    it(`reproduces the printed failure of ${name} exactly`, async () => {
      const found = await run(name);
      assert.equal(found.status, 1, found.stderr);
      const first = failureOf(found.stdout);
      const replayed = await run(name, '--replay', first.schedule);
      assert.equal(replayed.status, 1, replayed.stderr);
      assert.match(replayed.stdout, /^search: replay \(s1:/m);
      assert.match(replayed.stdout, /not shortened/);
      assert.deepEqual(failureOf(replayed.stdout), first);
    });
  }

  it('exits 0 when the replayed schedule breaks no rule', async () => {
    const clean = await scenarioExecute(safeDetach)(new RoundRobinScheduler());
    assert.equal(clean.status, 'ok');
    const r = await run('safe-detach', '--replay', encodeSchedule(clean.schedule));
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^CLEAN: the replayed schedule ran without failure: 1 execution,/m);
  });

  it('shows the failing schedule as found with --no-shorten', async () => {
    const r = await run('global-no-counters', '--no-shorten');
    assert.equal(r.status, 1);
    assert.match(r.stdout, /^counterexample: \d+ preemptions?, \d+ steps \(not shortened\)$/m);
  });
});

describe('utrace-explore --svg', () => {
  it('writes a well-formed SVG of the counterexample', async () => {
    const path = join(scratch, 'one', 'race.svg');
    const r = await run('detach-einprogress-unload', '--svg', path);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, new RegExp(`^svg: wrote ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
    const svg = readFileSync(path, 'utf8');
    assertWellFormedXml(svg);
    assert.match(svg, /module-code-after-unload/);
  });
});

describe('utrace-explore path/to/scenario.js', () => {
  it('runs the scenario a module exports', async () => {
    const r = await run('dist/examples/set-events-einprogress-free.js');
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /^replay: +utrace-explore dist\/examples\/set-events-einprogress-free\.js --replay s1:/m);
    const replayed = await run('dist/examples/set-events-einprogress-free.js', '--replay', failureOf(r.stdout).schedule);
    assert.equal(replayed.status, 1);
  });

  it('refuses a module that exports no scenario', async () => {
    const r = await run('dist/src/cli/format.js');
    assert.equal(r.status, 64);
    assert.match(r.stderr, /exports no scenario/);
  });
});
