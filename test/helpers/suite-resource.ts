/**
 * A resource the tests of one describe block share (a registry, a proxy): started by the block's
 * beforeAll, stopped by its afterAll. The handle returned at once stands for it, so the block
 * declares it in one line and its tests use it as the object itself: reads and writes go through
 * to the started resource (a test setting `proxy.fault` sets the running proxy's). Touched before
 * that beforeAll has run (in the describe body itself), it throws saying so.
 */
import { afterAll, beforeAll } from 'vitest';

export function useSuiteResource<T extends { stop: () => Promise<void> }>(
  what: string,
  start: () => Promise<T>,
): T {
  let resource: T | undefined;
  beforeAll(async () => {
    resource = await start();
  });
  afterAll(async () => {
    await resource?.stop();
  });
  const started = (): T => {
    if (resource === undefined) throw new Error(`${what} is used before the beforeAll that starts it`);
    return resource;
  };
  return new Proxy({} as T, {
    get: (_handle, key) => Reflect.get(started(), key),
    set: (_handle, key, value) => Reflect.set(started(), key, value),
  });
}
