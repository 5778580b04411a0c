/**
 * The command line's rough edges, smoothed: --version, our own messages for bad options,
 * "did you mean", ranges, Ctrl-C, a closed pipe, --svg on clean runs and bad paths, .ts
 * scenario files, the progress line, the timeline's width.
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { scenario as safeDetach } from '../examples/safe-detach.js';
import { parseCommandLine } from '../src/cli/args.js';
import { EXIT, runCli } from '../src/cli/cli.js';
import { progressText } from '../src/cli/progress.js';
import { RoundRobinScheduler } from '../src/index.js';
import { encodeSchedule } from '../src/sched/schedule-string.js';
import { scenarioExecute } from '../src/scenario/index.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const cli = join(root, 'dist/src/cli/main.js');
const scratch = mkdtempSync(join(tmpdir(), 'utrace-cli-new-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

interface Run {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

function run(args: readonly string[], env: Record<string, string | undefined> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const e: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', COLUMNS: undefined, ...env };
    for (const k of Object.keys(e)) if (e[k] === undefined) delete e[k];
    execFile(process.execPath, [cli, ...args], { cwd: root, env: e, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      if (error !== null && typeof error.code !== 'number') reject(error);
      else resolve({ status: error === null ? 0 : (error.code as number), stdout, stderr });
    });
  });
}

const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;

describe('utrace-explore usage messages', () => {
  it('prints its version with --version (and -V)', async () => {
    for (const flag of ['--version', '-V']) {
      const r = await run([flag]);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout, `utrace-explore ${version}\n`);
    }
  });

  it('says what was wrong in its own words, with balanced quotes, never parseArgs advice', async () => {
    const cases: [string[], RegExp][] = [
      [['safe-detach', '--bound', '-1'], /^utrace-explore: --bound must be an integer from 0 to 1000; got -1, which is out of range$/m],
      [['safe-detach', '--strategy', 'random', '--seed', '99999999999'], /--seed must be an integer from -2147483648 to 2147483647; got 99999999999, which is out of range/],
      [['safe-detach', '--strategy', 'random', '--seed', '-5'], /^$/],
      [['safe-detach', '--boun', '1'], /unknown option --boun; did you mean --bound\?/],
      [['safe-detach', '--versoin'], /unknown option --versoin; did you mean --version\?/],
      [['safe-detach', '--zzzzzz'], /unknown option --zzzzzz$/m],
      [['safe-detach', '--bound'], /--bound needs a value/],
      [['safe-detach', '--full=yes'], /--full takes no value/],
      [['safe-detach', '--width', '5'], /--width must be an integer from 20 to 1000; got 5/],
      [['safe-detah'], /no scenario named "safe-detah"; did you mean safe-detach\? Known: /],
      [['thred'], /did you mean thread\?/],
      [['safe-detach', '--svg', 'out.png'], /--svg out\.png: the picture is SVG; give a file name ending in \.svg, or a directory ending with \//],
    ];
    for (const [args, message] of cases) {
      const r = await run(args);
      if (message.source === '^$') {
        assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
        continue;
      }
      assert.equal(r.status, 64, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, message, args.join(' '));
      assert.doesNotMatch(r.stderr, /XYZ|place it at the end|To specify a positional/, args.join(' '));
      const first = r.stderr.split('\n')[0]!;
      assert.equal((first.match(/'/g) ?? []).length % 2, 0, `unbalanced quotes: ${first}`);
      assert.equal((first.match(/"/g) ?? []).length % 2, 0, `unbalanced quotes: ${first}`);
    }
  });

  it('gives a hint for a TypeScript scenario file', async () => {
    const file = join(scratch, 'my-scenario.ts');
    writeFileSync(file, "import { defineScenario } from 'utrace/explore';\nexport default defineScenario({} as never as Parameters<typeof defineScenario>[0]);\n");
    const r = await run([file]);
    assert.equal(r.status, 64);
    assert.match(r.stderr, /my-scenario\.ts is TypeScript, which this Node\.js \(v[\d.]+\) does not load: compile it to JavaScript first \(npx tsc\) and pass the \.js file/);
  });

  it('documents how the exit statuses of one scenario and of a group treat expect', async () => {
    const r = await run(['--help']);
    assert.match(r.stdout, /This\s+reports what the search found, whatever the scenario's expect says/);
    assert.match(r.stdout, /^ {2}--width N/m);
    assert.match(r.stdout, /^ {2}--full/m);
    assert.match(r.stdout, /^ {2}--version/m);
    assert.match(r.stdout, /^ {2}130 +interrupted/m);
  });
});

describe('utrace-explore interrupted and piped', () => {
  it('on Ctrl-C prints the partial result and exits 130', async () => {
    const child = spawn(process.execPath, [cli, 'global-counters'], { cwd: root, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    await new Promise<void>((resolve) => {
      const wait = setInterval(() => {
        if (stdout.includes('search: dfs')) {
          clearInterval(wait);
          setTimeout(() => {
            child.kill('SIGINT');
            resolve();
          }, 400);
        }
      }, 20);
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 130, stdout + stderr);
    assert.match(stdout, /^STOPPED by an interrupt before any failure: [\d,]+ executions/m);
    assert.match(stderr, /^utrace-explore: interrupted after [\d,]+ executions; no failure found so far$/m);
  });

  it('clears its progress line when interrupted', async () => {
    const writes: string[] = [];
    const controller = new AbortController();
    const stderr = {
      isTTY: true,
      write(text: string): boolean {
        writes.push(text);
        if (text.includes('executions') && text.startsWith('\r')) controller.abort();
        return true;
      },
    };
    const stdout = { isTTY: false, write: (): boolean => true };
    const code = await runCli(['global-counters'], { stdout, stderr, env: {}, signal: controller.signal });
    assert.equal(code, EXIT.interrupted);
    let lastProgress = -1;
    writes.forEach((w, i) => {
      if (w.includes('executions,') && w.startsWith('\r')) lastProgress = i;
    });
    assert.ok(lastProgress >= 0, 'a progress line was drawn');
    assert.equal(writes[lastProgress + 1], '\r\u001b[K', 'and then cleared');
    assert.match(writes.at(-1)!, /interrupted after/);
  });

  it('stops quietly when the reader closes the pipe (| head -1)', async () => {
    const child = spawn(process.execPath, [cli, 'thread'], { cwd: root, env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(stderr, '');
    assert.equal(code, 0);
  });
});

describe('utrace-explore --svg', () => {
  it('on a clean search says why there is no picture; a replayed clean schedule is drawn and printed', async () => {
    const dir = join(scratch, 'clean') + '/';
    const r = await run(['safe-detach', '--svg', dir]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^svg: no picture of safe-detach: no run failed, and a clean search has no single run to draw; --replay a schedule to draw that run$/m);
    assert.ok(!existsSync(join(dir, 'safe-detach.svg')));

    const clean = await scenarioExecute(safeDetach)(new RoundRobinScheduler());
    const replayed = await run(['safe-detach', '--replay', encodeSchedule(clean.schedule), '--svg', dir]);
    assert.equal(replayed.status, 0, replayed.stderr);
    assert.match(replayed.stdout, /^Timeline of safe-detach \(replayed, no failure\):$/m);
    assert.match(replayed.stdout, /No failure: every thread finished/);
    assert.match(replayed.stdout, /^svg: created directory .*clean$/m);
    assert.match(readFileSync(join(dir, 'safe-detach.svg'), 'utf8'), /No failure/);
  });

  it('an unwritable path is a clear error that does not stop the other cases of a group', async () => {
    const file = join(scratch, 'a-file');
    writeFileSync(file, 'not a directory');
    const r = await run(['thread', '--svg', join(file, 'pictures') + '/']);
    assert.equal(r.status, EXIT.cantCreate, r.stdout + r.stderr);
    assert.equal((r.stderr.match(/could not write the SVG of \S+ to .*: a part of the path is a file, not a directory; going on with the other cases/g) ?? []).length, 4, r.stderr);
    assert.match(r.stdout, /^thread: 7 of 7 cases behaved as expected$/m);
  });
});

describe('utrace-explore timeline width', () => {
  const widest = (stdout: string): number => {
    const timeline = stdout.slice(stdout.indexOf('Timeline of'));
    return Math.max(...timeline.split('\n').map((l) => Array.from(l).length));
  };

  it('fits --width, $COLUMNS when piped, and 100 otherwise', async () => {
    assert.ok(widest((await run(['set-events-einprogress-free', '--width', '60'])).stdout) <= 60);
    assert.ok(widest((await run(['set-events-einprogress-free'], { COLUMNS: '72' })).stdout) <= 72);
    const plain = (await run(['set-events-einprogress-free'])).stdout;
    assert.ok(widest(plain) <= 100 && widest(plain) > 72, String(widest(plain)));
  });

  it('elides the middle of a long run with a count, and --full shows every step', async () => {
    assert.equal(parseCommandLine(['thread', '--full'], false).full, true);
    assert.equal(parseCommandLine(['thread'], false).full, false);
    // A task of 300 system calls, run alone: a clean run of about 300 steps, replayed.
    const dist = (path: string): string => JSON.stringify(new URL(`../../dist/src/${path}`, import.meta.url).href);
    const file = join(scratch, 'long.js');
    writeFileSync(
      file,
      `import { sys } from ${dist('index.js')};\nimport { defineScenario } from ${dist('explore/index.js')};\n` +
        "export default defineScenario({ name: 'long', description: 'one long task', expect: 'safe', " +
        'build: (kernel) => void kernel.spawn("busy", Array.from({ length: 300 }, (_, i) => sys(i))) });\n',
    );
    const { default: long } = (await import(pathToFileURL(file).href)) as { default: Parameters<typeof scenarioExecute>[0] };
    const clean = await scenarioExecute(long)(new RoundRobinScheduler());
    assert.ok(clean.schedule.length > 250, String(clean.schedule.length));
    const schedule = encodeSchedule(clean.schedule);
    const short = await run([file, '--replay', schedule]);
    assert.equal(short.status, 0, short.stderr);
    assert.match(short.stdout, /⋮ [\d,]+ steps not shown \(steps \d+ to \d+; --full shows every step\)/);
    const full = await run([file, '--replay', schedule, '--full']);
    assert.equal(full.status, 0, full.stderr);
    assert.doesNotMatch(full.stdout, /not shown/);
    assert.ok(full.stdout.includes(`${clean.schedule.length - 1} │`), 'the last step is shown');
    assert.ok(full.stdout.split('\n').length > short.stdout.split('\n').length + 90);
  });
});

describe('the progress line', () => {
  it('shows how much is left when a limit makes it known', () => {
    const p = { executions: 1234, elapsedMs: 500, perSecond: 2468 };
    assert.equal(progressText('x', p, { maxExecutions: 10_000 }), 'x: 1,234 of 10,000 executions (12%), 2,468/s, 500 ms, at most 3.55 s left');
    assert.equal(progressText('x', p, { maxSeconds: 60 }), 'x: 1,234 executions, 2,468/s, 500 ms, at most 59.5 s left');
    assert.equal(progressText('x (case 2 of 7)', p, {}), 'x (case 2 of 7): 1,234 executions, 2,468/s, 500 ms, total unknown');
  });
});
