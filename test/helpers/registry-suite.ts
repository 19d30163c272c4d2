/**
 * A registry test file's setup in a few lines: a describe block that runs where the registry
 * tools are (skipped with a reason elsewhere, failed in CI), the registry fixture its tests share
 * and, where they inject faults, the fault proxy in front of it, set back after each test.
 * docs/architecture.md (section 6, Real registry) shows a whole test file's setup.
 */
import { afterAll, afterEach, describe } from 'vitest';
import { type FaultProxy, startFaultProxy } from './fault-proxy.js';
import {
  type RegistryFixture,
  type RegistryFixtureOptions,
  startRegistryFixture,
} from './registry-fixture.js';
import { registryTestsSkipReason } from './registry-server.js';
import { useSuiteResource } from './suite-resource.js';
import { cleanupTempDirs } from './temp.js';

/**
 * A describe block of registry tests: skipped, saying why, where the registry tools are missing.
 * After its last test (and its own afterAll hooks) it removes the temp dirs made so far in this
 * file (temp.ts: the CLI runs' sandboxes, caches), so no block may use another's.
 */
export function describeWithRegistry(name: string, body: () => void): void {
  describe.skipIf(registryTestsSkipReason() !== null)(name, () => {
    // Registered first, so it runs last: after the block's own afterAll hooks.
    afterAll(cleanupTempDirs);
    body();
  });
}

/** The registry fixture the block's tests share, started before the first and stopped after the last. */
export function useRegistryFixture(options: RegistryFixtureOptions): RegistryFixture {
  return useSuiteResource(`the registry fixture ${options.name}`, () => startRegistryFixture(options));
}

/** A fault proxy in front of the fixture's registry for the block's tests, reset after each test. */
export function useFaultProxy(fixture: RegistryFixture): FaultProxy {
  const proxy = useSuiteResource('the fault proxy', () => startFaultProxy(fixture.registry.host));
  afterEach(() => proxy.reset());
  return proxy;
}
