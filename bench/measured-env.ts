/**
 * The environment a benchmark runs a measured command in: this process's without
 * NODE_EXTRA_CA_CERTS, plus `extra`. Node 20 reads and parses that file at every start (Node 22
 * and later only when TLS is first used): with Debian's bundle of about 140 certificates, 33 ms
 * of every run on the bench machine, imgscope's and `node -e 0`'s alike, and none of it
 * imgscope's. No measured run needs it: the bench registries serve plain HTTP on loopback.
 */
export function measuredEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  if (extra['NODE_EXTRA_CA_CERTS'] === undefined) delete env['NODE_EXTRA_CA_CERTS'];
  return env;
}
