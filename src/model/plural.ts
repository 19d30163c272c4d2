/** "1 finding", "3 findings": a count with its noun, singular or plural. */
export function plural(count: number, word: string, pluralWord = `${word}s`): string {
  return `${count} ${count === 1 ? word : pluralWord}`;
}
