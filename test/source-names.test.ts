/**
 * `src/` speaks in the kernel's names: an errno is `-ESRCH`, never `-3`; an event mask or flag is
 * built from `UTRACE_EVENT(...)`, `UTRACE_ATTACH_*`, `UTRACE_SIGNAL_*` and the like, never a bare
 * `0x1f00` or `1 << 14`. The numbers themselves live only in `src/constants/`.
 *
 * The check reads every file with the TypeScript parser, so comments, strings and type
 * positions (literal types such as `0x1f00` in `: 0x1f00 = ...`) are not code and pass.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';
import { repoRoot } from '../scripts/paths.js';

/** The errno values the utrace calls return (`src/constants/errno.ts`). */
const ERRNO_VALUES = new Set([1, 2, 3, 11, 12, 17, 22, 95, 114, 115, 512]);

/**
 * Numbers in hexadecimal that are not utrace's: hash and PRNG mixing constants, and the 32-bit
 * integer bounds of a seed.
 */
const NOT_UTRACE_HEX = new Set([0x9e3779b9, 0x85ebca6b, 0xc2b2ae35, 0x811c9dc5, 0x01000193, 0x7fffffff, 0x80000000]);

/** A bare number found in code, as `file:line: text (why)`. */
function bareNumbers(fileName: string, text: string): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const found: string[] = [];
  const report = (node: ts.Node, why: string): void => {
    const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
    found.push(`${fileName}:${line + 1}: ${node.getText(source)} (${why})`);
  };
  /** `const NAME = <literal>`: the literal is given a name there, which is what the rule asks. */
  const namesIt = (node: ts.Node): boolean =>
    ts.isVariableDeclaration(node.parent) && node.parent.initializer === node && ts.isIdentifier(node.parent.name) && /^[A-Z_][A-Z0-9_]*$/.test(node.parent.name.text);
  const visit = (node: ts.Node): void => {
    if (ts.isTypeNode(node)) return;
    if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(node.operand)) {
      const value = Number(node.operand.text);
      // -1 is also the usual "none" index; as an errno it is returned or made an ERR_PTR.
      const errnoPlace =
        value !== 1 || ts.isReturnStatement(node.parent) || (ts.isCallExpression(node.parent) && node.parent.expression.getText(source) === 'ERR_PTR');
      if (ERRNO_VALUES.has(value) && errnoPlace) report(node, 'an errno: write its name from src/constants/errno.ts');
      return;
    }
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.LessThanLessThanToken && ts.isNumericLiteral(node.right)) {
      if (!namesIt(node)) report(node, 'a bit: build it from UTRACE_EVENT(...) or a named constant');
      return;
    }
    if (ts.isNumericLiteral(node) && /^0x/i.test(node.getText(source)) && !NOT_UTRACE_HEX.has(Number(node.text)) && !namesIt(node)) {
      report(node, 'a mask: build it from the UTRACE_* constants');
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

describe('src/ names its numbers', () => {
  it('has no bare errno, event mask or flag outside src/constants/', () => {
    const src = join(repoRoot, 'src');
    const files = sourceFiles(src).filter((file) => !relative(src, file).startsWith('constants'));
    assert.ok(files.length > 50, `read ${files.length} files`);
    const found = files.flatMap((file) => bareNumbers(relative(repoRoot, file), readFileSync(file, 'utf8')));
    assert.deepEqual(found, []);
  });

  it('catches each kind of bare number it is meant to catch', () => {
    const caught = (code: string): number => bareNumbers('probe.ts', code).length;
    assert.equal(caught('function f() { return -114; }'), 1);
    assert.equal(caught('const ok = ret === -3 || ret === -512;'), 2);
    assert.equal(caught('function f() { return -1; }'), 1);
    assert.equal(caught('const e = ERR_PTR(-1);'), 1);
    assert.equal(caught('const left = events & ~0x2;'), 1);
    assert.equal(caught('const all = 0x3fff | (1 << 14);'), 2);
    assert.equal(caught('const flags = 1 << 14;'), 1);
  });

  it('passes names, types, comments, strings and the "none" index', () => {
    const caught = (code: string): number => bareNumbers('probe.ts', code).length;
    assert.equal(caught('function f() { return -ESRCH; }'), 0);
    assert.equal(caught('const ENGINE_STOP = 1 << _UTRACE_NEVENTS;'), 0);
    assert.equal(caught('const CLONE_VFORK = 0x4000;'), 0);
    assert.equal(caught('export const X: 0x1f00 = X_VALUE; // 0x1f00, -3'), 0);
    assert.equal(caught("const text = 'bits 0 to 0x3fff, -114';"), 0);
    assert.equal(caught('let previous = -1; const none = { thread: -1 };'), 0);
  });
});
