import { InvalidOptionError } from "../errors.js";

/** How one foreign keyword maps onto gradstep options: a name, or a function for pairs like `betas`. */
export type KeywordMap = Record<string, string | ((value: unknown) => Record<string, unknown>)>;

/** A function for a pair such as PyTorch's `betas: [β1, β2]` → `{ beta, gamma }`. */
export function pair(keyword: string, first: string, second: string): (value: unknown) => Record<string, unknown> {
  return (value) => {
    if (!Array.isArray(value) || value.length !== 2) throw new InvalidOptionError(keyword, value, `a pair [${first}, ${second}]`);
    return { [first]: value[0], [second]: value[1] };
  };
}

/**
 * Builds an optimizer from another library's keyword arguments: each known keyword is renamed (or
 * split), `ignored` keywords are dropped, anything else is an error; `fixed` options (the
 * convention) come last and cannot be overridden. Errors from the optimizer name the foreign keyword.
 */
export function translate<T>(
  owner: string,
  given: unknown,
  keywords: KeywordMap,
  fixed: Record<string, unknown>,
  ignored: readonly string[],
  build: (options: Record<string, unknown>) => T,
): T {
  if (given === undefined) given = {};
  if (typeof given !== "object" || given === null || Array.isArray(given)) {
    throw new InvalidOptionError("options", given, `an object with the keyword arguments of ${owner}`);
  }
  const options: Record<string, unknown> = {};
  const origin: Record<string, string> = {};
  for (const key of Object.keys(given)) {
    const value = (given as Record<string, unknown>)[key];
    if (ignored.includes(key)) continue;
    if (!Object.prototype.hasOwnProperty.call(keywords, key)) {
      throw new InvalidOptionError(key, value, `one of ${owner}'s keyword arguments: ${Object.keys(keywords).join(", ")}`, "unknown option");
    }
    const target = keywords[key];
    const mapped = typeof target === "string" ? { [target]: value } : target(value);
    for (const name of Object.keys(mapped)) {
      options[name] = mapped[name];
      origin[name] = typeof target === "string" ? key : `${key}[${Object.keys(mapped).indexOf(name)}]`;
    }
  }
  try {
    return build({ ...options, ...fixed });
  } catch (e) {
    if (e instanceof InvalidOptionError && origin[e.argument]) {
      throw new InvalidOptionError(origin[e.argument], e.value, e.expected);
    }
    throw e;
  }
}
