import { describe, expect, it } from 'vitest';
import { issueChoices, isIssueOption } from '../../../adapters/discord/autocomplete.js';
import type { LibraryPort } from '../../../src/commands/module.js';
import { BUILTIN_COMMANDS } from '../../../src/commands/router.js';
import type { Issue } from '../../../src/issue/model.js';

const issue = (id: string, title: string): Issue => ({
  id,
  date: `${id.slice(0, 4)}-${id.slice(4, 6)}-${id.slice(6)}`,
  title,
  intro: '',
  sections: [],
  file: `AI简报${id}.md`,
  problems: [],
});

/** Oldest first, as IssueLibrary.list() returns them. */
const ISSUES = [issue('20201030', 'AI 简报 Vision Transformer'), issue('20210814', 'AI简报：NeRF 与扩散模型'), issue('20210820', 'Diffusion weekly'), issue('20260814', '🤖 AI 早报 ' + '很长的标题'.repeat(40))];
const source: LibraryPort = { latest: () => ISSUES.at(-1) ?? null, get: () => null, list: () => [...ISSUES] };
const values = (typed: string) => issueChoices(source, typed).map((c) => c.value);

describe('issueChoices', () => {
  it.each([
    ['2021', ['20210820', '20210814']],
    ['2021-08', ['20210820', '20210814']],
    ['2021/8', ['20210820', '20210814']],
    ['8/14', ['20260814', '20210814']],
    ['0814', ['20260814', '20210814']],
    ['20201030', ['20201030']],
    ['nerf', ['20210814']],
    ['DIFFUSION', ['20210820']],
    ['', ['20260814', '20210820', '20210814', '20201030']],
    ['nothing like it', []],
  ])('GIVEN %j typed THEN it offers %j', (typed, expected) => {
    expect(values(typed)).toEqual(expected);
  });

  it('GIVEN a title longer than Discord allows THEN the choice name is cut to 100 characters and starts with the date', () => {
    const [long] = issueChoices(source, '很长');
    expect(long?.name.length).toBeLessThanOrEqual(100);
    expect(long?.name.startsWith('2026-08-14 · ')).toBe(true);
  });

  it('GIVEN a limit THEN no more choices than that are offered', () => {
    expect(issueChoices(source, '', 2)).toHaveLength(2);
  });
});

describe('isIssueOption', () => {
  it('GIVEN the built-in commands THEN only /issue date is autocompleted with issues', () => {
    const completed = BUILTIN_COMMANDS.flatMap((m) => m.info.options.filter((o) => isIssueOption(m.info, o)).map((o) => `${m.info.name} ${o.name}`));
    expect(completed).toEqual(['issue date']);
  });
});
