/**
 * Finds the vocabulary words that contain a string (nerf → donerf, fastnerf) without scanning
 * the whole vocabulary: each word is listed under each of its three-character substrings, and a
 * look-up reads the shortest of the lists its query's trigrams name, then checks each candidate.
 */
export const MIN_INFIX = 3;

export class InfixIndex {
  private readonly byTrigram = new Map<string, number[]>();
  private readonly words: string[] = [];
  private readonly ids: number[] = [];

  /** Registers a word under its trigrams; `id` is returned by `containing`. */
  add(word: string, id: number): void {
    if (word.length <= MIN_INFIX) return;
    const at = this.words.length;
    this.words.push(word);
    this.ids.push(id);
    const seen = new Set<string>();
    for (let i = 0; i + MIN_INFIX <= word.length; i++) {
      const tri = word.slice(i, i + MIN_INFIX);
      if (seen.has(tri)) continue;
      seen.add(tri);
      let list = this.byTrigram.get(tri);
      if (!list) this.byTrigram.set(tri, (list = []));
      list.push(at);
    }
  }

  /** Ids of registered words that contain `part` (at least MIN_INFIX long) other than at their start. */
  containing(part: string): Array<[string, number]> {
    if (part.length < MIN_INFIX) return [];
    let shortest: number[] | undefined;
    for (let i = 0; i + MIN_INFIX <= part.length; i++) {
      const list = this.byTrigram.get(part.slice(i, i + MIN_INFIX));
      if (!list) return [];
      if (!shortest || list.length < shortest.length) shortest = list;
    }
    const out: Array<[string, number]> = [];
    for (const at of shortest ?? []) {
      const word = this.words[at]!;
      if (word.length > part.length && !word.startsWith(part) && word.includes(part)) out.push([word, this.ids[at]!]);
    }
    return out;
  }
}
