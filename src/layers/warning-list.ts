/** Warnings kept per layer: enough to show what is wrong, bounded when a layer holds a million bad entries. */
export const MAX_WARNINGS_PER_LAYER = 20;

export class WarningList {
  private readonly kept: string[] = [];
  private dropped = 0;

  constructor(private readonly label: string) {}

  add(message: string): void {
    if (this.kept.length < MAX_WARNINGS_PER_LAYER) this.kept.push(message);
    else this.dropped += 1;
  }

  toArray(): string[] {
    if (this.dropped === 0) return [...this.kept];
    return [...this.kept, `${this.label}: ${this.dropped} more warnings not shown`];
  }
}

/** Long names in messages: the start and the length, not 20 KB of path. */
export function abbreviate(name: string, max = 120): string {
  return name.length <= max ? name : `${name.slice(0, max)}… (${name.length} characters)`;
}
