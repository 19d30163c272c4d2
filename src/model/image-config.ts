/** One entry of the config's `history`: a Dockerfile step, with or without a layer. */
export interface HistoryEntry {
  created?: string;
  created_by?: string;
  author?: string;
  comment?: string;
  empty_layer?: boolean;
}

/** The runtime part of the image config (Docker spells these keys in PascalCase). */
export interface ContainerConfig {
  User?: string;
  Env?: string[] | null;
  Entrypoint?: string[] | null;
  Cmd?: string[] | null;
  WorkingDir?: string;
  ExposedPorts?: Record<string, unknown> | null;
  Labels?: Record<string, string> | null;
}

/** The image config JSON (OCI image config / Docker image JSON). */
export interface ImageConfig {
  architecture?: string;
  os?: string;
  variant?: string;
  created?: string;
  config?: ContainerConfig;
  rootfs?: { type: string; diff_ids: string[] };
  history?: HistoryEntry[];
}
