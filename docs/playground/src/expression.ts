// The user's f(x, y): a small recursive-descent parser into a syntax tree. No eval, no Function:
// the page must run under a Content-Security-Policy without 'unsafe-eval', and a typed formula must
// never run as code. Grammar (^ binds tighter than unary minus, and to the right: -x^2 = -(x^2)):
//   expr    := term (("+" | "-") term)*
//   term    := unary (("*" | "/") unary)*
//   unary   := ("-" | "+") unary | power
//   power   := primary ("^" unary)?
//   primary := number | "x" | "y" | "pi" | name "(" expr ")" | "(" expr ")"

/** The functions a formula may call. */
export const FUNCTIONS = ["sin", "cos", "exp", "log", "sqrt", "abs", "tanh"] as const;
export type FunctionName = (typeof FUNCTIONS)[number];

/** A node of the syntax tree. */
export type Expr =
  | { readonly kind: "number"; readonly value: number }
  | { readonly kind: "variable"; readonly name: "x" | "y" }
  | { readonly kind: "negate"; readonly arg: Expr }
  | { readonly kind: "binary"; readonly op: "+" | "-" | "*" | "/" | "^"; readonly left: Expr; readonly right: Expr }
  | { readonly kind: "call"; readonly fn: FunctionName; readonly arg: Expr };

/** A formula that does not parse: what was expected, and where (a 0-based character offset). */
export class ExpressionError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(`${message} (at character ${position + 1})`);
    this.name = "ExpressionError";
  }
}

/** Long enough for any landscape worth drawing; bounds the work and the recursion depth. */
export const MAX_LENGTH = 500;
const MAX_DEPTH = 100;

interface Token {
  readonly text: string;
  readonly at: number;
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /\s*(?:(\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|([A-Za-z]+)|([-+*/^()]))/y;
  let at = 0;
  while (at < source.length) {
    if (/^\s*$/.test(source.slice(at))) break;
    pattern.lastIndex = at;
    const m = pattern.exec(source);
    if (m === null) {
      const where = at + (source.slice(at).length - source.slice(at).trimStart().length);
      throw new ExpressionError(`unexpected character ${JSON.stringify(source[where])}`, where);
    }
    const text = m[1] ?? m[2] ?? m[3];
    tokens.push({ text, at: pattern.lastIndex - text.length });
    at = pattern.lastIndex;
  }
  return tokens;
}

/**
 * Parses a formula in x and y, e.g. `"(1 - x)^2 + 100*(y - x^2)^2"`.
 * @throws ExpressionError naming what was expected and where.
 */
export function parseExpression(source: string): Expr {
  if (typeof source !== "string") throw new ExpressionError("expected a formula", 0);
  if (source.length > MAX_LENGTH) throw new ExpressionError(`a formula of at most ${MAX_LENGTH} characters`, MAX_LENGTH);
  const tokens = tokenize(source);
  let i = 0;
  let depth = 0;
  const peek = () => tokens[i]?.text;
  const here = () => tokens[i]?.at ?? source.length;
  const expect = (text: string) => {
    if (peek() !== text) throw new ExpressionError(`expected "${text}"${peek() === undefined ? " before the end" : ` instead of "${peek()}"`}`, here());
    i++;
  };
  const nested = <T>(parse: () => T): T => {
    if (++depth > MAX_DEPTH) throw new ExpressionError(`nested more than ${MAX_DEPTH} deep`, here());
    const result = parse();
    depth--;
    return result;
  };

  const expr = (): Expr =>
    nested(() => {
      let left = term();
      while (peek() === "+" || peek() === "-") {
        const op = tokens[i++].text as "+" | "-";
        left = { kind: "binary", op, left, right: term() };
      }
      return left;
    });
  const term = (): Expr => {
    let left = unary();
    while (peek() === "*" || peek() === "/") {
      const op = tokens[i++].text as "*" | "/";
      left = { kind: "binary", op, left, right: unary() };
    }
    return left;
  };
  const unary = (): Expr =>
    nested(() => {
      if (peek() === "-") {
        i++;
        return { kind: "negate", arg: unary() };
      }
      if (peek() === "+") {
        i++;
        return unary();
      }
      return power();
    });
  const power = (): Expr => {
    const base = primary();
    if (peek() !== "^") return base;
    i++;
    return { kind: "binary", op: "^", left: base, right: unary() };
  };
  const primary = (): Expr => {
    const token = tokens[i];
    if (token === undefined) throw new ExpressionError("expected a number, x, y, a function or \"(\" before the end", source.length);
    const { text, at } = token;
    if (/^[\d.]/.test(text)) {
      i++;
      return { kind: "number", value: Number(text) };
    }
    if (text === "(") {
      i++;
      const inner = expr();
      expect(")");
      return inner;
    }
    if (/^[A-Za-z]/.test(text)) {
      i++;
      if (text === "x" || text === "y") return { kind: "variable", name: text };
      if (text === "pi") return { kind: "number", value: Math.PI };
      if ((FUNCTIONS as readonly string[]).includes(text)) {
        expect("(");
        const arg = expr();
        expect(")");
        return { kind: "call", fn: text as FunctionName, arg };
      }
      throw new ExpressionError(`unknown name "${text}" (use x, y, pi, ${FUNCTIONS.join(", ")})`, at);
    }
    throw new ExpressionError(`expected a number, x, y, a function or "(" instead of "${text}"`, at);
  };

  const tree = expr();
  if (i < tokens.length) throw new ExpressionError(`unexpected "${tokens[i].text}"`, tokens[i].at);
  return tree;
}
