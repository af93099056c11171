/**
 * One real issue of each house style, checked by hand against the archive file
 * (../shared/corpus or NEWSBOT_CORPUS; skipped visibly when absent).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { itemsOf } from '../../src/issue/model.js';
import { parseIssue } from '../../src/issue/parse.js';
import { describeCorpus } from '../support/corpus.js';

describeCorpus('hand-checked archive issues', (dir) => {
  const read = (rel: string) => parseIssue(readFileSync(join(dir, rel)), rel);

  it('GIVEN 2020 "AI 简报20201030.md" (# AI / # Other, ## N. [title](url)) THEN sections, items and links match the file', () => {
    const issue = read('2020/AI 简报20201030.md');
    expect(issue.id).toBe('20201030'); // the text says 20201023; the file name wins
    expect(issue.sections.map((s) => [s.title, s.items.length])).toEqual([
      ['AI', 10],
      ['Other', 5],
    ]);
    const ai = issue.sections[0]?.items ?? [];
    expect(ai[1]?.title).toBe('我用“丧尸生成器”给爱豆们换了妆，效果太鬼畜！');
    expect(ai[1]?.links).toEqual([{ label: '网站', url: 'https://makemeazombie.com/' }]);
    expect(ai[5]?.links).toEqual([
      { label: 'GitHub', url: 'https://github.com/open-mmlab' },
      { label: '原文', url: 'https://zhuanlan.zhihu.com/p/74597564' },
    ]);
    // "## 10. Determined AI：…" has no link: its blockquote's "> 原文链接：https://…" becomes its url
    // (and leaves its links); the GitHub line after it stays a secondary link.
    expect(ai[9]?.title).toBe('Determined AI：用免费的「分布式深度学习系统」加速NLP训练');
    expect(ai[9]?.url).toBe('https://zhuanlan.zhihu.com/p/269364479');
    expect(ai[9]?.links[0]).toEqual({ label: 'GitHub', url: 'https://github.com/determined-ai/determined' });
    expect(ai[9]?.links.map((l) => l.url)).not.toContain('https://zhuanlan.zhihu.com/p/269364479');
    // <img src=… style="zoom:67%;"> is the first item's image.
    expect(ai[0]?.image).toBe('https://gitee.com/lebhoryi/PicGoPictureBed/raw/master/img/20201030113127.png');
    expect(issue.sections[1]?.items[1]?.title).toBe('AMD 官宣 350 亿美元收购赛灵思');
  });

  it('GIVEN 2021 "AI简报20211104.md" (ordered lists with nested link lists, a paper table) THEN entries are items with their links', () => {
    const issue = read('2021/AI简报20211104.md');
    expect(issue.sections.map((s) => [s.title, s.items.length])).toEqual([
      ['项目实战', 2],
      ['轻量级', 5],
      ['冠军方案', 4],
      ['Transformer相关', 11],
      ['其他', 6],
    ]);
    const picodet = issue.sections[1]?.items[0];
    expect(picodet?.title).toBe('百度：YOLOX和NanoDet都没我优秀！轻量型实时目标检测模型PP-PicoDet开源');
    expect(picodet?.links).toEqual([
      { label: '论文', url: 'https://arxiv.org/abs/2111.00902v1' },
      { label: '项目', url: 'https://github.com/PaddlePaddle/PaddleDetection/tree/release/2.3/ppdet' },
    ]);
    expect(issue.sections[1]?.items[2]?.tags).toEqual(['Transformer+SR']);
    expect(issue.sections[2]?.items[0]?.source).toBe('我爱计算机视觉');
    const gait = issue.sections[4]?.items[0];
    expect([gait?.title, gait?.source, gait?.url]).toEqual(['OpenGait：首个步态识别框架开源了！', '于仕琪', null]);
  });

  it('GIVEN 2021 "AI简报20210409.md" (eight h1 items, then "---" and a list of links) THEN the links are items of their own, not item 8\'s links', () => {
    const issue = read('2021/AI简报20210409.md');
    expect(issue.sections.map((s) => [s.title, s.items.length])).toEqual([
      ['', 8],
      ['', 7],
    ]);
    const eight = issue.sections[0]?.items[7];
    expect([eight?.title, eight?.source, eight?.links]).toEqual([
      '两万字总结《C++ Primer》要点',
      'Jacen的技术笔记',
      [{ label: '原文', url: 'https://zhuanlan.zhihu.com/p/343271809' }],
    ]);
    const after = issue.sections[1]?.items ?? [];
    expect(after[3]?.title).toBe('消费级GPU、速度提升3000倍，微软FastNeRF首次实现200FPS高保真神经渲染');
    expect([after[6]?.title, after[6]?.source]).toEqual(['使用这个技术，ResNet-50最高可以获得16%的加速！', 'CVer']);
  });

  it('GIVEN 2026 "AI简报20260521.md" (colour paragraphs, trending paragraphs, insights, footer) THEN items match the file', () => {
    const issue = read('2026/AI简报20260521.md');
    expect(issue.title).toBe('AI 早报 | 2026-05-21（周四）');
    expect(issue.intro).toBe('📌 今日一句话：Google I/O 2026 把开发者工具继续推向 agent-first，OpenAI 则用数学证明与内容溯源两条线展示模型能力和生成内容治理。');
    expect(issue.sections.map((s) => [s.title, s.items.length])).toEqual([
      ['🔥 今日精选', 3],
      ['🌍 国际动态', 5],
      ['🇨🇳 中文圈', 4],
      ['⭐ GitHub 今日趋势（AI）', 3],
    ]);
    const [keynote, , qwen] = issue.sections[0]?.items ?? [];
    expect([keynote?.title, keynote?.source, keynote?.url]).toEqual([
      'Google I/O 2026 Developer keynote',
      'Google Developers Blog',
      'https://developers.googleblog.com/en/all-the-news-from-the-google-io-2026-developer-keynote/',
    ]);
    expect(keynote?.summary.startsWith('Google 在 I/O 2026 开发者主题演讲中推出 Gemini 3.5 系列')).toBe(true);
    expect(qwen?.source).toBe('量子位 / 网易订阅');
    const trending = issue.sections[3]?.items[0];
    expect([trending?.title, trending?.url, trending?.summary]).toEqual([
      'openai/openai-agents-python',
      'https://github.com/openai/openai-agents-python',
      'OpenAI 官方轻量 agent 框架，支持多 agent、工具、guardrails 与 human-in-the-loop。⭐约 26.5k',
    ]);
    expect(itemsOf(issue).some(({ item }) => item.title.includes('Antigravity 2.0') && item.url === null)).toBe(false);
  });

  it('GIVEN 2026 "AI简报20260815.md" ("**Entity** [Title](url) — …") THEN entity and link text are spaced, never run together', () => {
    const picks = read('2026/AI简报20260815.md').sections[0]?.items.map((i) => i.title);
    expect(picks).toEqual([
      'OpenAI / Cerebras GPT-5.6 Sol 推出 Ultrafast 模式，推理速度提升 14 倍',
      'Qwen 3.8 开源模型发布，Apache 2.0 许可',
      '智谱 / Zhipu AI GLM-5.3 发布，号称最强开源编程模型',
    ]);
  });

  it('GIVEN 2026 "AI简报20260822.md" (entity-first paragraphs, trending table) THEN the source is the trailing link text', () => {
    const issue = read('2026/AI简报20260822.md');
    const first = issue.sections[0]?.items[0];
    expect([first?.title, first?.source, first?.url]).toEqual([
      'DeepSeek 发布实验性多模态模型 V4-Flash-Vision-Exp，在 Agent 基准测试中接近并有时超越 Opus 4.8',
      'The Decoder',
      'https://the-decoder.com/deepseek-releases-experimental-flash-vision-model-that-rivals-opus-4-8-on-agent-benchmarks/',
    ]);
    const study = issue.sections[1]?.items.find((i) => i.title.startsWith('研究显示'));
    expect([study?.source, study?.url]).toEqual(['HN', 'https://news.ycombinator.com/item?id=49394496']);
    expect(issue.sections[3]?.items.map((i) => i.title)).toEqual([
      'yetone/cumora',
      'CopilotKit/OpenBot',
      'wang2122/sprix-sage-router',
      'Leutenegger/watermarks-remover',
      'fufankeji/deepseek-harness-studio',
    ]);
  });
});
