// The compact text of an option's value in the URL (and in the sequence editor): a number, a word,
// a list in brackets, or a schedule as its kind with its fields in parentheses:
//   0.05   true   inside   [0.9,0.95]   cosine(initial=0.1,final=0,period=100)
//   sequence(boundaries=[10],schedules=[linear(initial=0,final=0.1,steps=10),cosine(initial=0.1,final=0,period=990)])
// Numbers are written with String(x), which reads back as the same double. A run is its name and
// its fields: `Adam:lr=0.05,beta=0.9` (fieldsText below). No eval: a small recursive-descent parser.

/** A parsed value: a word (a number is a word too, read as one later), a list, or a call kind(fields). */
export type Syntax = string | readonly Syntax[] | { readonly kind: string; readonly fields: Readonly<Record<string, Syntax>> };

const SPECIAL = "()[],=";

class Reader {
  at = 0;
  constructor(readonly text: string) {}
  peek(): string | undefined {
    return this.text[this.at];
  }
  expect(c: string): void {
    if (this.text[this.at] !== c) throw new SyntaxError(`expected "${c}" at ${this.at} of ${this.text}`);
    this.at++;
  }
  word(): string {
    const from = this.at;
    while (this.at < this.text.length && !SPECIAL.includes(this.text[this.at])) this.at++;
    return this.text.slice(from, this.at);
  }
  value(): Syntax {
    if (this.peek() === "[") {
      this.at++;
      const items: Syntax[] = [];
      if (this.peek() === "]") {
        this.at++;
        return items;
      }
      for (;;) {
        items.push(this.value());
        if (this.peek() === "]") break;
        this.expect(",");
      }
      this.at++;
      return items;
    }
    const word = this.word();
    if (this.peek() !== "(") return word;
    this.at++;
    const fields = this.fields(")");
    this.expect(")");
    return { kind: word, fields };
  }
  /** name=value pairs separated by commas, up to `end` (or the end of the text). */
  fields(end?: string): Record<string, Syntax> {
    const fields: Record<string, Syntax> = {};
    if (this.peek() === end || this.at === this.text.length) return fields;
    for (;;) {
      const name = this.word();
      this.expect("=");
      fields[name] = this.value();
      if (this.peek() !== ",") return fields;
      this.at++;
    }
  }
}

/** The fields of `name=value,name=value` (the options of a run); undefined if it does not parse. */
export function parseFields(text: string): Record<string, Syntax> | undefined {
  try {
    const reader = new Reader(text);
    const fields = reader.fields();
    return reader.at === text.length ? fields : undefined;
  } catch {
    return undefined;
  }
}

/** One value; undefined if it does not parse. */
export function parseValue(text: string): Syntax | undefined {
  try {
    const reader = new Reader(text);
    const value = reader.value();
    return reader.at === text.length ? value : undefined;
  } catch {
    return undefined;
  }
}

/** A value that is a number, a boolean, a string, a list of values or a schedule-like object with a `kind`. */
export type Plain = number | boolean | string | readonly Plain[] | { readonly kind: string; readonly [field: string]: Plain };

/** The text of a value (the inverse of parseValue followed by toPlain). */
export function formatValue(value: Plain): string {
  if (Array.isArray(value)) return `[${value.map(formatValue).join(",")}]`;
  if (typeof value === "object") {
    const { kind, ...fields } = value as { kind: string; [field: string]: Plain };
    return `${kind}(${formatFields(fields)})`;
  }
  return String(value);
}

/** `name=value,…` of an object's fields. */
export function formatFields(fields: Readonly<Record<string, Plain>>): string {
  return Object.entries(fields)
    .map(([k, v]) => `${k}=${formatValue(v)}`)
    .join(",");
}

const numberOf = (word: string): number | undefined => {
  if (word.trim() === "") return undefined;
  const v = Number(word);
  return Number.isFinite(v) ? v : undefined;
};

/** A parsed value as plain data: words that are numbers become numbers, true and false booleans. */
export function toPlain(syntax: Syntax): Plain {
  if (typeof syntax === "string") return numberOf(syntax) ?? (syntax === "true" ? true : syntax === "false" ? false : syntax);
  if (Array.isArray(syntax)) return syntax.map(toPlain);
  const call = syntax as { kind: string; fields: Record<string, Syntax> };
  const out: Record<string, Plain> = { kind: call.kind };
  for (const [k, v] of Object.entries(call.fields)) if (k !== "kind") out[k] = toPlain(v);
  return out as Plain;
}
