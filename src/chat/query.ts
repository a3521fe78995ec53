/** One filter as list_documents takes it: [field, operator, value]. */
export type Condition = [string, string, unknown];

/** The text of the ask as recognisers take their words out of it. */
export class AskText {
  text: string;
  constructor(text: string) {
    this.text = ` ${text} `;
  }

  /** Takes the first match of `re` out of the text and returns it. */
  take(re: RegExp): RegExpExecArray | null {
    const m = re.exec(this.text);
    if (m) this.cut(m.index, m[0].length);
    return m;
  }

  cut(at: number, length: number): void {
    this.text = `${this.text.slice(0, at)} ${this.text.slice(at + length)}`.replace(/\s+/g, ' ');
    if (!this.text.startsWith(' ')) this.text = ` ${this.text}`;
    if (!this.text.endsWith(' ')) this.text = `${this.text} `;
  }

  /** Takes the exact words `phrase` out, wherever they stand. */
  remove(phrase: string): boolean {
    const at = this.lower.indexOf(phrase.toLowerCase());
    if (at >= 0) this.cut(at, phrase.length);
    return at >= 0;
  }

  /** Lower case with every index unchanged (only ASCII letters change), so matches on it can be cut from `text`. */
  get lower(): string {
    return this.text.replace(/[A-Z]/g, (c) => c.toLowerCase());
  }
}
