/**
 * `UtraceUsageError.rule` is a `UsageRule`: every rule name thrown in `src/` is a member of
 * the union in `src/errors.ts`, and every member is thrown somewhere (no name left behind
 * when a check goes). The compiler checks the first half too, once the parameter is typed;
 * this test keeps the list honest in both directions and names the offending line.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';
import { repoRoot } from '../scripts/paths.js';
import { UtraceUsageError, utrace_engine_put } from '../src/index.js';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? sourceFiles(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : [],
  );
}

function parse(file: string): ts.SourceFile {
  return ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
}

/** The string literals of `export type UsageRule = ...` in `src/errors.ts`. */
function usageRules(): Set<string> {
  const source = parse(join(repoRoot, 'src', 'errors.ts'));
  const names = new Set<string>();
  for (const statement of source.statements) {
    if (!ts.isTypeAliasDeclaration(statement) || statement.name.text !== 'UsageRule') continue;
    const visit = (node: ts.Node): void => {
      if (ts.isLiteralTypeNode(node) && ts.isStringLiteral(node.literal)) names.add(node.literal.text);
      ts.forEachChild(node, visit);
    };
    visit(statement.type);
  }
  return names;
}

/** Each `new UtraceUsageError('x', ...)` in `src/`, and every other string literal there. */
function thrownRules(): { thrown: { rule: string; where: string }[]; literals: Set<string> } {
  const thrown: { rule: string; where: string }[] = [];
  const literals = new Set<string>();
  for (const file of sourceFiles(join(repoRoot, 'src'))) {
    if (file.endsWith(join('src', 'errors.ts'))) continue;
    const source = parse(file);
    const visit = (node: ts.Node): void => {
      if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) literals.add(node.text);
      if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'UtraceUsageError') {
        const first = node.arguments?.[0];
        if (first !== undefined && ts.isStringLiteral(first)) {
          const { line } = source.getLineAndCharacterOfPosition(first.getStart(source));
          thrown.push({ rule: first.text, where: `${relative(repoRoot, file)}:${line + 1}` });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return { thrown, literals };
}

describe('UsageRule', () => {
  const rules = usageRules();
  const { thrown, literals } = thrownRules();

  it('is read from src/errors.ts, and src/ throws UtraceUsageError with literal rule names', () => {
    assert.ok(rules.size >= 30, `UsageRule has ${rules.size} members`);
    assert.ok(thrown.length >= 30, `found ${thrown.length} throws`);
  });

  it('has every rule name thrown in src/ as a member', () => {
    const missing = thrown.filter((t) => !rules.has(t.rule)).map((t) => `${t.where}: '${t.rule}'`);
    assert.deepEqual(missing, []);
  });

  it('has no member that src/ never uses', () => {
    const unused = [...rules].filter((r) => !literals.has(r));
    assert.deepEqual(unused, []);
  });

  it('is what a thrown UtraceUsageError carries', () => {
    assert.throws(
      () => utrace_engine_put(null as never),
      (e: unknown) => e instanceof UtraceUsageError && rules.has(e.rule),
    );
  });
});
