/**
 * User-facing strings of the delivery area: schedule and time-zone errors, and the admin commands
 * (/subscribe, /unsubscribe, /schedule, /status, /broadcast) with what /start and /help say about a
 * chat's subscription. Templates hold `{name}` placeholders that the commands fill with separate
 * spans (`fillTemplate` in src/commands/reply.ts), so user input is never pasted into the text.
 */
import { defineCatalog } from './catalog.js';

const zh = {
  scheduleForms: [
    '• cron 表达式（5 个字段：分 时 日 月 星期），例如 "0 8 * * *"',
    '• daily HH:MM，例如 "daily 08:00"',
    '• weekly <星期> HH:MM，例如 "weekly mon 08:00" 或 "weekly 周一 08:00"（mon…sun、周一…周日、星期一…星期日）',
    '• off（不定时推送）',
  ].join('\n'),
  scheduleInvalid: (input: string, detail: string) => `无法识别的时间表 "${input}"：${detail}。可用的写法：`,
  timezoneInvalid: (input: string) =>
    `无法识别的时区 "${input}"。请使用 IANA 时区名，例如 Asia/Shanghai、Europe/Berlin、America/New_York 或 UTC。`,

  // Command descriptions (setMyCommands, Discord slash commands, /help): under 100 characters.
  'describe.subscribe': '订阅：按时间表把最新一期发到这个聊天',
  'describe.unsubscribe': '退订：不再向这个聊天推送',
  'describe.schedule': '设置推送时间，如 /schedule daily 08:00 Asia/Shanghai',
  'describe.status': '本聊天的订阅、下次推送和最近一次投递',
  'describe.broadcast': '（仅所有者）立即把一期推送给所有订阅者',
  'option.schedule': '时间表',
  'option.schedule.describe': 'cron、daily HH:MM、weekly <星期> HH:MM 或 off',
  'option.timezone': '时区',
  'option.timezone.describe': 'IANA 时区，如 Asia/Shanghai、Europe/Berlin、UTC',
  'option.issue': '日期',
  'option.issue.describe': '要推送的一期：20210814、2021-08-14 或 latest',

  // One line each, as bullets under a heading (the accepted forms, split for replies).
  'forms.cron': '• cron 表达式（5 个字段：分 时 日 月 星期），例如 {example}',
  'forms.daily': '• daily HH:MM，例如 {example}',
  'forms.weekly': '• weekly <星期> HH:MM，例如 {example}（mon…sun、周一…周日、星期一…星期日）',
  'forms.off': '• off：不定时推送（所有者的 /broadcast 仍会送达）',
  'forms.timezone': '时区可以跟在最后，例如 {example}；不写则用 {zone}。',

  'error.schedule': '无法识别的时间表 {input}：{detail}。可用的写法：',
  'error.schedule.empty': '时间表是空的',
  'error.schedule.time': '时间应为 00:00 到 23:59 之间，例如 08:00',
  'error.schedule.day': '星期应为 mon…sun 或 周一…周日',
  'error.schedule.cron': 'cron 表达式应有 5 个字段（分 时 日 月 星期），且每个字段取值有效',
  'error.timezone': '无法识别的时区 {input}。请使用 IANA 时区名，例如 Asia/Shanghai、Europe/Berlin、America/New_York 或 UTC。',
  'error.unavailable': '定时推送只能发到 Telegram 或 Discord 的聊天，这里（{platform}）收不到推送。随时发送 /latest 可以查看最新一期。',
  'error.ownerOnly': '只有机器人的所有者（OWNER_IDS 中列出的账号）可以使用 {command}。',

  'subscribe.created': '已订阅：这个聊天会按时间表收到最新的一期。',
  'subscribe.updated': '订阅已更新。',
  'subscribe.resumed': '订阅已恢复（之前因为 {reason} 而暂停）。',
  'subscribe.schedule': '时间表：{schedule}（{zone}）',
  'subscribe.off': '定时推送已关闭（这个聊天仍在订阅中，所有者的 /broadcast 仍会送达）。',
  'subscribe.nextRuns': '接下来三次推送（{zone}）：',
  'subscribe.run': '• {time}',

  'unsubscribe.done': '已退订：这个聊天不会再收到推送。',
  'unsubscribe.none': '这个聊天没有订阅，无需退订。',

  'schedule.usage': '用法：/schedule <时间表> [时区]。时间表可以写成：',

  'status.none': '这个聊天还没有订阅。管理员可以发送 /subscribe 订阅。',
  'status.subscription': '订阅：{schedule}（{zone}），{mode}，{language}；由 {by} 于 {at} 设置。',
  'status.paused': '已暂停：{reason}。管理员发送 /subscribe 即可恢复。',
  'status.next': '下次推送：{time}',
  'status.nextNone': '下次推送：无（定时推送已关闭）',
  'status.lastDelivery': '最近一次投递：第 {issue} 期，共 {count} 条消息：',
  'status.noDelivery': '还没有向这个聊天投递过任何一期。',
  'status.part': '• 第 {part}/{count} 条：',
  'status.failures': '最近的失败：',
  'status.failure': '• 第 {issue} 期第 {part}/{count} 条（{at}）：{error}',
  'status.unsent': '等待发送：{count} 条消息。',

  'state.sent': '已发送（{at}）',
  'state.pending': '等待发送',
  'state.retry': '等待重试（{at}，已尝试 {attempts} 次）：{error}',
  'state.sending': '发送中',
  'state.failed': '失败（尝试 {attempts} 次）：{error}',
  'state.skipped': '已跳过：{error}',

  'mode.full': '完整摘要',
  'mode.compact': '简洁列表',
  'language.zh': '中文',
  'language.en': '英文',
  'schedule.daily': '每天 {time}',
  'schedule.weekly': '每{day} {time}',
  'schedule.cron': 'cron {cron}',
  'schedule.off': '不定时推送',
  'day.0': '周日',
  'day.1': '周一',
  'day.2': '周二',
  'day.3': '周三',
  'day.4': '周四',
  'day.5': '周五',
  'day.6': '周六',

  'broadcast.usage': '用法：/broadcast <日期>，例如 /broadcast 20210814 或 /broadcast latest',
  'broadcast.notFound': '没有 {ref} 这一期。',
  'broadcast.queued': '已把第 {issue} 期排入推送：{chats} 个聊天，共 {parts} 条消息。',
  'broadcast.already': '{count} 个聊天已经有这一期，不会重复推送。',
  'broadcast.skipped': '{count} 个聊天所在的平台没有运行，已跳过。',

  'chat.subscribed': '这个聊天已订阅：{schedule}（{zone}），下次推送 {next}。',
  'chat.off': '这个聊天已订阅，但定时推送已关闭。',
  'chat.paused': '这个聊天的订阅已暂停：{reason}。管理员发送 /subscribe 即可恢复。',
  'chat.none': '这个聊天还没有订阅；管理员发送 /subscribe 后，每一期都会按时送到这里。',
};

const en: typeof zh = {
  scheduleForms: [
    '• a cron expression (5 fields: minute hour day month weekday), e.g. "0 8 * * *"',
    '• daily HH:MM, e.g. "daily 08:00"',
    '• weekly <day> HH:MM, e.g. "weekly mon 08:00" or "weekly 周一 08:00" (mon…sun, 周一…周日, 星期一…星期日)',
    '• off (no timed posts)',
  ].join('\n'),
  scheduleInvalid: (input: string, detail: string) => `Unrecognised schedule "${input}": ${detail}. Accepted forms:`,
  timezoneInvalid: (input: string) =>
    `Unknown time zone "${input}". Use an IANA name such as Asia/Shanghai, Europe/Berlin, America/New_York or UTC.`,

  'describe.subscribe': 'Subscribe this chat: the latest issue on a schedule',
  'describe.unsubscribe': 'Stop posting issues to this chat',
  'describe.schedule': 'Set when issues are posted, e.g. /schedule daily 08:00 Europe/Berlin',
  'describe.status': "This chat's subscription, next post and last delivery",
  'describe.broadcast': '(Owners only) Push an issue to every subscriber now',
  'option.schedule': 'schedule',
  'option.schedule.describe': 'cron, daily HH:MM, weekly <day> HH:MM or off',
  'option.timezone': 'timezone',
  'option.timezone.describe': 'An IANA time zone, e.g. Asia/Shanghai, Europe/Berlin, UTC',
  'option.issue': 'date',
  'option.issue.describe': 'The issue to push: 20210814, 2021-08-14 or latest',

  'forms.cron': '• a cron expression (5 fields: minute hour day month weekday), e.g. {example}',
  'forms.daily': '• daily HH:MM, e.g. {example}',
  'forms.weekly': '• weekly <day> HH:MM, e.g. {example} (mon…sun, 周一…周日, 星期一…星期日)',
  'forms.off': "• off: no timed posts (owners' /broadcast still arrives)",
  'forms.timezone': 'A time zone may follow, e.g. {example}; without one, {zone} is used.',

  'error.schedule': 'Unrecognised schedule {input}: {detail}. Accepted forms:',
  'error.schedule.empty': 'the schedule is empty',
  'error.schedule.time': 'the time must be from 00:00 to 23:59, e.g. 08:00',
  'error.schedule.day': 'the day must be mon…sun or 周一…周日',
  'error.schedule.cron': 'a cron expression has 5 valid fields (minute hour day month weekday)',
  'error.timezone': 'Unknown time zone {input}. Use an IANA name such as Asia/Shanghai, Europe/Berlin, America/New_York or UTC.',
  'error.unavailable': 'Timed posts go to Telegram and Discord chats; this chat ({platform}) cannot receive them. Send /latest any time to read the latest issue.',
  'error.ownerOnly': "Only the bot's owners (the accounts in OWNER_IDS) can use {command}.",

  'subscribe.created': 'Subscribed: this chat will get the latest issue on its schedule.',
  'subscribe.updated': 'Subscription updated.',
  'subscribe.resumed': 'Subscription resumed (it was paused: {reason}).',
  'subscribe.schedule': 'Schedule: {schedule} ({zone})',
  'subscribe.off': "Timed posts are off (the chat stays subscribed; owners' /broadcast still arrives).",
  'subscribe.nextRuns': 'The next three runs ({zone}):',
  'subscribe.run': '• {time}',

  'unsubscribe.done': 'Unsubscribed: this chat will get no more posts.',
  'unsubscribe.none': 'This chat has no subscription, so there is nothing to stop.',

  'schedule.usage': 'Usage: /schedule <schedule> [timezone]. A schedule can be:',

  'status.none': 'This chat is not subscribed. An admin can send /subscribe.',
  'status.subscription': 'Subscription: {schedule} ({zone}), {mode}, {language}; set by {by} on {at}.',
  'status.paused': 'Paused: {reason}. An admin can send /subscribe to resume it.',
  'status.next': 'Next post: {time}',
  'status.nextNone': 'Next post: none (timed posts are off)',
  'status.lastDelivery': 'Last delivery: issue {issue}, {count} message(s):',
  'status.noDelivery': 'No issue has been delivered to this chat yet.',
  'status.part': '• part {part}/{count}: ',
  'status.failures': 'Recent failures:',
  'status.failure': '• issue {issue} part {part}/{count} ({at}): {error}',
  'status.unsent': 'Waiting to be sent: {count} message(s).',

  'state.sent': 'sent ({at})',
  'state.pending': 'waiting',
  'state.retry': 'retrying ({at}, {attempts} attempt(s) so far): {error}',
  'state.sending': 'sending',
  'state.failed': 'failed after {attempts} attempt(s): {error}',
  'state.skipped': 'skipped: {error}',

  'mode.full': 'full digest',
  'mode.compact': 'compact list',
  'language.zh': 'Chinese',
  'language.en': 'English',
  'schedule.daily': 'daily at {time}',
  'schedule.weekly': 'every {day} at {time}',
  'schedule.cron': 'cron {cron}',
  'schedule.off': 'no timed posts',
  'day.0': 'Sunday',
  'day.1': 'Monday',
  'day.2': 'Tuesday',
  'day.3': 'Wednesday',
  'day.4': 'Thursday',
  'day.5': 'Friday',
  'day.6': 'Saturday',

  'broadcast.usage': 'Usage: /broadcast <date>, e.g. /broadcast 20210814 or /broadcast latest',
  'broadcast.notFound': 'There is no issue {ref}.',
  'broadcast.queued': 'Issue {issue} is queued for {chats} chat(s), {parts} message(s) in all.',
  'broadcast.already': '{count} chat(s) already have it and get nothing twice.',
  'broadcast.skipped': '{count} chat(s) were skipped: their platform is not running.',

  'chat.subscribed': 'This chat is subscribed: {schedule} ({zone}); next post {next}.',
  'chat.off': 'This chat is subscribed, but timed posts are off.',
  'chat.paused': "This chat's subscription is paused: {reason}. An admin can send /subscribe to resume it.",
  'chat.none': 'This chat is not subscribed; once an admin sends /subscribe, each issue arrives here on schedule.',
};

export const deliveryText = defineCatalog(zh, en);

/** A template key of the delivery catalog (the string-valued entries). */
export type DeliveryMessageKey = {
  [K in keyof typeof zh]: (typeof zh)[K] extends string ? K : never;
}[keyof typeof zh];
