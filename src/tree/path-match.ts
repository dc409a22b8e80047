import { InvalidOptionError } from "../errors.js";

/**
 * Which leaves of a {@link ParamTree} something applies to, by path (`"encoder/layer1/weight"`):
 * - a glob: `*` matches within one path segment, `**` across segments, anything else itself
 *   (`"encoder/**"`: every leaf under encoder; `"encoder/*"`: the leaves directly in encoder);
 * - a `RegExp`, tested against the path;
 * - a function of the path;
 * - an array of these: any of them.
 *
 * @example
 * ```ts
 * const biases: PathMatch = (path) => path.endsWith("bias");
 * const encoder: PathMatch = "encoder/**";
 * const either: PathMatch = [biases, /^embedding/];
 * ```
 */
export type PathMatch = string | RegExp | ((path: string) => boolean) | readonly PathMatch[];

/** `match` (named `argument` in errors) as a predicate on paths. @internal */
export function compilePathMatch(match: unknown, argument: string): (path: string) => boolean {
  if (typeof match === "function") {
    return (path) => {
      const answer: unknown = match(path);
      if (typeof answer !== "boolean") throw new InvalidOptionError(argument, match, `a function returning true or false (it returned ${String(answer)} for "${path}")`);
      return answer;
    };
  }
  if (match instanceof RegExp) {
    const pattern = new RegExp(match.source, match.flags.replace(/[gy]/g, "")); // no lastIndex state between tests
    return (path) => pattern.test(path);
  }
  if (typeof match === "string") {
    if (match === "") throw new InvalidOptionError(argument, match, "a non-empty path or glob");
    const pattern = new RegExp(`^${globSource(match)}$`);
    return (path) => pattern.test(path);
  }
  if (Array.isArray(match)) {
    const parts = match.map((m, i) => compilePathMatch(m, `${argument}[${i}]`));
    return (path) => parts.some((part) => part(path));
  }
  throw new InvalidOptionError(argument, match, "a path or glob, a RegExp, a function of the path, or an array of these");
}

/** A glob's regular expression: `**` any characters, `*` any but `/`, the rest literally. */
function globSource(glob: string): string {
  let source = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === "*" && glob[i + 1] === "*") {
      source += ".*";
      i += 1;
    } else if (c === "*") source += "[^/]*";
    else source += c.replace(/[\\^$.|?+()[\]{}]/g, "\\$&");
  }
  return source;
}
