/**
 * Site machinery is never text for a reader: Liquid tags (`{% assign … %}`, `{% include … %}`,
 * `{{ page.title }}`), Hugo shortcodes (`{{< figure … >}}`, `{{% note %}}`) are blanked before
 * Markdown is parsed, outside fenced code. Blanked, not deleted: line numbers in problems stay
 * right, and a link definition after an `{% include %}` line starts its own block, so Jekyll
 * posts' reference links (`[posted][ref]`) resolve.
 */
import type { Definition, Link, Nodes, PhrasingContent, Root } from 'mdast';
import { visit } from 'unist-util-visit';

/** A tag runs to its closing mark on the same line, at most 500 characters: no scan past that. */
const TAG = /\{%[^\n]{0,500}?%\}|\{\{[^\n]{0,500}?\}\}/g;
const FENCE = /^\s{0,3}(`{3,}|~{3,})/;

/** `text` with template tags replaced by spaces (outside fenced code). */
export function blankMachinery(text: string): string {
  if (!text.includes('{%') && !text.includes('{{')) return text;
  const lines = text.split('\n');
  let fence: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const f = FENCE.exec(line);
    if (f) {
      const mark = (f[1] as string).slice(0, 3);
      if (fence === null) fence = mark;
      else if (mark === fence) fence = null;
      continue;
    }
    if (fence === null && (line.includes('{%') || line.includes('{{'))) {
      const blanked = line.replace(TAG, '');
      lines[i] = blanked.trim() === '' ? '' : blanked;
    }
  }
  return lines.join('\n');
}

/**
 * Reference links and images (`[posted][ref]`, `[LND #10331][]`, `![x][img]`) become plain links
 * and images, wherever their definitions appear; references to relative addresses stay links and
 * are judged like any other link.
 */
export function resolveReferences(root: Root): void {
  const defs = new Map<string, Definition>();
  visit(root, 'definition', (d: Definition) => {
    if (!defs.has(d.identifier)) defs.set(d.identifier, d);
  });
  if (defs.size === 0) return;
  visit(root, (node: Nodes, index, parent) => {
    if (!parent || index === undefined) return undefined;
    if (node.type === 'linkReference') {
      const def = defs.get(node.identifier);
      if (!def) return undefined;
      const link: Link = { type: 'link', url: def.url, title: def.title ?? null, children: node.children };
      if (node.position) link.position = node.position;
      (parent.children as PhrasingContent[])[index] = link;
    } else if (node.type === 'imageReference') {
      const def = defs.get(node.identifier);
      if (!def) return undefined;
      (parent.children as PhrasingContent[])[index] = { type: 'image', url: def.url, alt: node.alt ?? null, title: def.title ?? null };
    }
    return undefined;
  });
}
