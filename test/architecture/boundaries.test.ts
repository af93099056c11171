import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const PLATFORM_LIBRARIES = ['telegraf', 'discord.js', '@discordjs/', 'ws'];
/**
 * The adapters folders that are not chat platforms: the command line (a composition root, which wires
 * every platform) and the HTTP server (health, metrics, status page, and the route a webhook mounts).
 */
const COMPOSITION_FOLDERS = ['cli', 'http'];
/**
 * Catalog messages allowed to name platforms, by key, each with its reason. Keep this short: each
 * entry is one more file a new platform must touch.
 */
const NAMING_MESSAGES: Record<string, string> = {
  // Tells a shell user where timed posts go. To fill from the registry once DeliveryAccess can list
  // the platforms that deliver (the delivery facade, issue 12 part B).
  'error.unavailable': 'names the platforms that take timed posts',
};

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (path.endsWith('.ts')) out.push(path);
  }
  return out;
}

/** Every module specifier in import/export-from statements and dynamic imports. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers: string[] = [];
  const patterns = [/\b(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]/g, /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g, /^\s*import\s*['"]([^'"]+)['"]/gm];
  for (const re of patterns) for (const m of text.matchAll(re)) specifiers.push(m[1] as string);
  return specifiers;
}

describe('dependency direction', () => {
  const srcFiles = sourceFiles(join(root, 'src'));

  it('GIVEN any file in src/ THEN it imports no platform library', () => {
    const offenders = srcFiles.flatMap((f) =>
      importsOf(f)
        .filter((s) => PLATFORM_LIBRARIES.some((lib) => s === lib || s.startsWith(lib.endsWith('/') ? lib : `${lib}/`)))
        .map((s) => `${relative(root, f)} imports ${s}`),
    );
    expect(offenders).toEqual([]);
  });

  it('GIVEN any file in src/ THEN it never imports from adapters/', () => {
    const adapters = join(root, 'adapters');
    const offenders = srcFiles.flatMap((f) =>
      importsOf(f)
        .filter((s) => s.startsWith('.') && resolve(dirname(f), s).startsWith(adapters))
        .map((s) => `${relative(root, f)} imports ${s}`),
    );
    expect(offenders).toEqual([]);
  });

  it('GIVEN any relative import in src/ or adapters/ THEN it ends in .js', () => {
    const files = [...srcFiles, ...sourceFiles(join(root, 'adapters'))];
    const offenders = files.flatMap((f) =>
      importsOf(f)
        .filter((s) => s.startsWith('.') && !s.endsWith('.js') && !s.endsWith('.json'))
        .map((s) => `${relative(root, f)} imports ${s}`),
    );
    expect(offenders).toEqual([]);
  });

  it('GIVEN the checker itself THEN it sees imports in a known src file', () => {
    // Guards against the regexes silently matching nothing.
    expect(importsOf(join(root, 'src/platform.ts'))).toContain('./digest/digest.js');
  });
});

/** The platforms: every folder in adapters/ but the composition roots (telegram, discord, shell, …). */
function platformFolders(): string[] {
  const adapters = join(root, 'adapters');
  return readdirSync(adapters).filter((name) => statSync(join(adapters, name)).isDirectory() && !COMPOSITION_FOLDERS.includes(name));
}

/**
 * Where `file` names a platform in code: identifiers, string and template literals, regexes. Comments
 * are not code and may name a platform (a comment explaining a rule by its example is helpful); the
 * TypeScript parser tells them apart. Identifiers are split into words, so `TELEGRAM_RATE`,
 * `isTelegramGroup` and 'discord:1' count, and `nutshell` does not.
 */
function platformNamesIn(file: string, names: readonly string[]): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const words = (text: string) => text.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().split(/[^a-z0-9]+/);
  const visit = (node: ts.Node) => {
    if (ts.isIdentifier(node) || ts.isPrivateIdentifier(node) || ts.isStringLiteralLike(node) || ts.isTemplateLiteralToken(node) || ts.isRegularExpressionLiteral(node)) {
      const text = ts.isIdentifier(node) || ts.isPrivateIdentifier(node) ? node.text : node.getText(source);
      const hit = names.find((name) => words(text).includes(name));
      const key = ts.isPropertyAssignment(node.parent) && node.parent.initializer === node ? node.parent.name.getText(source).slice(1, -1) : '';
      if (hit && !Object.hasOwn(NAMING_MESSAGES, key)) found.push(`${relative(root, file)}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1} names ${hit}: ${text.slice(0, 60)}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('platform knowledge', () => {
  const srcFiles = sourceFiles(join(root, 'src'));
  const platforms = platformFolders();

  it('GIVEN the adapters folder THEN the platforms are its folders but the composition roots', () => {
    expect(platforms).toEqual(expect.arrayContaining(['telegram', 'discord', 'shell']));
    expect(platforms).not.toContain('cli');
    expect(platforms).not.toContain('http');
  });

  it('GIVEN any file in src/ THEN its code names no platform (comments may)', () => {
    expect(srcFiles.flatMap((f) => platformNamesIn(f, platforms))).toEqual([]);
  });

  it('GIVEN any file in a platform folder THEN it imports no other adapter folder and no composition root', () => {
    const adapters = join(root, 'adapters');
    const offenders = platforms.flatMap((own) =>
      sourceFiles(join(adapters, own)).flatMap((f) =>
        importsOf(f)
          .filter((s) => s.startsWith('.'))
          .map((s) => resolve(dirname(f), s))
          .filter((target) => target.startsWith(adapters + sep) && !target.startsWith(join(adapters, own) + sep))
          .map((target) => `${relative(root, f)} imports ${relative(root, target)}`),
      ),
    );
    expect(offenders).toEqual([]);
  });

  it('GIVEN the checkers themselves THEN they see a platform name in code and an import across adapters', () => {
    // Guards against the checks silently matching nothing.
    expect(platformNamesIn(join(root, 'adapters/telegram/settings.ts'), ['telegram']).length).toBeGreaterThan(0);
    expect(platformNamesIn(join(root, 'adapters/telegram/settings.ts'), ['discord'])).toEqual([]);
    expect(importsOf(join(root, 'adapters/platforms.ts'))).toContain('./discord/index.js');
  });
});
