/**
 * A registry test file's setup in a few lines: a describe block that runs where the registry
 * tools are (skipped with a reason elsewhere, failed in CI), the registry fixture its tests share
 * and, where they inject faults, the fault proxy in front of it, set back after each test.
 *
 *   describeWithRegistry('what the tests show', () => {
 *     const fixture = useRegistryFixture({ name: 'short-name' });
 *     const proxy = useFaultProxy(fixture);
 *     let image: WrittenImage;
 *     beforeAll(async () => {
 *       image = await fixture.pushImage('img', { layers: [{ files: { a: 'a' } }] }, 'repo/app:1');
 *     });
 *     it('…', async () => {
 *       const result = await runCli(['analyze', `${proxy.host}/repo/app:1`], fixture.cliEnv());
 *     });
 *   });
 */
import { afterEach, describe } from 'vitest';
import { type FaultProxy, startFaultProxy } from './fault-proxy.js';
import {
  type RegistryFixture,
  type RegistryFixtureOptions,
  startRegistryFixture,
} from './registry-fixture.js';
import { registryTestsSkipReason } from './registry-server.js';
import { useSuiteResource } from './suite-resource.js';

/** A describe block of registry tests: skipped, saying why, where the registry tools are missing. */
export function describeWithRegistry(name: string, body: () => void): void {
  describe.skipIf(registryTestsSkipReason() !== null)(name, body);
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
