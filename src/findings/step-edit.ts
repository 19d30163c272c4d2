import type { DockerfileAdvice } from '../model/index.js';

/**
 * How a finding changes the Dockerfile, kept as an edit rather than finished text so that edits
 * to the same steps combine into one fix (`step-fixes.ts`): three findings on one `apt-get` RUN
 * give one rewritten RUN, `chown` and `chmod` copies of one COPY give one COPY with both flags.
 */
export type StepEdit =
  /** One RUN's command rewritten: a flag added, a cleanup appended. */
  | { kind: 'run'; layer: number; rewrite: (command: string) => string }
  /** RUN layers chained into one RUN with && (each with its own RUN rewrites applied). */
  | { kind: 'chain'; layers: number[] }
  /** `--chown=`/`--chmod=` on the COPY/ADD of `layer`; the RUN of `drop` that changed the files goes. */
  | { kind: 'copy-flag'; layer: number; drop: number; flag: 'chown' | 'chmod'; value: string }
  /**
   * The rule's own before/after text, which replaces the instructions of `layers` (an archive's
   * COPY and the RUN that extracts it). A change with no edit replaces no layer's instruction
   * (USER, ENV, ARG, .dockerignore): it groups by its `before` alone.
   */
  | { kind: 'text'; layers: number[] };

/** A finding's Dockerfile change: the text it shows alone, and the edit it combines by. */
export interface StepChange {
  dockerfile: DockerfileAdvice;
  edit: StepEdit;
}
