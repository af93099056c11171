import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const PLATFORM_LIBRARIES = ['telegraf', 'discord.js', '@discordjs/', 'ws'];

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
