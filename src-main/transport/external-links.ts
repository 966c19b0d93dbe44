/** The only web pages the desktop app hands to the user's browser: https, default port, on a short list of hosts. */

/** Documentation and papers; compared whole (no subdomains, no lookalikes). */
export const EXTERNAL_HOSTS: readonly string[] = ['github.com', 'arxiv.org'];

export function isAllowedExternalUrl(url: string): boolean {
  const u = URL.parse(url);
  if (!u || u.protocol !== 'https:' || u.port !== '') return false;
  // https://github.com@evil.io is a page on evil.io; any userinfo at all is refused.
  if (u.username !== '' || u.password !== '') return false;
  return EXTERNAL_HOSTS.includes(u.hostname);
}
