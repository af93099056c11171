/**
 * Every user-facing string of the chat commands, zh and en.
 * Templates may hold `{name}` placeholders: the handlers fill them with spans
 * (see `fillTemplate` in src/commands/reply.ts), so whatever a user typed stays a plain-text span
 * that the renderers escape, and is never pasted into markup.
 */
import { defineCatalog } from './catalog.js';

const zh = {
  // Command descriptions (setMyCommands, Discord slash commands, /help). Keep them under 100 characters.
  'describe.start': '开始使用：这个机器人能做什么',
  'describe.help': '帮助：全部命令与用法',
  'describe.latest': '最新一期简报',
  'describe.issue': '按日期查看一期，如 /issue 20210814',
  'describe.issues': '往期列表（最新在前）',
  'describe.search': '搜索往期内容，如 /search nerf',

  'help.intro': '你好！我会把 AI 简报每一期的条目摘要和链接发到这里，也可以随时查阅和搜索往期。',
  'help.commands': '可用命令：',
  'help.adminCommands': '群管理员可用：',
  'help.forms': '日期可写作 20210814、2021-08-14、2021/8/14，或只写 0814（最近一年的那一期）。',

  'apology': '抱歉，处理这条命令时出了问题。请稍后再试。',
  'unknown': '没有 {command} 这个命令。发送 /help 查看可用命令。',
  'notCommand': '请以 / 开头输入命令，例如 /latest。发送 /help 查看全部命令。',
  'tooLong': '输入太长了（最多 {limit} 个字符）。',
  'extraArgs': '{command} 不需要这些参数：{args}。用法：{usage}',
  'adminOnly': '只有群管理员可以使用 {command}。',

  'empty.archive': '简报库里还没有任何一期。新的一期发布后，发送 /latest 即可查看。',

  'latest.usage': '/latest [full|compact]',

  'issue.usage': '/issue <日期> [条目号]，例如 /issue 20210814、/issue 2021-08-14、/issue 0814',
  'issue.badRef': '{ref} 不像是一期的日期。可用的写法：20210814、2021-08-14、2021/8/14 或 0814。',
  'issue.notFound': '没有 {ref} 这一期。',
  'issue.nearest': '最接近的几期：',
  'issue.badItem': '{item} 不是有效的条目号：这一期共有 {count} 条，请输入 1 到 {count}。',

  'issues.usage': '/issues [页码]，例如 /issues 2',
  'issues.badPage': '{page} 不是有效的页码，请输入正整数，例如 /issues 2。',

  'search.usage': '用法：/search <关键词> [页码]，例如 /search nerf 或 /search ICCV 2021。末尾的数字先当作关键词，搜不到时才当作页码。',
  'search.tooLong': '关键词太长了：最多 {limit} 个字符，请缩短后再试。',
  'search.noHits': '没有找到与 {query} 相关的条目。',
  'search.suggest': '试试这些词：',
  'search.latest': '最新一期是 {date} 的《{title}》，发送 /latest 查看。',
  'search.indexing': '索引仍在建立：已载入 {loaded}/{total} 期，较早的期数稍后可搜。',

  'page.expired': '这个按钮已过期，请重新发送命令。',
  'page.notOnMessage': '这条消息上没有这个按钮，未做任何更改。',

  // Argument placeholders and descriptions (help text, Discord slash options).
  'option.date': '日期',
  'option.date.describe': '一期的日期：20210814、2021-08-14 或 0814',
  'option.item': '条目号',
  'option.item.describe': '这一期中的第几条',
  'option.page': '页码',
  'option.page.describe': '第几页',
  'option.query': '关键词',
  'option.query.describe': '要搜索的词，如 nerf',
  'option.mode': 'full|compact',
  'option.mode.describe': 'full：摘要和链接；compact：只有标题和链接',
};

const en: typeof zh = {
  'describe.start': 'What this bot does',
  'describe.help': 'All commands and how to use them',
  'describe.latest': 'The latest issue',
  'describe.issue': 'One issue by date, e.g. /issue 20210814',
  'describe.issues': 'The archive, newest first',
  'describe.search': 'Search past issues, e.g. /search nerf',

  'help.intro': 'Hi! I post each issue of the AI newsletter here — item summaries with their links — and let you browse and search past issues.',
  'help.commands': 'Commands:',
  'help.adminCommands': 'For chat admins:',
  'help.forms': 'Dates can be written 20210814, 2021-08-14, 2021/8/14, or just 0814 (the most recent year with that day).',

  'apology': 'Sorry, something went wrong while handling that command. Please try again later.',
  'unknown': 'There is no {command} command. Send /help to see the commands.',
  'notCommand': 'Commands start with /, e.g. /latest. Send /help to see them all.',
  'tooLong': 'That is too long (at most {limit} characters).',
  'extraArgs': '{command} does not take these arguments: {args}. Usage: {usage}',
  'adminOnly': 'Only chat admins can use {command}.',

  'empty.archive': 'The archive has no issues yet. Once one is published, send /latest to read it.',

  'latest.usage': '/latest [full|compact]',

  'issue.usage': '/issue <date> [item], e.g. /issue 20210814, /issue 2021-08-14, /issue 0814',
  'issue.badRef': '{ref} does not look like an issue date. Accepted forms: 20210814, 2021-08-14, 2021/8/14 or 0814.',
  'issue.notFound': 'There is no issue {ref}.',
  'issue.nearest': 'The nearest issues:',
  'issue.badItem': '{item} is not an item number: this issue has {count} items, so use 1 to {count}.',

  'issues.usage': '/issues [page], e.g. /issues 2',
  'issues.badPage': '{page} is not a page number; use a positive whole number, e.g. /issues 2.',

  'search.usage': 'Usage: /search <words> [page], e.g. /search nerf or /search ICCV 2021. A number at the end is searched for first, and read as the page only when that finds nothing.',
  'search.tooLong': 'That query is too long: at most {limit} characters. Please shorten it.',
  'search.noHits': 'Nothing matches {query}.',
  'search.suggest': 'Try:',
  'search.latest': 'The latest issue is “{title}” of {date}; send /latest to read it.',
  'search.indexing': 'Still indexing: {loaded} of {total} issues loaded so far; older issues become searchable shortly.',

  'page.expired': 'This button has expired; please send the command again.',
  'page.notOnMessage': 'That button is not on this message; nothing was changed.',

  'option.date': 'date',
  'option.date.describe': 'The issue date: 20210814, 2021-08-14 or 0814',
  'option.item': 'item',
  'option.item.describe': 'Which item of the issue',
  'option.page': 'page',
  'option.page.describe': 'Which page',
  'option.query': 'words',
  'option.query.describe': 'What to search for, e.g. nerf',
  'option.mode': 'full|compact',
  'option.mode.describe': 'full: summaries and links; compact: titles with links',
};

/** The commands' strings. */
export const commandMessages = defineCatalog(zh, en);

/** A key of the commands' catalog. */
export type CommandMessageKey = keyof typeof zh;
