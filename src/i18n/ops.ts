/** What owner alerts say (direct messages to OWNER_IDS), zh and en. Plain text: no markup. */
import { defineCatalog } from './catalog.js';

const zh = {
  heading: (count: number) => `newsbot 运行提醒（${count} 条）`,
  paused: (count: number) => `⏸ 已暂停的订阅（${count}）：机器人被屏蔽、移出或无权发送`,
  failed: (count: number) => `⚠ 最终发送失败（${count}）：已达重试上限或被拒绝`,
  problems: (count: number) => `📄 新的期刊文件有问题（${count}）`,
  late: (issueId: string, count: number) => `⏰ 第 ${issueId} 期在计划推送一小时后仍未送达 ${count} 个聊天`,
  part: (issueId: string, parts: string) => `第 ${issueId} 期，第 ${parts} 条`,
  more: (count: number) => `……另有 ${count} 项`,
  footer: '详情见状态页 /status 或 `newsbot deliveries`。',
};

const en: typeof zh = {
  heading: (count: number) => `newsbot alerts (${count})`,
  paused: (count: number) => `⏸ Subscriptions paused (${count}): the bot was blocked, removed or may not post`,
  failed: (count: number) => `⚠ Parts failed for good (${count}): MAX_ATTEMPTS reached or refused`,
  problems: (count: number) => `📄 New issue files with problems (${count})`,
  late: (issueId: string, count: number) => `⏰ Issue ${issueId} has not reached ${count} chats an hour after its scheduled run`,
  part: (issueId: string, parts: string) => `issue ${issueId}, part ${parts}`,
  more: (count: number) => `…and ${count} more`,
  footer: 'Details: the status page (/status) or `newsbot deliveries`.',
};

export const opsText = defineCatalog(zh, en);
