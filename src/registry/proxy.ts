/** Reads a variable in either spelling (curl honours both; lowercase wins, as there). */
function envVar(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name.toLowerCase()] ?? env[name.toUpperCase()];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/** Whether NO_PROXY exempts a host: "*", exact names, ".suffix"/"suffix" domain matches, optional ":port". */
export function isNoProxy(url: URL, noProxy: string | undefined): boolean {
  if (noProxy === undefined) return false;
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  for (const raw of noProxy.split(/[,\s]+/)) {
    let rule = raw.trim().toLowerCase();
    if (rule === '') continue;
    if (rule === '*') return true;
    let rulePort: string | null = null;
    const portMatch = /^(.*[^:]):(\d+)$/.exec(rule);
    if (portMatch !== null && !rule.includes('::')) {
      rule = portMatch[1] ?? rule;
      rulePort = portMatch[2] ?? null;
    }
    rule = rule.replace(/^\[|\]$/g, '');
    if (rulePort !== null && rulePort !== port) continue;
    if (rule.startsWith('*.')) rule = rule.slice(1);
    if (rule.startsWith('.')) {
      if (host.endsWith(rule) || host === rule.slice(1)) return true;
    } else if (host === rule || host.endsWith(`.${rule}`)) return true;
  }
  return false;
}

/** The proxy URL to use for a request, from HTTPS_PROXY / HTTP_PROXY / ALL_PROXY and NO_PROXY; null for direct. */
export function proxyForUrl(url: URL, env: NodeJS.ProcessEnv): string | null {
  if (isNoProxy(url, envVar(env, 'NO_PROXY'))) return null;
  const proxy =
    (url.protocol === 'https:' ? envVar(env, 'HTTPS_PROXY') : envVar(env, 'HTTP_PROXY')) ??
    envVar(env, 'ALL_PROXY');
  if (proxy === undefined) return null;
  return /^[a-z]+:\/\//i.test(proxy) ? proxy : `http://${proxy}`;
}
