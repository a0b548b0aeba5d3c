// Reading member-list and application rows. The contract fixes their ids and
// statuses but not how the person or member organisation is nested, so these
// helpers accept the shapes the server may reasonably send.
import type { MemberRow } from './api';

export function rowName(r: MemberRow): string {
  if (r.person) {
    const n = [r.person.given_name, r.person.family_name].filter(Boolean).join(' ');
    if (n) return n;
  }
  if (r.member_org?.name) return r.member_org.name;
  const n = [r.given_name, r.family_name].filter(Boolean).join(' ');
  if (n) return n;
  return r.name ?? `#${r.id}`;
}

export function rowEmail(r: MemberRow): string | null {
  return r.person?.email ?? r.email ?? null;
}

export function rowPhone(r: MemberRow): string | null {
  return r.person?.phone ?? r.phone ?? null;
}

export function rowClass(r: MemberRow): string {
  if (!r.class) return '';
  if (typeof r.class === 'string') return r.class;
  return r.class.name ?? r.class.code ?? '';
}
