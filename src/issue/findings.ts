/** Collects non-fatal findings (`Problem`s) with file line numbers taken from mdast positions. */
import type { Node } from 'unist';
import type { Problem } from './model.js';

export class Findings {
  readonly problems: Problem[] = [];

  /** `lineOffset`: lines of front matter before the Markdown body. */
  constructor(
    readonly file: string,
    private readonly lineOffset = 0,
  ) {}

  /** A finding about `node`, located at its first line in the file. */
  at(node: Node | undefined, message: string): void {
    const line = node?.position?.start.line;
    this.add(line === undefined ? undefined : line + this.lineOffset, message);
  }

  add(line: number | undefined, message: string): void {
    this.problems.push(line === undefined ? { file: this.file, message } : { file: this.file, line, message });
  }
}
