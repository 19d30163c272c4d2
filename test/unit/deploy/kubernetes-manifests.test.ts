import { describe, expect, it } from 'vitest';
import { type Manifest, readManifests, validateManifest } from '../../helpers/kubernetes-manifests.js';

type Container = {
  name: string;
  args: string[];
  env: { name: string; value: string }[];
  volumeMounts: { name: string; mountPath: string }[];
};
type PodSpec = { containers: Container[]; volumes: Record<string, unknown>[] };

function podSpec(job: Manifest): PodSpec {
  return (job.spec as { template: { spec: PodSpec } }).template.spec;
}

function byName(manifests: Manifest[], name: string): Manifest {
  const found = manifests.find((m) => m.metadata.name === name);
  if (found === undefined) throw new Error(`no ${name}`);
  return found;
}

describe('deploy/kubernetes', async () => {
  const manifests = await readManifests();

  it('holds the audit Job, the merge Job, the image list, the credentials and the results volume', () => {
    expect(manifests.map((m) => `${m.kind}/${m.metadata.name}`).sort()).toEqual([
      'ConfigMap/imgscope-audit-images',
      'Job/imgscope-audit',
      'Job/imgscope-audit-merge',
      'PersistentVolumeClaim/imgscope-audit-results',
      'Secret/imgscope-registry-auth',
    ]);
  });

  it('is valid against the Kubernetes API schema', () => {
    for (const manifest of manifests) expect(() => validateManifest(manifest), manifest.file).not.toThrow();
  });

  it('fails the schema where a field is wrong (the check can fail)', () => {
    const job = structuredClone(byName(manifests, 'imgscope-audit'));
    (job.spec as Record<string, unknown>)['completionMode'] = 'Index';
    expect(() => validateManifest(job)).toThrow(/completionMode must be equal to one of the allowed values/);
    const pvc = structuredClone(byName(manifests, 'imgscope-audit-results'));
    (pvc.spec as Record<string, unknown>)['accessModes'] = 'ReadWriteMany';
    expect(() => validateManifest(pvc)).toThrow(/accessModes must be array/);
  });

  it('runs one shard per index, retried per index, with the credentials as config.json and results on the volume', () => {
    const job = byName(manifests, 'imgscope-audit');
    const spec = job.spec as Record<string, unknown>;
    expect(spec).toMatchObject({ completionMode: 'Indexed', completions: 4, backoffLimitPerIndex: 2 });
    const pod = podSpec(job);
    const container = pod.containers[0]!;
    const args = container.args;
    expect(args.slice(args.indexOf('--shard'), args.indexOf('--shard') + 2)).toEqual([
      '--shard',
      '$(JOB_COMPLETION_INDEX)/4',
    ]);
    expect(args.slice(args.indexOf('--out'), args.indexOf('--out') + 2)).toEqual(['--out', '/results']);
    const dockerConfig = container.env.find((e) => e.name === 'DOCKER_CONFIG')?.value;
    const authMount = container.volumeMounts.find((m) => m.mountPath === dockerConfig);
    expect(pod.volumes.find((v) => v['name'] === authMount?.name)).toEqual({
      name: 'registry-auth',
      secret: { secretName: 'imgscope-registry-auth', items: [{ key: 'config.json', path: 'config.json' }] },
    });
    const results = container.volumeMounts.find((m) => m.mountPath === '/results');
    expect(pod.volumes.find((v) => v['name'] === results?.name)).toEqual({
      name: 'results',
      persistentVolumeClaim: { claimName: 'imgscope-audit-results' },
    });
  });

  it('merges from the same volume into a summary file', () => {
    const merge = podSpec(byName(manifests, 'imgscope-audit-merge')).containers[0]!;
    expect(merge.args.slice(0, 3)).toEqual(['audit', 'merge', '/results']);
    expect(merge.args).toContain('/results/summary.json');
  });
});
