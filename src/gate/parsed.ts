/** The outcome of parsing one value: the value, or why it is wrong (collected, never thrown). */
export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

export const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
export const bad = <T = never>(reason: string): Parsed<T> => ({ ok: false, reason });
