import { RegistryClient, type RegistryClientOptions } from './registry-client.js';

/**
 * Registry clients shared by the images of one run (an audit): each repository's images reuse
 * one client, so its connections, the registry's ping and its pull token are made once, not
 * once per tag. Keyed by repository, not registry: credentials may be set per repository
 * (auth.json), and a client looks them up for the repository it was made for.
 */
export class RegistryClientPool {
  readonly #clients = new Map<string, RegistryClient>();

  constructor(private readonly options: RegistryClientOptions) {}

  get(registry: string, repository: string): RegistryClient {
    const key = `${registry}/${repository}`;
    let client = this.#clients.get(key);
    if (client === undefined) {
      client = new RegistryClient(registry, this.options, repository);
      this.#clients.set(key, client);
    }
    return client;
  }

  /** Closes every client's connections (the sources that used them leave them open). */
  close(): void {
    for (const client of this.#clients.values()) client.close();
    this.#clients.clear();
  }
}
