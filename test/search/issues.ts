/** Hand-built issues for the search tests: plain data, no parser involved. */
import type { Issue, Item } from '../../src/issue/model.js';

/** An item with defaults for everything not given. */
export function item(fields: Partial<Item> & { title: string }): Item {
  return { url: null, source: null, tags: [], summary: '', links: [], image: null, ...fields };
}

/** An issue dated `date` (YYYY-MM-DD) whose id is the date without dashes. */
export function issue(date: string, sections: Array<{ title?: string; items: Item[] }>, title = `Issue ${date}`): Issue {
  return {
    id: date.replaceAll('-', ''),
    date,
    title,
    intro: '',
    sections: sections.map((s) => ({ title: s.title ?? '', items: s.items })),
    file: `AI简报${date.replaceAll('-', '')}.md`,
    problems: [],
  };
}
