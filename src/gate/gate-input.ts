import type { DiveMetrics, Finding, LayerReport } from '../model/index.js';

/** What the gate reads of an analysis (an `Analysis` is one). */
export interface GateAnalysis {
  dive: Pick<DiveMetrics, 'efficiency' | 'wastedBytes' | 'userSizeBytes' | 'userWastedPercent'>;
  layers: readonly Pick<LayerReport, 'index' | 'sizeBytes' | 'command'>[];
  sizeBytes: number;
  compressedSizeBytes: number | null;
  reclaimableBytes: number;
  /** --no-layers: the layers were not read, so only layer count and compressed size are known. */
  metadataOnly?: boolean;
}

/** What the gate reads of a finding: the small interface findings plug in through. */
export type GateFinding = Pick<Finding, 'id' | 'severity' | 'title' | 'wastedBytes' | 'paths'> &
  Partial<Pick<Finding, 'layerIndex' | 'message' | 'advice'>>;
