/**
 * The package arrows of the design ("Shape of the code"), checked on the real import graph: the
 * kiosk ships, so it must not reach the virtual card's test CA, the reference upstream or the
 * testbed; the upstream must not lean on the simulator; and the code that runs in a browser page
 * (the renderer, the preload scripts) must not need Node. Imports are read with the TypeScript
 * parser, not a pattern, so a re-export, a dynamic import(), a require() or a
 * `new URL('…', import.meta.url)` counts as much as a static import.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join, posix } from 'node:path';
import ts from 'typescript';

/** Which workspace packages each package's src/ may import; a package not listed may import none. */
export const PACKAGE_ARROWS: Readonly<Record<string, readonly string[] | 'all'>> = {
  '@myna/protocol': [],
  '@myna/card': [],
  '@myna/card-sim': ['@myna/card'],
  '@myna/upstream-ref': ['@myna/protocol'],
  '@myna/kiosk': ['@myna/protocol', '@myna/card'],
  '@myna/devtools': 'all',
};

/** Code that runs in a browser page, not in Node; paths are relative to the package's folder. */
export interface BrowserZone {
  name: string;
  package: string;
  /** Every file under this folder runs in the page. */
  folder: string;
  /** Folders or files of the same package the zone may import. */
  mayImport: readonly string[];
  /** npm packages that work in the page. */
  packages: readonly string[];
}

export const BROWSER_ZONES: readonly BrowserZone[] = [
  {
    name: 'renderer',
    package: '@myna/kiosk',
    folder: 'src/ui/',
    mayImport: ['src/ui/', 'src/common/ui-protocol.ts'],
    packages: ['i18next'],
  },
  {
    name: 'preload',
    package: '@myna/kiosk',
    folder: 'src/preload/',
    mayImport: ['src/preload/', 'src/common/ui-protocol.ts'],
    // Electron's sandboxed preload gets this one module from the shell, nothing else.
    packages: ['electron'],
  },
];

export type ImportKind = 'import' | 'export from' | 'import()' | 'import type' | 'require' | 'new URL';

export interface ImportRef {
  specifier: string;
  kind: ImportKind;
  line: number;
}

export type Rule =
  /** A package imports a workspace package its arrows do not allow. */
  | 'package-arrow'
  /** A relative path leaves its package for another one, around the package's name and manifest. */
  | 'relative-escape'
  /** A package imports a workspace package its package.json `dependencies` do not declare. */
  | 'undeclared-dependency'
  /** A package.json declares a workspace package its arrows do not allow. */
  | 'forbidden-dependency'
  /** A @myna/ name that is no workspace package. */
  | 'unknown-package'
  /** Browser code imports a Node built-in module. */
  | 'browser-node'
  /** Browser code imports an npm package not known to work in the page. */
  | 'browser-package'
  /** Browser code imports a file outside its zone. */
  | 'browser-outside';

export interface Violation {
  /** Relative to the workspace root, with forward slashes. */
  file: string;
  /** 0 for a package.json entry. */
  line: number;
  specifier: string;
  rule: Rule;
  message: string;
}

export interface Manifest {
  name: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

export interface WorkspacePackage {
  /** Relative to the workspace root, e.g. `packages/kiosk`. */
  dir: string;
  manifest: Manifest;
}

export interface SourceText {
  /** Relative to the workspace root, with forward slashes. */
  path: string;
  text: string;
}

export interface Workspace {
  packages: readonly WorkspacePackage[];
  /** The files under each package's src/; tests and benchmarks may import what they need. */
  sources: readonly SourceText[];
}

const SOURCE_FILE = /\.(?:[cm]?ts|tsx|[cm]?js)$/;
const SCOPE = '@myna/';

export function readWorkspace(root: string): Workspace {
  const packages = readdirSync(join(root, 'packages'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(root, 'packages', entry.name, 'package.json')))
    .map((entry) => {
      const dir = `packages/${entry.name}`;
      return { dir, manifest: JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) as Manifest };
    });
  const sources = packages.flatMap(({ dir }) => {
    const src = join(root, dir, 'src');
    if (!existsSync(src)) return [];
    return (readdirSync(src, { recursive: true, encoding: 'utf8' }) as string[])
      .map((file) => file.replace(/\\/g, '/'))
      .filter((file) => SOURCE_FILE.test(file))
      .map((file) => ({ path: `${dir}/src/${file}`, text: readFileSync(join(src, file), 'utf8') }));
  });
  return { packages, sources };
}

export function findImports(fileName: string, text: string): ImportRef[] {
  const kind = /\.[cm]?js$/.test(fileName) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, kind);
  const found: ImportRef[] = [];
  const add = (literal: ts.Node | undefined, importKind: ImportKind) => {
    if (!literal || !ts.isStringLiteralLike(literal)) return;
    const line = source.getLineAndCharacterOfPosition(literal.getStart(source)).line + 1;
    found.push({ specifier: literal.text, kind: importKind, line });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) add(node.moduleSpecifier, 'import');
    else if (ts.isExportDeclaration(node)) add(node.moduleSpecifier, 'export from');
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference))
      add(node.moduleReference.expression, 'require');
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument))
      add(node.argument.literal, 'import type');
    else if (ts.isCallExpression(node)) {
      if (node.expression.kind === ts.SyntaxKind.ImportKeyword) add(node.arguments[0], 'import()');
      else if (isRequire(node.expression)) add(node.arguments[0], 'require');
    } else if (ts.isNewExpression(node) && isModuleUrl(node)) add(node.arguments?.[0], 'new URL');
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** `require(…)`, `require.resolve(…)`, `createRequire(…)(…)` and `import.meta.resolve(…)`. */
function isRequire(callee: ts.Expression): boolean {
  if (ts.isIdentifier(callee)) return callee.text === 'require';
  if (ts.isCallExpression(callee))
    return ts.isIdentifier(callee.expression) && callee.expression.text === 'createRequire';
  if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'resolve')
    return (
      (ts.isIdentifier(callee.expression) && callee.expression.text === 'require') ||
      isImportMeta(callee.expression)
    );
  return false;
}

/** `new URL('…', import.meta.url)`: a file of this module's neighbourhood, by path. */
function isModuleUrl(node: ts.NewExpression): boolean {
  const base = node.arguments?.[1];
  return (
    ts.isIdentifier(node.expression) &&
    node.expression.text === 'URL' &&
    base !== undefined &&
    ts.isPropertyAccessExpression(base) &&
    base.name.text === 'url' &&
    isImportMeta(base.expression)
  );
}

function isImportMeta(node: ts.Expression): boolean {
  return (
    ts.isMetaProperty(node) && node.keywordToken === ts.SyntaxKind.ImportKeyword && node.name.text === 'meta'
  );
}

/** `@scope/name/sub/path.js` → `@scope/name`; `name/sub` → `name`. */
export function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

function mayImport(from: string, to: string): boolean {
  const allowed = PACKAGE_ARROWS[from] ?? [];
  return from === to || allowed === 'all' || allowed.includes(to);
}

const isRelative = (specifier: string) => specifier.startsWith('./') || specifier.startsWith('../');

export function checkImportRules(workspace: Workspace): Violation[] {
  const byName = new Map(workspace.packages.map((pkg) => [pkg.manifest.name, pkg]));
  const owner = (path: string) => workspace.packages.find((pkg) => path.startsWith(`${pkg.dir}/`));
  const violations: Violation[] = workspace.packages.flatMap(manifestViolations);

  for (const file of workspace.sources) {
    const pkg = owner(file.path);
    if (!pkg) continue;
    const zone = BROWSER_ZONES.find((candidate) => inZone(candidate, pkg, file.path));
    for (const ref of findImports(file.path, file.text)) {
      const found = (rule: Rule, message: string) =>
        violations.push({ file: file.path, line: ref.line, specifier: ref.specifier, rule, message });
      if (isRelative(ref.specifier)) {
        const target = posix.normalize(posix.join(posix.dirname(file.path), ref.specifier));
        const other = owner(target);
        if (other && other !== pkg)
          found(
            'relative-escape',
            `${pkg.manifest.name} reaches into ${other.manifest.name} by a relative path; import it by name, if the arrows allow`,
          );
        else if (zone && !zoneMayImport(zone, pkg, target))
          found('browser-outside', `the ${zone.name} may import only ${zone.mayImport.join(', ')}`);
        continue;
      }
      if (ref.kind === 'new URL') continue; // an absolute URL names no module of ours
      const name = packageName(ref.specifier);
      if (zone) {
        if (isBuiltin(ref.specifier))
          found('browser-node', `the ${zone.name} runs in a page: no Node modules`);
        else if (!zone.packages.includes(name))
          found(
            'browser-package',
            `the ${zone.name} may import only the packages ${zone.packages.join(', ')}`,
          );
        continue;
      }
      if (!name.startsWith(SCOPE) || name === pkg.manifest.name) continue;
      if (!byName.has(name)) found('unknown-package', `${name} is no package of this workspace`);
      else if (!mayImport(pkg.manifest.name, name))
        found('package-arrow', `${pkg.manifest.name} may not import ${name}`);
      else if (!pkg.manifest.dependencies?.[name])
        found('undeclared-dependency', `${pkg.dir}/package.json does not list ${name} in dependencies`);
    }
  }
  return violations;
}

function manifestViolations(pkg: WorkspacePackage): Violation[] {
  const { name, dependencies, optionalDependencies, peerDependencies } = pkg.manifest;
  const declared = Object.keys({ ...dependencies, ...optionalDependencies, ...peerDependencies });
  return declared
    .filter((dependency) => dependency.startsWith(SCOPE) && !mayImport(name, dependency))
    .map((dependency) => ({
      file: `${pkg.dir}/package.json`,
      line: 0,
      specifier: dependency,
      rule: 'forbidden-dependency' as const,
      message: `${name} may not depend on ${dependency}`,
    }));
}

function inZone(zone: BrowserZone, pkg: WorkspacePackage, path: string): boolean {
  return zone.package === pkg.manifest.name && path.startsWith(`${pkg.dir}/${zone.folder}`);
}

function zoneMayImport(zone: BrowserZone, pkg: WorkspacePackage, target: string): boolean {
  return zone.mayImport.some((allowed) => target.startsWith(`${pkg.dir}/${allowed}`));
}

export function formatViolation(violation: Violation): string {
  const where = violation.line > 0 ? `${violation.file}:${violation.line}` : violation.file;
  return `${where}: '${violation.specifier}' (${violation.rule}) ${violation.message}`;
}
