/**
 * User-facing strings of the readers' choices: /sections (section filters), /follow, /following and
 * /unfollow (saved-search alerts), and the alert messages. `{name}` placeholders are filled with
 * separate spans (`fillTemplate`), so user input is never pasted into the text.
 */
import { defineCatalog } from './catalog.js';

const zh = {
  'describe.sections': '查看或设置本聊天接收哪些栏目',
  'describe.follow': '关注：新一期有匹配的条目时提醒本聊天',
  'describe.following': '本聊天关注的搜索',
  'describe.unfollow': '取消一个关注：/unfollow <序号|词>',
  'option.sections': '设置',
  'option.sections.describe': 'only <栏目>、skip <栏目> 或 all',
  'option.words': '词',
  'option.words.describe': '和 /search 相同的写法，如 nerf',
  'option.which': '序号或词',
  'option.which.describe': '/following 列出的序号，或关注的词',

  'sections.known': '近期各期的栏目：{list}',
  'sections.none': '近期各期还没有栏目。',
  'sections.all': '本聊天接收全部栏目。',
  'sections.only': '本聊天只接收：{names}。',
  'sections.skip': '本聊天不接收：{names}。',
  'sections.saved': '已保存。',
  'sections.usage': '管理员可以设置：/sections only <栏目>、/sections skip <栏目>、/sections all（多个栏目用逗号分隔，可写开头几个字）。',
  'sections.unknown': '没有名为 {name} 的栏目。近期各期的栏目：{list}',
  'sections.ambiguous': '{name} 可以指多个栏目：{list}。请多写几个字。',
  'sections.filteredOut': '本聊天的栏目设置滤掉了这一期的全部条目',

  'follow.usage': '用法：/follow <词>，例如 /follow nerf。新一期中与 /search 同样规则匹配的条目会提醒本聊天一次。',
  'follow.saved': '已关注 {query}：新一期有匹配的条目时会提醒本聊天（已用 {count}/{limit}）。',
  'follow.exists': '本聊天已经关注了 {query}。',
  'follow.cap': '本聊天已有 {limit} 个关注，达到上限。请先用 /unfollow <序号> 取消一个。',
  'follow.tooLong': '关注的词太长（最多 {limit} 个字符）。',
  'following.none': '本聊天还没有关注。/follow <词> 可以添加一个。',
  'following.heading': '本聊天的关注（{count}/{limit}）：',
  'following.item': '{n}. {query}',
  'following.hint': '/unfollow <序号> 可以取消一个。',
  'unfollow.usage': '用法：/unfollow <序号|词>，序号见 /following。',
  'unfollow.done': '已取消关注 {query}。',
  'unfollow.notFound': '没有这个关注：{ref}。/following 列出全部。',

  'alert.title': '🔔 关注提醒：{query}',
  'alert.intro': '{issue} 中有与你的关注匹配的条目',
  'broadcast.filtered': '{count} 个聊天的栏目设置滤掉了这一期的全部条目，已记为跳过。',
};

const en: typeof zh = {
  'describe.sections': 'See or set which sections this chat receives',
  'describe.follow': 'Follow a search: alert this chat when a new issue matches',
  'describe.following': "This chat's saved searches",
  'describe.unfollow': 'Remove a saved search: /unfollow <n|words>',
  'option.sections': 'setting',
  'option.sections.describe': 'only <sections>, skip <sections> or all',
  'option.words': 'words',
  'option.words.describe': 'Written as for /search, e.g. nerf',
  'option.which': 'n or words',
  'option.which.describe': 'The number /following shows, or the words',

  'sections.known': 'Sections of recent issues: {list}',
  'sections.none': 'Recent issues have no sections yet.',
  'sections.all': 'This chat receives every section.',
  'sections.only': 'This chat receives only: {names}.',
  'sections.skip': 'This chat skips: {names}.',
  'sections.saved': 'Saved.',
  'sections.usage': 'Admins set it: /sections only <names>, /sections skip <names>, /sections all (commas between names; the start of a name is enough).',
  'sections.unknown': 'No section is called {name}. Sections of recent issues: {list}',
  'sections.ambiguous': '{name} could be several sections: {list}. Type more of the name.',
  'sections.filteredOut': "this chat's section filter left no item of this issue",

  'follow.usage': 'Usage: /follow <words>, e.g. /follow nerf. Items of new issues that match, by the same rules as /search, alert this chat once.',
  'follow.saved': 'Following {query}: this chat is alerted when a new issue has a matching item ({count}/{limit} used).',
  'follow.exists': 'This chat already follows {query}.',
  'follow.cap': 'This chat already has {limit} saved searches, the most it may have. Remove one with /unfollow <n> first.',
  'follow.tooLong': 'Those words are too long (at most {limit} characters).',
  'following.none': 'This chat has no saved searches. /follow <words> adds one.',
  'following.heading': 'Saved searches of this chat ({count}/{limit}):',
  'following.item': '{n}. {query}',
  'following.hint': '/unfollow <n> removes one.',
  'unfollow.usage': 'Usage: /unfollow <n|words>; /following shows the numbers.',
  'unfollow.done': 'No longer following {query}.',
  'unfollow.notFound': 'No saved search {ref}. /following lists them.',

  'alert.title': '🔔 Saved search: {query}',
  'alert.intro': 'Items of {issue} match your saved search',
  'broadcast.filtered': "{count} chat(s) filter out every section of this issue; it is recorded as skipped for them.",
};

export const readersText = defineCatalog(zh, en);

export type ReadersMessageKey = keyof typeof zh;
