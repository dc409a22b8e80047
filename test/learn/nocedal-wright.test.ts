import { describe, expect, it } from "vitest";
import { type LineFunction, NocedalWrightSearch, NocedalWrightStatus } from "../../src/search/nocedal-wright-wolfe.js";
import { fromHex, linePhi, scipySolvers } from "./scipy-fixture.js";

describe("NocedalWrightSearch against scipy 1.10's scalar_search_wolfe2", () => {
  const cases = scipySolvers.wolfe2;
  it("has found and failed cases, zooms among them", () => {
    expect(cases.length).toBeGreaterThan(60);
    expect(cases.some((c) => c.alpha === null)).toBe(true);
    expect(cases.some((c) => c.calls.length > 10)).toBe(true);
  });

  it.each(cases.map((c, i) => [i, c] as const))("case %i makes the same calls at the same steps and ends the same", (_, c) => {
    const f = linePhi(c.function, c.parameters);
    const calls: [string, number][] = [];
    const out = new Float64Array(4);
    const line: LineFunction = {
      out,
      value() {
        calls.push(["f", out[3]]);
        out[0] = f(out[3])[0];
      },
      slope() {
        calls.push(["g", out[3]]);
        out[1] = f(out[3])[1];
      },
      accept: () => true,
    };
    const [f0, g0] = f(0);
    const search = new NocedalWrightSearch();
    const status = search.search(line, f0, c.oldPhi0 ?? NaN, g0, 1e-4, c.c2, 1e100, 10);
    expect(calls).toEqual(c.calls.map(([kind, a]) => [kind, fromHex(a)]));
    if (c.alpha === null) expect(status).toBe(NocedalWrightStatus.Failed);
    else {
      expect(status).toBe(c.derphi === null ? NocedalWrightStatus.MaxIterations : NocedalWrightStatus.Found);
      expect(search.alpha).toBe(fromHex(c.alpha));
      expect(search.phi).toBe(fromHex(c.phi!));
      if (c.derphi !== null) expect(search.derphi).toBe(fromHex(c.derphi));
    }
  });

  it("stops at once when the line function sets out[2]", () => {
    const out = new Float64Array(4);
    const line: LineFunction = { out, value: () => { out[0] = NaN; out[2] = 1; }, slope: () => {}, accept: () => true };
    expect(new NocedalWrightSearch().search(line, 1, NaN, -1, 1e-4, 0.9, 1e100, 10)).toBe(NocedalWrightStatus.Stopped);
  });
});
