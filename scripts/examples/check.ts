/**
 * Type-checks documentation examples as users would write them: each example becomes a module
 * under `build/examples-check/` that imports from `'utrace'` (the package itself, resolved to
 * `dist/` by self-reference), and all of them are checked in one TypeScript program with the
 * project's compiler options.
 *
 * - A block that has an `import` of its own is used as it stands: its imports are part of
 *   what it teaches, so a missing one is an error.
 * - A block without imports gets `import { ... } from 'utrace'` (or from `'utrace/explore'`)
 *   for each name it uses that the package exports (`import type` for types), so a short
 *   snippet need not repeat them.
 * - An inline expression (`` @example `UTRACE_SIGNAL_IGN === 0x10` ``) is checked as
 *   `export const value = (expression);`, then run: one that evaluates to `false` fails.
 * @packageDocumentation
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import type { Example } from './extract.js';

/** A problem found in one example, placed at the line of its file. */
export interface ExampleError {
  readonly example: Example;
  /** 1-based line in the example's file. */
  readonly line: number;
  readonly message: string;
}

/** What a check found. */
export interface CheckResult {
  /** Examples type-checked (skipped ones not counted). */
  readonly checked: number;
  /** Inline expressions also run. */
  readonly evaluated: number;
  readonly errors: readonly ExampleError[];
}

/** A generated module and where its lines come from. */
interface Generated {
  readonly example: Example;
  readonly path: string;
  /** Lines added before the example's code. */
  readonly prelude: number;
}

/** The compiler options of `tsconfig.base.json`, for checking only. */
function compilerOptions(root: string): ts.CompilerOptions {
  const configPath = join(root, 'tsconfig.base.json');
  const read = ts.readConfigFile(configPath, (p) => ts.sys.readFile(p));
  if (read.error !== undefined) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, root, undefined, configPath);
  return { ...parsed.options, noEmit: true, declaration: false, sourceMap: false };
}

/** Whether `code` has import or export statements of its own. */
function hasModuleSyntax(code: string): boolean {
  const sf = ts.createSourceFile('x.ts', code, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  return sf.statements.some(
    (s) =>
      ts.isImportDeclaration(s) ||
      ts.isImportEqualsDeclaration(s) ||
      ts.isExportDeclaration(s) ||
      ts.isExportAssignment(s),
  );
}

/** The identifiers `code` uses and the names it declares. */
function namesIn(code: string): { used: Set<string>; declared: Set<string> } {
  const sf = ts.createSourceFile('x.ts', code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const used = new Set<string>();
  const declared = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node)) {
      const parent = node.parent;
      const isName =
        parent !== undefined &&
        'name' in parent &&
        (parent as { name?: ts.Node }).name === node &&
        (ts.isVariableDeclaration(parent) ||
          ts.isFunctionDeclaration(parent) ||
          ts.isClassDeclaration(parent) ||
          ts.isInterfaceDeclaration(parent) ||
          ts.isTypeAliasDeclaration(parent) ||
          ts.isEnumDeclaration(parent) ||
          ts.isParameter(parent) ||
          ts.isBindingElement(parent));
      if (isName) declared.add(node.text);
      else if (!(parent !== undefined && ts.isPropertyAccessExpression(parent) && parent.name === node)) used.add(node.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return { used, declared };
}

/** The entries of the package, in the order auto-imports look names up. */
const ENTRIES = ['utrace', 'utrace/explore'] as const;
type Entry = (typeof ENTRIES)[number];

/** A name the package exports: from which entry, and whether it is a value or a type only. */
interface Exported {
  readonly entry: Entry;
  readonly kind: 'value' | 'type';
}

/** The names the package's entries export. */
function packageExports(
  root: string,
  options: ts.CompilerOptions,
  dir: string,
): { names: Map<string, Exported>; program: ts.Program } {
  const probe = join(dir, 'exports-probe.ts');
  writeFileSync(probe, ENTRIES.map((e, i) => `import * as entry${i} from '${e}';\nexport { entry${i} };\n`).join(''));
  const program = ts.createProgram([probe], options);
  const checker = program.getTypeChecker();
  const sf = program.getSourceFile(probe);
  const names = new Map<string, Exported>();
  const statements: readonly ts.Statement[] = sf?.statements ?? [];
  const imports = statements.filter((s) => ts.isImportDeclaration(s));
  ENTRIES.forEach((entry, i) => {
    const decl = imports[i];
    const moduleSymbol = decl === undefined ? undefined : checker.getSymbolAtLocation(decl.moduleSpecifier);
    if (moduleSymbol === undefined) {
      throw new Error(
        `the package entry '${entry}' does not resolve from ${relative(root, dir)}: run \`npx tsc -p tsconfig.build.json\` (or npm run build) first`,
      );
    }
    for (const sym of checker.getExportsOfModule(moduleSymbol)) {
      if (names.has(sym.name)) continue;
      const target = sym.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(sym) : sym;
      const typeOnly =
        (target.flags & ts.SymbolFlags.Value) === 0 ||
        (sym.declarations ?? []).some((d) => ts.isTypeOnlyImportOrExportDeclaration(d));
      names.set(sym.name, { entry, kind: typeOnly ? 'type' : 'value' });
    }
  });
  rmSync(probe);
  return { names, program };
}

/** The import lines a snippet without imports needs. */
function autoImports(code: string, exported: Map<string, Exported>): string[] {
  const { used, declared } = namesIn(code);
  const lines: string[] = [];
  for (const entry of ENTRIES) {
    const values: string[] = [];
    const types: string[] = [];
    for (const name of [...used].sort()) {
      if (declared.has(name)) continue;
      const found = exported.get(name);
      if (found?.entry !== entry) continue;
      if (found.kind === 'value') values.push(name);
      else types.push(name);
    }
    if (values.length > 0) lines.push(`import { ${values.join(', ')} } from '${entry}';`);
    if (types.length > 0) lines.push(`import type { ${types.join(', ')} } from '${entry}';`);
  }
  return lines;
}

/** The module text for one example, and how many lines precede its code. */
function moduleFor(example: Example, exported: Map<string, Exported>): { text: string; prelude: number } {
  const header = [`// ${example.file}:${example.line} (generated by scripts/check-examples.ts)`];
  if (example.kind === 'expression') {
    const imports = autoImports(example.code, exported);
    const prelude = [...header, ...imports];
    return { text: `${prelude.join('\n')}\nexport const value = (${example.code});\n`, prelude: prelude.length };
  }
  const own = hasModuleSyntax(example.code);
  const prelude = [...header, ...(own ? [] : autoImports(example.code, exported))];
  return { text: `${prelude.join('\n')}\n${example.code}\nexport {};\n`, prelude: prelude.length };
}

/** The line of the example's file a diagnostic at `line0` (0-based) of its module points to. */
function sourceLine(g: Generated, line0: number): number {
  const inCode = line0 - g.prelude;
  const codeLines = g.example.code.split('\n').length;
  if (inCode < 0) return g.example.line;
  return g.example.codeLine + Math.min(inCode, codeLines - 1);
}

/**
 * Writes every example that is not skipped to `dir` (emptied first), type-checks them in one
 * program, then runs the inline expressions that passed.
 * @param root - the repository root (its `tsconfig.base.json` gives the options)
 * @param dir - a folder inside the package, so `'utrace'` resolves to the package itself
 */
export async function checkExamples(root: string, dir: string, examples: readonly Example[]): Promise<CheckResult> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const options = compilerOptions(root);
  const { names: exported, program: probe } = packageExports(root, options, dir);
  const generated: Generated[] = [];
  examples
    .filter((e) => !e.skipped)
    .forEach((example, i) => {
      const { text, prelude } = moduleFor(example, exported);
      const path = join(dir, `example-${String(i + 1).padStart(3, '0')}.ts`);
      writeFileSync(path, text);
      generated.push({ example, path, prelude });
    });
  const byPath = new Map(generated.map((g) => [ts.sys.resolvePath(g.path), g]));
  // The probe's program already holds the package's declarations: reuse them.
  const program = ts.createProgram(
    generated.map((g) => g.path),
    options,
    undefined,
    probe,
  );
  const errors: ExampleError[] = [];
  const failed = new Set<Generated>();
  const diagnostics = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()];
  for (const sf of program.getSourceFiles()) {
    if (!byPath.has(ts.sys.resolvePath(sf.fileName))) continue;
    diagnostics.push(...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf));
  }
  for (const d of diagnostics) {
    if (d.category !== ts.DiagnosticCategory.Error) continue;
    const message = `error TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    const g = d.file === undefined ? undefined : byPath.get(ts.sys.resolvePath(d.file.fileName));
    if (g === undefined || d.file === undefined || d.start === undefined) {
      const first = generated[0];
      if (first !== undefined) errors.push({ example: first.example, line: first.example.line, message });
      continue;
    }
    const { line } = d.file.getLineAndCharacterOfPosition(d.start);
    failed.add(g);
    errors.push({ example: g.example, line: sourceLine(g, line), message });
  }
  // Run the inline expressions that type-checked.
  let evaluated = 0;
  for (const g of generated) {
    if (g.example.kind !== 'expression' || failed.has(g)) continue;
    const { text } = moduleFor(g.example, exported);
    const js = ts.transpileModule(text, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false },
    }).outputText;
    const mjs = g.path.replace(/\.ts$/, '.mjs');
    writeFileSync(mjs, js);
    evaluated++;
    try {
      const mod = (await import(pathToFileURL(mjs).href)) as { value: unknown };
      if (mod.value === false) {
        errors.push({ example: g.example, line: g.example.codeLine, message: `\`${g.example.code}\` evaluates to false` });
      }
    } catch (e) {
      errors.push({ example: g.example, line: g.example.codeLine, message: `\`${g.example.code}\` throws: ${String(e)}` });
    }
  }
  return { checked: generated.length, evaluated, errors };
}
