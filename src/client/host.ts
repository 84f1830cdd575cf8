/** Server addresses as given (`mlserver:12800`, `https://h/`) and as compared. */

/** The host with a scheme (`http://` when it has none) and without trailing slashes. */
export function withScheme(host: string): string {
  const trimmed = host.trim().replace(/\/+$/, '');
  return /^https?:\/\//i.test(trimmed) ? trimmed : `http://${trimmed}`;
}

/** A host as the journal and the saved logins compare it: `withScheme`, lower-cased. */
export function hostKey(host: string): string {
  return withScheme(host).toLowerCase();
}

/** True when `a` and `b` name the same server. */
export function sameHost(a: string, b: string): boolean {
  return hostKey(a) === hostKey(b);
}
