/**
 * The Indexed Job of deploy/kubernetes run as a kubelet would run it, without a cluster: one
 * process per index with JOB_COMPLETION_INDEX set, the container's args and env taken from the
 * manifest ($(VAR) expanded as Kubernetes does), each volume a local directory, the registry
 * credentials a config.json as the Secret mounts it. Then the merge Job, on the same "volume".
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { pushFleet, type FleetImage } from '../../helpers/fleet-images.js';
import { type Manifest, readManifests } from '../../helpers/kubernetes-manifests.js';
import { describeWithRegistry, useRegistryFixture } from '../../helpers/registry-suite.js';
import { runCli } from '../../helpers/run-cli.js';

const ACCOUNT = { user: 'auditor', password: 'fleet-Pa55word' };

interface Container {
  args: string[];
  env?: { name: string; value: string }[];
  volumeMounts: { name: string; mountPath: string }[];
}

function container(job: Manifest): Container {
  return (job.spec as { template: { spec: { containers: Container[] } } }).template.spec.containers[0]!;
}

/** `$(NAME)` replaced by the variable's value, as Kubernetes expands args; `$$` is a literal `$`. */
function expand(text: string, env: Record<string, string>): string {
  return text.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (whole, name: string | undefined) =>
    name === undefined ? '$' : (env[name] ?? whole),
  );
}

/** Paths under a mount point moved to the local directory standing for that volume. */
function remap(text: string, mounts: { mountPath: string; local: string }[]): string {
  for (const mount of mounts) {
    if (text === mount.mountPath || text.startsWith(`${mount.mountPath}/`))
      return mount.local + text.slice(mount.mountPath.length);
  }
  return text;
}

describeWithRegistry('the audit Job of deploy/kubernetes, its pods run as local processes', () => {
  const fixture = useRegistryFixture({ name: 'k8s-job', account: ACCOUNT });
  let fleet: FleetImage[];

  beforeAll(async () => {
    fleet = await pushFleet(fixture);
  }, 300_000);

  it('gives, merged, the summary of one unsharded audit', async () => {
    const manifests = await readManifests();
    const job = manifests.find((m) => m.kind === 'Job' && m.metadata.name === 'imgscope-audit')!;
    const mergeJob = manifests.find((m) => m.kind === 'Job' && m.metadata.name === 'imgscope-audit-merge')!;
    const completions = (job.spec as { completions: number }).completions;

    // The volumes: the image list (ConfigMap), config.json (Secret), the results (PVC).
    const volumes: Record<string, string> = {};
    for (const name of ['images', 'registry-auth', 'results']) {
      volumes[name] = join(fixture.work, name);
      await mkdir(volumes[name]!, { recursive: true });
    }
    await writeFile(
      join(volumes['images']!, 'images.txt'),
      fleet.map((image) => image.reference).join('\n') + '\n',
    );
    const auth = Buffer.from(`${ACCOUNT.user}:${ACCOUNT.password}`).toString('base64');
    await writeFile(
      join(volumes['registry-auth']!, 'config.json'),
      JSON.stringify({ auths: { [fixture.registry.host]: { auth } } }),
    );

    const runPod = async (
      manifest: Manifest,
      index: number | null,
    ): Promise<Awaited<ReturnType<typeof runCli>>> => {
      const spec = container(manifest);
      const podDir = join(fixture.work, `pod-${manifest.metadata.name}-${index ?? 'x'}`);
      const mounts = spec.volumeMounts.map((mount) => ({
        mountPath: mount.mountPath,
        local: volumes[mount.name] ?? join(podDir, mount.name),
      }));
      for (const mount of mounts) await mkdir(mount.local, { recursive: true });
      const env: Record<string, string> = index === null ? {} : { JOB_COMPLETION_INDEX: String(index) };
      for (const variable of spec.env ?? []) env[variable.name] = remap(expand(variable.value, env), mounts);
      const args = spec.args.map((arg) => remap(expand(arg, env), mounts));
      return runCli(args, env);
    };

    const pods = await Promise.all(Array.from({ length: completions }, (_, index) => runPod(job, index)));
    for (const pod of pods) {
      expect(pod.stderr).toMatch(/imgscope: audited \d+ images \(\d+ analyzed, 0 already done, 0 failed\)/);
      expect(pod.code).toBe(0);
    }
    const merged = await runPod(mergeJob, null);
    expect(merged.code).toBe(0);
    expect(merged.stdout).toMatch(/^## imgscope fleet audit\n\n20 images \(20 audited, 0 failed\)/);

    const unsharded = await runCli(
      [
        'audit',
        '-f',
        join(volumes['images']!, 'images.txt'),
        '--out',
        join(fixture.work, 'unsharded'),
        '--format',
        'json',
      ],
      { DOCKER_CONFIG: volumes['registry-auth']! },
    );
    expect(unsharded.code).toBe(0);
    expect(await readFile(join(volumes['results']!, 'summary.json'), 'utf8')).toBe(unsharded.stdout);
  });
});
