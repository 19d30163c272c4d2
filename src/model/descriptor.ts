/** A content-addressed blob reference, as in the OCI image spec. */
export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: Platform;
  annotations?: Record<string, string>;
  urls?: string[];
}

/** os/architecture[/variant] of an image or an index entry. */
export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}
