/**
 * The 2026 daily style: colour-marker paragraphs in both variants, GitHub trending as a table,
 * paragraphs, a list or a header-less pipe table, the skipped insights and copy-paste footer.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { itemsOf } from '../../src/issue/model.js';
import { parseIssue } from '../../src/issue/parse.js';

const daily = (body: string) => parseIssue(`# 🤖 AI 早报 | 2026-06-01（周一）\n\n> 📌 **今日一句话**：一句话。\n\n---\n\n${body}`, 'AI简报20260601.md');
const one = (paragraph: string) => {
  const item = daily(`## 🔥 今日精选\n\n${paragraph}\n`).sections[0]?.items[0];
  return item && { title: item.title, url: item.url, source: item.source, summary: item.summary, links: item.links };
};

describe('2026 colour-marker items', () => {
  it('GIVEN "🔴 **[Source]** [Title](url) — summary" THEN source, title and url come from the bracket and the link', () => {
    expect(one('🔴 **[Google Developers Blog]** [Keynote](https://g.example/k) — Google 发布了新工具。')).toEqual({
      title: 'Keynote',
      url: 'https://g.example/k',
      source: 'Google Developers Blog',
      summary: 'Google 发布了新工具。',
      links: [],
    });
  });

  it('GIVEN "🔴 **The Decoder｜Title** — summary（[来源](url)）" THEN the source is The Decoder and the generic link is the url', () => {
    expect(one('🔴 **The Decoder｜OpenAI 降价 80%** — 7 月 30 日起降价。（[来源](https://the-decoder.example.com/x)）')).toEqual({
      title: 'OpenAI 降价 80%',
      url: 'https://the-decoder.example.com/x',
      source: 'The Decoder',
      summary: '7 月 30 日起降价。',
      links: [],
    });
  });

  it('GIVEN "🟡 **Entity** text — summary（[Source](url)）" THEN the title is entity plus text and the source is the link text', () => {
    expect(one('🟡 **美国**拟要求伙伴国「选边站」— 据路透社报道。（[The Decoder](https://the-decoder.example.com/us)）')).toEqual({
      title: '美国拟要求伙伴国「选边站」',
      url: 'https://the-decoder.example.com/us',
      source: 'The Decoder',
      summary: '据路透社报道。',
      links: [],
    });
  });

  it('GIVEN a bracketed source and a bold title THEN the bold text is the title and the trailing link the url', () => {
    expect(one('🔴/🟡 **[US / The Decoder]** **美国拟实施禁令** — 特朗普政府计划。（[The Decoder](https://the-decoder.example.com/ban)｜[HN](https://news.ycombinator.example.com/item?id=1)）')).toEqual({
      title: '美国拟实施禁令',
      url: 'https://the-decoder.example.com/ban',
      source: 'US / The Decoder',
      summary: '特朗普政府计划。',
      links: [{ label: 'HN', url: 'https://news.ycombinator.example.com/item?id=1' }],
    });
  });

  it('GIVEN "[Title](url)：summary" THEN the colon right after the link separates', () => {
    expect(one('🟡 **[36氪]** [谷歌CEO承认Coding落后了](https://36kr.example.com/p/1)：Sundar Pichai 承认差距。')).toMatchObject({ title: '谷歌CEO承认Coding落后了', summary: 'Sundar Pichai 承认差距。' });
  });

  it('GIVEN no separator at all THEN the first sentence is the title and the rest the summary', () => {
    expect(one('🟡 **OpenAI** Codex 开始加密子 Agent 指令。开发者无法追踪委派详情。（[来源](https://the-decoder.example.com/codex)；[来源](https://36kr.example.com/p/2)）')).toEqual({
      title: 'OpenAI Codex 开始加密子 Agent 指令',
      url: 'https://the-decoder.example.com/codex',
      source: null,
      summary: '开发者无法追踪委派详情。',
      links: [{ label: '链接', url: 'https://36kr.example.com/p/2' }],
    });
  });

  it('GIVEN a marker without a bold entity THEN the source is the trailing link text', () => {
    expect(one('🟡 研究显示 AI 提高作业成绩 — 《经济学人》报道。（[HN](https://news.ycombinator.example.com/item?id=9)）')).toMatchObject({ title: '研究显示 AI 提高作业成绩', source: 'HN' });
  });

  it('GIVEN colour paragraphs written as list entries THEN each entry is an item', () => {
    const issue = daily('## 🌍 国际动态\n\n- 🔴 **[The Decoder]** [A](https://the-decoder.example.com/a) — a.\n- 🟡 **[The Decoder]** [B](https://the-decoder.example.com/b) — b.\n');
    expect(itemsOf(issue).map(({ item }) => [item.title, item.source])).toEqual([
      ['A', 'The Decoder'],
      ['B', 'The Decoder'],
    ]);
  });
});

describe('2026 entity-first paragraphs whose entity is followed by a link or repeated (fixture shapes/AI简报20260815.md)', () => {
  const issue = parseIssue(readFileSync(resolve(import.meta.dirname, '../fixtures/issues/shapes/AI简报20260815.md')), 'AI简报20260815.md');
  const rows = (s: number) => issue.sections[s]?.items.map((i) => [i.title, i.source, i.url]);

  it('GIVEN "**Entity** [Title](url) — summary" THEN the title is the entity, a space and the link text, never the two run together', () => {
    expect(rows(0)).toEqual([
      // The link text starts with a part of the entity ("Qwen"): it names the item on its own.
      ['Qwen 3.8 开源模型发布，Apache 2.0 许可', null, 'https://the-decoder.example.com/qwen-3-8'],
      ['OpenAI / Cerebras GPT-5.6 Sol 推出 Ultrafast 模式', null, 'https://the-decoder.example.com/ultrafast'],
      ['Anthropic将推出水印检测 API', null, 'https://the-decoder.example.com/watermark'],
    ]);
    expect(issue.sections[0]?.items[0]?.summary).toBe('阿里 Qwen 团队发布 Qwen 3.8，一个 270 亿参数的密集模型。');
  });

  it('GIVEN an entity repeated by the sentence after it, or a "[Source] Title" bold THEN the entity is said once and the bracket is the source', () => {
    expect(rows(1)).toEqual([
      ['AMD 向 Anthropic 投资最高 50 亿美元，Anthropic 将部署 MI450 GPU', null, null],
      ['Google 宣布 9 月关闭 Google Assistant，Gemini 全面接替', 'The Decoder', 'https://the-decoder.example.com/assistant'],
      ['飞书 aily 全新升级，Agent 产品可主动跟进任务', null, null],
    ]);
    expect(issue.sections[1]?.items[0]?.summary).toBe('这是 AMD 的又一重大客户。');
  });
});

describe('2026 sources credited without a link (fixture shapes/AI简报20260815.md)', () => {
  const issue = parseIssue(readFileSync(resolve(import.meta.dirname, '../fixtures/issues/shapes/AI简报20260815.md')), 'AI简报20260815.md');
  const china = issue.sections.find((s) => s.title === '🇨🇳 中文圈')?.items ?? [];

  it('GIVEN "…。（The Decoder）" closing the paragraph THEN it is the source and leaves the summary', () => {
    expect(china.slice(0, 2).map((i) => [i.title, i.source, i.summary])).toEqual([
      ['硅谷开源分歧推迟白宫对华 AI 禁令', 'The Decoder', '据 NYT，特朗普政府内部讨论制裁。硅谷的分歧导致禁令被推迟。'],
      ['DeepSeek-V4-Flash 登顶全球调用量第一', '36氪/界面', '中国大模型周调用量连续十四周超过美国。'],
    ]);
  });

  it('GIVEN a parenthesis glued to a clause or inside a sentence THEN it stays text and names no source', () => {
    expect(china.slice(2).map((i) => [i.title, i.source])).toEqual([
      ['智谱 AI GLM-5.3 发布，号称最强开源编程模型（详见上方「今日精选」）', null],
      ['月之暗面 已完成 F 轮融资，原定 8 月开始的 G 轮（Pre-IPO 轮）已提前启动', null],
    ]);
  });
});

describe('2026 GitHub trending', () => {
  const expected = [
    ['openai/agents', 'https://github.example.com/openai/agents', 'Agent 框架'],
    ['x/y', 'https://github.example.com/x/y', '工具'],
  ];
  const titles = (md: string) => itemsOf(daily(`## ⭐ GitHub 今日趋势（AI）\n\n${md}`)).map(({ item }) => [item.title, item.url, item.summary]);

  it('GIVEN a table THEN each row is an item: repo name, repo url, description', () => {
    expect(titles('| 项目 | 说明 | ⭐ |\n|------|------|---|\n| [`openai/agents`](https://github.example.com/openai/agents) | Agent 框架 | 2,858 |\n| [`x/y`](https://github.example.com/x/y) | 工具 | 929 |\n')).toEqual(expected);
  });

  it('GIVEN paragraphs THEN each paragraph is an item', () => {
    expect(titles('[`openai/agents`](https://github.example.com/openai/agents) — Agent 框架\n\n[`x/y`](https://github.example.com/x/y) — 工具\n')).toEqual(expected);
  });

  it('GIVEN a list THEN each entry is an item', () => {
    expect(titles('- [`openai/agents`](https://github.example.com/openai/agents) — Agent 框架\n- [`x/y`](https://github.example.com/x/y) — 工具\n')).toEqual(expected);
  });

  it('GIVEN a table without its header rows THEN each pipe line is still an item', () => {
    expect(titles('| [`openai/agents`](https://github.example.com/openai/agents) | Agent 框架 |\n| [`x/y`](https://github.example.com/x/y) | 工具 |\n')).toEqual(expected);
  });
});

describe('2026 parts that are not news', () => {
  const issue = parseIssue(readFileSync(resolve(import.meta.dirname, '../fixtures/issues/sample/AI简报20260901.md')), 'AI简报20260901.md');

  it('GIVEN the invented 2026 sample issue THEN title, intro and sections are read and insights are skipped', () => {
    expect(issue.title).toBe('AI 早报 | 2026-09-01（周二）');
    expect(issue.intro.startsWith('📌 今日一句话：九月第一天')).toBe(true);
    expect(issue.sections.map((s) => [s.title, s.items.length])).toEqual([
      ['🔥 今日精选', 2],
      ['🌍 国际动态', 2],
      ['🇨🇳 中文圈', 2],
      ['⭐ GitHub 今日趋势（AI）', 2],
    ]);
  });

  it('GIVEN a copy-paste footer with a colour marker line THEN none of its lines become items', () => {
    expect(itemsOf(issue).map(({ item }) => item.title)).not.toContain('Gemini Nano 4 下沉中端机');
    expect(itemsOf(issue)).toHaveLength(8);
  });

  it('GIVEN the hand-written 2026 issue THEN both colour variants are read as written', () => {
    expect(issue.sections[0]?.items.map((i) => [i.title, i.source, i.url])).toEqual([
      ['Google brings Gemini Nano 4 to mid-range Android phones', 'The Decoder', 'https://the-decoder.example.com/google-brings-gemini-nano-4-to-mid-range-android-phones/'],
      ['公开 Claude Code 沙箱逃逸事件复盘', 'Anthropic', 'https://anthropic.example.com/news/claude-code-sandbox-incident-review'],
    ]);
    expect(issue.sections[2]?.items[1]).toMatchObject({ title: '百度 文心一言 App 上线"家庭助理"模式', source: '36氪', url: 'https://36kr.example.net/p/3960000000000001' });
  });
});
