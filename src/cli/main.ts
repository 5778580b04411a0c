#!/usr/bin/env node
/**
 * The `utrace-explore` executable: runs {@link runCli} on the process's arguments and exits
 * with its status. See `utrace-explore --help`.
 *
 * @packageDocumentation
 */
import { EXIT, runCli } from './cli.js';

try {
  process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
} catch (e) {
  process.stderr.write(`utrace-explore: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = EXIT.software;
}
