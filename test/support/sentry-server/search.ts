// The subset of Sentry's issue search the local server understands: `is:unresolved`
// (Sentry's default) / `is:resolved`, `key:value` tag filters (release, environment,
// level, server_name, transaction, handled, custom tags), free text against the title and
// culprit, `statsPeriod`, and the documented sorts (date, new, freq, user, trends, inbox).
import type { GroupView } from './serialize';
import { eventTime, userKey } from './serialize';
import type { StoredEvent } from './store';

const SORTS = new Set(['date', 'new', 'freq', 'user', 'trends', 'inbox']);

function tagValue(e: StoredEvent, key: string): string | undefined {
  const ev = e.event;
  switch (key) {
    case 'release':
      return ev.release;
    case 'environment':
      return ev.environment;
    case 'level':
      return ev.level ?? 'error';
    case 'server_name':
      return ev.server_name;
    case 'transaction':
      return ev.transaction;
    default: {
      const v = ev.tags?.[key];
      return v === undefined ? undefined : String(v);
    }
  }
}

function periodMs(period: string): number | undefined {
  const m = period.match(/^(\d+)([smhdw])$/);
  if (!m) return undefined;
  const unit = { s: 1e3, m: 60e3, h: 3600e3, d: 86400e3, w: 604800e3 }[m[2] as 's' | 'm' | 'h' | 'd' | 'w'];
  return Number(m[1]) * unit;
}

export function filterAndSort(views: GroupView[], params: URLSearchParams): GroupView[] | 'bad-sort' {
  const sort = params.get('sort') || 'date';
  if (!SORTS.has(sort)) return 'bad-sort';
  const query = params.has('query') ? params.get('query')! : 'is:unresolved';
  const tokens = query.match(/(?:[^\s"]+:"[^"]*"|"[^"]*"|\S+)/g) ?? [];
  let out = views;
  const text: string[] = [];
  for (const token of tokens) {
    const kv = token.match(/^(!?)([\w.]+):"?([^"]*)"?$/);
    if (!kv) {
      text.push(token.replace(/^"|"$/g, '').toLowerCase());
      continue;
    }
    const [, not, key, value] = kv;
    if (key === 'is') {
      out = out.filter((v) => (v.group.status === value) !== (not === '!'));
      continue;
    }
    out = out
      .map((v) => ({ ...v, events: v.events.filter((e) => (tagValue(e, key) === value) !== (not === '!')) }))
      .filter((v) => v.events.length > 0);
  }
  if (text.length) {
    out = out.filter((v) => {
      const hay = `${v.group.type}: ${v.group.value} ${v.group.culprit}`.toLowerCase();
      return text.every((t) => hay.includes(t));
    });
  }
  const period = params.get('statsPeriod');
  const ms = period ? periodMs(period) : undefined;
  if (ms !== undefined) {
    const since = Date.now() - ms;
    out = out.map((v) => ({ ...v, events: v.events.filter((e) => eventTime(e).getTime() >= since) })).filter((v) => v.events.length > 0);
  }
  const last = (v: GroupView) => Math.max(...v.events.map((e) => eventTime(e).getTime()));
  const first = (v: GroupView) => Math.min(...v.events.map((e) => eventTime(e).getTime()));
  const users = (v: GroupView) => new Set(v.events.map((e) => userKey(e.event)).filter(Boolean)).size;
  const key: Record<string, (v: GroupView) => number> = {
    date: last,
    inbox: last,
    new: first,
    freq: (v) => v.events.length,
    trends: (v) => v.events.length,
    user: users,
  };
  const by = key[sort];
  // Ties broken by id so pages are stable across requests, as a cursor needs.
  return [...out].sort((a, b) => by(b) - by(a) || Number(a.group.id) - Number(b.group.id));
}
