import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs } from '../../helpers/image-builder.js';
import { BASE, findingsOf, reportFor, run } from '../../helpers/generated-report.js';

afterAll(cleanupTempDirs);

const withUser = (user: string | undefined, alpine = false) =>
  reportFor({
    layers: [
      alpine
        ? {
            ...BASE.layer,
            entries: [
              ...(BASE.layer.entries as []),
              { type: 'file', path: 'etc/alpine-release', content: '3.20.0\n' },
            ],
          }
        : BASE.layer,
    ],
    emptyHistory: [
      BASE.history,
      ...(user === undefined ? [] : [{ after: 0, createdBy: `/bin/sh -c #(nop)  USER ${user}` }]),
    ],
    ...(user === undefined ? {} : { user }),
  });

describe('runs-as-root', () => {
  it.each([[undefined], ['root'], ['0'], ['root:root'], ['0:0']])('reports USER %s', async (user) => {
    const report = await withUser(user);
    const [finding] = findingsOf(report, 'runs-as-root');
    expect(finding).toMatchObject({ severity: 'warning', layerIndex: null, wastedBytes: 0 });
    expect(finding?.advice.dockerfile).toEqual({
      before: user === undefined ? '(no USER instruction)' : `USER ${user}`,
      after:
        'RUN groupadd --system --gid 10001 app && useradd --system --uid 10001 --gid 10001 --no-create-home app\nUSER 10001:10001',
    });
    expect(findingsOf(report, 'non-numeric-user')).toEqual([]);
  });

  it('advises busybox adduser on Alpine', async () => {
    const [finding] = findingsOf(await withUser(undefined, true), 'runs-as-root');
    expect(finding?.advice.dockerfile?.after).toBe(
      'RUN addgroup -S -g 10001 app && adduser -S -D -H -u 10001 -G app app\nUSER 10001:10001',
    );
  });

  it.each([['10001'], ['10001:10001'], ['app'], ['1000:app']])('does not report USER %s', async (user) => {
    expect(findingsOf(await withUser(user), 'runs-as-root')).toEqual([]);
  });
});

describe('non-numeric-user', () => {
  it.each([
    ['app', 'USER <uid>'],
    ['app:app', 'USER <uid>:<gid>'],
    ['app:10001', 'USER <uid>:10001'],
  ])('reports USER %s', async (user, after) => {
    const [finding] = findingsOf(await withUser(user), 'non-numeric-user');
    expect(finding).toMatchObject({ severity: 'warning', wastedBytes: 0 });
    expect(finding?.advice.dockerfile).toEqual({ before: `USER ${user}`, after });
  });

  it('writes the UID and GID from the final /etc/passwd and /etc/group', async () => {
    const passwd = 'root:x:0:0:root:/root:/bin/sh\napp:x:10001:10002::/home/app:/sbin/nologin\n';
    const report = await reportFor({
      layers: [
        BASE.layer,
        {
          createdBy: run('groupadd -g 10002 app && useradd -u 10001 -g app app'),
          entries: [
            { type: 'file', path: 'etc/passwd', content: passwd },
            { type: 'file', path: 'etc/group', content: 'root:x:0:\napp:x:10002:\n' },
          ],
        },
      ],
      emptyHistory: [BASE.history, { after: 1, createdBy: '/bin/sh -c #(nop)  USER app:app' }],
      user: 'app:app',
    });
    const [finding] = findingsOf(report, 'non-numeric-user');
    expect(finding?.advice.dockerfile).toEqual({ before: 'USER app:app', after: 'USER 10001:10002' });
    expect(finding?.advice.text).toContain("app is uid 10001 in the image's /etc/passwd");
  });

  it.each([['10001'], ['10001:app'], [undefined], ['root']])('does not report USER %s', async (user) => {
    expect(findingsOf(await withUser(user), 'non-numeric-user')).toEqual([]);
  });
});
