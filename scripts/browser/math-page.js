// Bundled by scripts/browser/check.mjs for the math page: the digests of the math ports' outputs (and
// of this engine's Math.*) over the golden inputs, which check.mjs compares with the ones Node computes.
import { mathDigests } from "./math-digests.js";

mathDigests(crypto.subtle).then(
  (result) => (globalThis.__result = result),
  (error) => (globalThis.__result = { error: String((error && error.stack) || error) }),
);
