/**
 * The status page as server-rendered HTML: readable on a phone (one column, tables that scroll
 * sideways), no JavaScript. Everything that comes from issues, chats or platforms goes through
 * `esc`, so a hostile issue title or error text is shown, never run.
 */
import type { ChatDelivery } from '../../src/store/index.js';
import type { MetricsSummary } from '../../src/ops/metrics.js';
import type { InstancesView, StatusView, SubscriptionRow } from '../../src/ops/status.js';

/** HTML-escapes text for element content and quoted attributes. */
export function esc(text: string | number | null | undefined): string {
  return String(text ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

const STYLE = `
body{font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","PingFang SC",sans-serif;margin:0;padding:12px;color:#1b1f24;background:#f6f7f9}
main{max-width:960px;margin:0 auto}
h1{font-size:1.4em;margin:.2em 0}h2{font-size:1.15em;margin:1.4em 0 .4em}h3{font-size:1em;margin:1em 0 .3em}
.badge{display:inline-block;padding:.1em .6em;border-radius:1em;font-weight:600}
.ok{background:#d7f5dd;color:#0b5b1d}.bad{background:#fde2e1;color:#8a1010}.warn{background:#fff1c9;color:#6b4b00}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch;background:#fff;border:1px solid #dde1e6;border-radius:8px}
table{border-collapse:collapse;width:100%;font-size:.92em}th,td{text-align:left;padding:.45em .6em;border-bottom:1px solid #eceff3;vertical-align:top}
th{background:#f0f2f5;white-space:nowrap}td.num{text-align:right;white-space:nowrap}
tr.has-detail td{border-bottom:0;padding-bottom:.1em}tr.detail td{padding-top:0;font-size:.92em}
ul.facts{background:#fff;border:1px solid #dde1e6;border-radius:8px;padding:.6em 1.4em;margin:0}
.muted{color:#5b6470}.err{color:#8a1010;word-break:break-word}
`;

/** The whole page. */
export function renderStatusPage(view: StatusView): string {
  const ready = view.readiness.ready;
  return [
    '<!doctype html><html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="robots" content="noindex">',
    `<title>newsbot status</title><style>${STYLE}</style></head><body><main>`,
    `<h1>newsbot status <span class="badge ${ready ? 'ok' : 'bad'}">${ready ? 'ready' : 'not ready'}</span></h1>`,
    `<p class="muted">As of ${esc(utc(view.generatedAt))}.${ready ? '' : ` Not ready: ${esc(view.readiness.reasons.join('; '))}.`}</p>`,
    '<h2>At a glance</h2>',
    facts(view.metrics, view.generatedAt),
    deliveries(view),
    instances(view.instances),
    subscriptions(view),
    issues(view),
    '</main></body></html>',
  ].join('\n');
}

function facts(m: MetricsSummary, now: number): string {
  const lines = [
    `${m.issuesLoaded} issues loaded, ${m.issueProblems === 0 ? 'no problems in the issue files' : `<strong>${m.issueProblems} problems</strong> in the issue files`}.`,
    `${m.partsSent} parts sent, <strong>${m.partsFailed}</strong> failed for good, ${m.partsRetried} retried (since start).`,
    `${m.outboxDepth === 0 ? 'Nothing waiting in the outbox' : `${m.outboxDepth} parts waiting in the outbox, the oldest for ${duration(m.oldestPendingSeconds)}`}.`,
    `${m.pausedSubscriptions === 0 ? 'No paused subscriptions' : `<strong>${m.pausedSubscriptions} paused subscriptions</strong>`}.`,
    `${m.rateLimitWaits} rate-limit waits (429), ${duration(m.rateLimitSeconds)} in all.`,
    `${m.commands} commands answered.`,
    m.lastScheduledRun === null ? 'No scheduled run since start.' : `Last scheduled run: ${esc(utc(m.lastScheduledRun))} (${duration((now - m.lastScheduledRun) / 1000)} ago).`,
  ];
  return `<ul class="facts">${lines.map((l) => `<li>${l}</li>`).join('')}</ul>`;
}

/** A role in words: "telegram:polling" reads "telegram polling" (any platform's role, no list to keep). */
function roleName(role: string): string {
  return role.replace(/:/g, ' ');
}

function instances(view: InstancesView | null): string {
  if (view === null) return '';
  if (!view.shared) return '<h2>Instances</h2><p>One instance (SQLite): it holds every role.</p>';
  const out = [`<h2>Instances <span class="muted">(${view.members.length})</span></h2>`, `<p>This is <code>${esc(view.self)}</code>.</p>`];
  const roleNames = (roles: string[]) => (roles.length === 0 ? '<span class="muted">standing by</span>' : roles.map((r) => esc(roleName(r))).join(', '));
  out.push(
    table(
      ['Instance', 'Roles', 'Seen'],
      view.members.map((m) => ({
        cells: `<td>${esc(m.instance)}${m.instance === view.self ? ' <span class="badge ok">this one</span>' : ''}</td><td>${roleNames(m.roles)}</td><td>${duration(m.seenAgoMs / 1000)} ago</td>`,
        detail: null,
      })),
      '',
    ),
  );
  out.push(`<h3>Chat leases <span class="muted">(${view.leases.length === 0 ? 'none held' : view.moreLeases ? `the oldest ${view.leases.length}` : view.leases.length})</span></h3>`);
  out.push(
    table(
      ['Chat', 'Owner', 'Held for', 'Expires in'],
      view.leases.map((l) => ({ cells: `<td>${esc(l.platform)} ${esc(l.chatId)}</td><td>${esc(l.owner)}</td><td>${duration(l.heldMs / 1000)}</td><td>${duration(l.expiresInMs / 1000)}</td>`, detail: null })),
      view.moreLeases ? `<p class="muted">Showing the oldest ${view.leases.length}; more are held.</p>` : '',
    ),
  );
  return out.join('\n');
}

function deliveries(view: StatusView): string {
  const out = ['<h2>Delivery of the last issues</h2>'];
  if (view.deliveries.length === 0) out.push('<p class="muted">Nothing delivered yet.</p>');
  for (const d of view.deliveries) {
    const sent = d.chats.filter((c) => c.unsent === 0 && c.failed + c.skipped === 0).length;
    out.push(`<h3>Issue ${esc(d.issueId)} <span class="muted">(${sent} of ${d.total} chats complete)</span></h3>`);
    out.push(table(['Chat', 'State', 'Sent', 'Pending', 'Failed'], d.chats.map(deliveryRow), cut(d.chats.length, d.total)));
  }
  return out.join('\n');
}

function deliveryRow(c: ChatDelivery): Row {
  const state = c.failed + c.skipped > 0 ? '<span class="badge bad">failed</span>' : c.unsent > 0 ? '<span class="badge warn">pending</span>' : '<span class="badge ok">sent</span>';
  return {
    cells: `<td>${esc(c.platform)} ${esc(c.chatId)}</td><td>${state}</td><td class="num">${c.sent}</td><td class="num">${c.unsent}</td><td class="num">${c.failed + c.skipped}</td>`,
    detail: c.error ? `<span class="err">${esc(c.error)}</span>` : null,
  };
}

function subscriptions(view: StatusView): string {
  const { rows, total } = view.subscriptions;
  if (total === 0) return '<h2>Subscriptions</h2><p class="muted">No subscriptions yet.</p>';
  return `<h2>Subscriptions <span class="muted">(${total})</span></h2>\n${table(['Chat', 'State', 'Schedule', 'Time zone', 'Next run'], rows.map(subscriptionRow), cut(rows.length, total))}`;
}

function subscriptionRow(s: SubscriptionRow): Row {
  const chat = `${s.platform} ${s.chatId}${s.threadId ? ` / ${s.threadId}` : ''}`;
  const state = s.paused ? '<span class="badge bad">paused</span>' : '<span class="badge ok">active</span>';
  const next = s.nextRun === null ? '—' : zoned(s.nextRun, s.timezone);
  return {
    cells: `<td>${esc(chat)}</td><td>${state}</td><td>${esc(s.schedule ?? 'off')}</td><td>${esc(s.timezone)}</td><td>${esc(next)}</td>`,
    detail: s.paused ? `<span class="err">${esc(s.pausedReason ?? '')}</span>` : null,
  };
}

function issues(view: StatusView): string {
  const out = [`<h2>Issues <span class="muted">(${view.issues.total})</span></h2>`];
  out.push(
    table(
      ['Issue', 'Title', 'Items'],
      view.issues.rows.map((i) => ({
        cells: `<td>${esc(i.id)}</td><td>${esc(i.title)}<br><span class="muted">${esc(i.file)}</span></td><td class="num">${i.items}</td>`,
        detail: i.problems.length === 0 ? null : `<span class="err">${esc(i.problems.join('; '))}</span>`,
      })),
      cut(view.issues.rows.length, view.issues.total),
    ),
  );
  if (view.unserved.length > 0) {
    out.push('<h3>Files not served</h3>');
    out.push(table(['File', 'Problem'], view.unserved.map((p) => ({ cells: `<td>${esc(p.file)}${p.line !== undefined ? `:${p.line}` : ''}</td><td class="err">${esc(p.message)}</td>`, detail: null })), ''));
  }
  return out.join('\n');
}

/** A table row, and what it says in words below it (an error, a reason) across the full width. */
interface Row {
  cells: string;
  detail: string | null;
}

function table(head: string[], rows: Row[], note: string): string {
  const line = (r: Row) => (r.detail ? `<tr class="has-detail">${r.cells}</tr><tr class="detail"><td colspan="${head.length}">${r.detail}</td></tr>` : `<tr>${r.cells}</tr>`);
  const body = rows.length === 0 ? `<tr><td colspan="${head.length}" class="muted">none</td></tr>` : rows.map(line).join('');
  return `<div class="scroll"><table><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${body}</tbody></table></div>${note}`;
}

function cut(shown: number, total: number): string {
  return shown < total ? `<p class="muted">Showing ${shown} of ${total}.</p>` : '';
}

function utc(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function zoned(ms: number, timeZone: string): string {
  try {
    return new Intl.DateTimeFormat('en-GB', { timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(ms);
  } catch {
    return utc(ms);
  }
}

function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.round(s / 60)} min`;
  if (s < 172_800) return `${(s / 3600).toFixed(1)} h`;
  return `${Math.round(s / 86_400)} days`;
}
