#!/usr/bin/env bash
# The package as users install it, from a clean clone of HEAD (so that what is packed is what is
# committed, built by the package's own `prepack`): clone, `npm ci` (or, with
# PACKAGE_LINK_MODULES=1 where the registry is out of reach, this checkout's node_modules linked),
# `npm pack`, install the tarball into an empty project, and check
# that both entry points load (ESM and CommonJS), that strict TypeScript consumers type-check
# against the shipped declarations (moduleResolution nodenext and bundler; TypeScript 5.9 and 5.0), that a browser bundle
# made with esbuild runs, that the core works without code generation from strings, that the
# tarball holds only what it should, and that publint and arethetypeswrong find nothing.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
git -C "$root" rev-parse --verify -q HEAD > /dev/null || { echo "package: $root is not a git checkout with a commit (the package is built from a clean clone)"; exit 1; }
if [ -n "$(git -C "$root" status --porcelain --untracked-files=no)" ]; then
  echo "package: note: uncommitted changes are not tested (the package is built from a clean clone of HEAD)"
fi
git clone --quiet "$root" "$work/clone"
clone="$work/clone"
cd "$clone"
if [ "${PACKAGE_LINK_MODULES:-}" = 1 ]; then
  ln -s "$root/node_modules" node_modules
else
  npm ci --prefer-offline --no-audit --no-fund --loglevel=error > "$work/ci.log" 2>&1 || { cat "$work/ci.log"; exit 1; }
fi
[ ! -e dist ] || { echo "package: a clean clone has a dist/"; exit 1; }
# prepack builds dist/ (its output kept out of the way: stdout would mix with the tarball's name)
npm pack --pack-destination "$work" > "$work/pack.log" 2>&1 || { cat "$work/pack.log"; exit 1; }
tarball="$(cd "$work" && ls gradstep-*.tgz)"
tar -tzf "$work/$tarball" > "$work/contents.txt"
grep -q '^package/dist/index.js$' "$work/contents.txt" && grep -q '^package/dist/learn.d.ts$' "$work/contents.txt" || { echo "package: dist/ is not in the tarball"; exit 1; }
if grep -Ev '^package/(dist/|learn/package.json$|plot/package.json$|package.json$|README.md$|CHANGELOG.md$|LICENSE$|THIRD_PARTY_NOTICES.md$)' "$work/contents.txt"; then
  echo "package: unexpected files in the tarball (above)"; exit 1
fi
if grep -E '\.map$|test|fixtures' "$work/contents.txt"; then echo "package: source maps or tests in the tarball (above)"; exit 1; fi

mkdir "$work/app" && cd "$work/app"
echo '{ "name": "consumer", "private": true, "type": "module" }' > package.json
npm install --silent --no-audit --no-fund "$work/$tarball" > /dev/null
# What the bundle imports (the core: no package; learn: no ndarray, no ndarray-ops), read from the installed files.
node "$clone/scripts/check-bundle-imports.mjs" node_modules/gradstep/dist
# What an install brings besides gradstep itself: the runtime dependencies and theirs.
echo "package: installed besides gradstep: $(ls node_modules | grep -vx gradstep | tr '\n' ' ')($(du -sk --exclude=gradstep node_modules | cut -f1) kB on disk; gradstep $(du -sk node_modules/gradstep | cut -f1) kB)"

cat > esm.mjs <<'JS'
import { Adam, GradstepError, lecture } from "gradstep";
import { dataset, empiricalRisk, EpochSampler, linearRegression, sumOfSquares, udlLinearData } from "gradstep/learn";
const p = new Float64Array(2);
lecture.Adam({ lr: 0.1 }).step(p, Float64Array.of(1, -1));
const J = empiricalRisk(linearRegression(), sumOfSquares(), udlLinearData());
if (J.evaluate(Float64Array.of(0.6, -0.2), null).toFixed(3) !== "12.367") process.exit(2);
try { dataset([], []); process.exit(3); } catch (e) { if (!(e instanceof GradstepError)) process.exit(4); }
// The sampler's shuffle (seedrandom's ARC4 module, imported on its own): the recorded first batch.
const rows = new Int32Array(5);
new EpochSampler({ size: 30, batchSize: 5, seed: 1 }).next(rows);
if (rows.join() !== "15,21,19,26,11") process.exit(10);
if (!(p[0] < 0 && p[1] > 0) || !(new Adam() instanceof Object)) process.exit(5);
import { contourMap, figure, lossCurves } from "gradstep/plot";
const svg = figure([contourMap({ grid: { x: [0, 1, 2], y: [0, 1], values: [3, 1, 2, 4, 0, 5] } }), lossCurves({ series: [{ label: "a", values: [3, 2, 1] }] })]);
if (!svg.startsWith("<svg") || !svg.includes("<path")) process.exit(6);
JS
node esm.mjs
cat > cjs.cjs <<'JS'
const { Adam, GradstepError } = require("gradstep");
const { dataset, EpochSampler } = require("gradstep/learn");
const p = new Float64Array(1);
new Adam({ lr: 0.1 }).step(p, Float64Array.of(1));
try { dataset([], []); process.exit(3); } catch (e) { if (!(e instanceof GradstepError)) process.exit(4); }
// The sampler's shuffle (seedrandom's ARC4 module, imported on its own): the recorded first batch.
const rows = new Int32Array(5);
new EpochSampler({ size: 30, batchSize: 5, seed: 1 }).next(rows);
if (rows.join() !== "15,21,19,26,11") process.exit(10);
if (!(p[0] < 0)) process.exit(5);
const { figure, lossCurves } = require("gradstep/plot");
if (!figure([lossCurves({ series: [{ label: "a", values: [3, 2, 1] }] })]).includes("<path")) process.exit(6);
JS
node cjs.cjs
# gradstep/learn imports and runs with no code generation from strings (as under a CSP without
# 'unsafe-eval'): minimize, and a dataset built from rows and standardized (μ = 2.5, σ = √1.25).
node --disallow-code-generation-from-strings --input-type=module -e 'const l = await import("gradstep/learn"); const { Adam } = await import("gradstep"); const r = l.minimize({ objective: l.rosenbrock(), optimizer: new Adam({ lr: 0.02 }), params: Float64Array.of(-1.2, 1), steps: 500, record: { path: false } }); if (!(r.loss < r.losses[0])) process.exit(10); const s = l.standardize(l.dataset([[1], [2], [3], [4]], [3, 5, 7, 9])); if (s.mean[0] !== 2.5 || s.data.X.get(0, 0) !== -1.5 / Math.sqrt(1.25)) process.exit(12);'
node --disallow-code-generation-from-strings -e 'const l = require("gradstep/learn"); const s = l.standardize(l.syntheticLinear({ size: 20, features: 3, seed: 1 })); if (s.data.X.shape.join() !== "20,3" || !(Math.abs(s.data.X.get(0, 0)) < 10)) process.exit(11);'
node --disallow-code-generation-from-strings -e 'const g = require("gradstep"); const p = new Float64Array(3); new g.RMSProp({ lr: { kind: "cosine", initial: 0.1, final: 0, period: 9 } }).step(p, Float64Array.of(1, 2, 3)); if (!(p[0] < 0)) process.exit(6);'
# Where WebAssembly is unavailable (--jitless removes it, as a strict CSP forbids it) the JavaScript
# kernels run and nothing throws; where it is available, the Wasm SIMD backend is picked and agrees.
node --jitless --no-expose-wasm -e 'const g = require("gradstep"); const p = new Float64Array(5); const o = new g.Adam(); o.step(p, Float64Array.of(1, 2, 3, 4, 5)); const i = g.backendInfo(); if (o.backend !== "js" || i.name !== "js" || !/unavailable/.test(i.reason) || !(p[4] < 0)) process.exit(9);'
node -e 'const g = require("gradstep"); const p = new Float64Array(5); const o = new g.Adam(); o.step(p, Float64Array.of(1, 2, 3, 4, 5)); if (o.backend !== "wasm" || g.backendInfo().name !== "wasm" || !(p[4] < -0.00099 && p[4] > -0.00101)) process.exit(8);'

cat > consumer.ts <<'TS'
import { Adam, type AdamOptions, chain, type Optimizer, pytorch, type Schedule } from "gradstep";
import { empiricalRisk, EpochSampler, minimize, type MinimizeResult, linearRegression, sumOfSquares, udlLinearData } from "gradstep/learn";
import { contourMap, figure, type Panel } from "gradstep/plot";
const panel: Panel = contourMap({ grid: { x: [0, 1], y: [0, 1], values: [1, 2, 3, 4] }, title: "J" });
export const svg: string = figure([panel]);
const lr: Schedule = { kind: "cosine", initial: 0.1, final: 0, period: 100 };
const options: Partial<AdamOptions> = { beta: 0.9 };
const opt: Optimizer = chain([{ kind: "clipByValue", limit: 1 }], new Adam({ ...options, lr }));
const result: MinimizeResult = minimize({
  objective: empiricalRisk(linearRegression(), sumOfSquares(), udlLinearData()),
  optimizer: pytorch.Adam({ lr: 0.01, betas: [0.9, 0.999] }),
  params: Float64Array.of(0, 0),
  sampler: new EpochSampler({ size: 12, batchSize: 4 }),
  steps: 10,
});
export const loss: number = result.loss + opt.stepCount;
// The result's type follows record (strict: no `!`), and misspelt keywords do not compile.
const recorded = minimize({ objective: empiricalRisk(linearRegression(), sumOfSquares(), udlLinearData()), optimizer: new Adam(), params: new Float64Array(2), steps: 3, record: {} });
export const first: number[] = recorded.path[0];
export const losses: number[] = minimize({ objective: empiricalRisk(linearRegression(), sumOfSquares(), udlLinearData()), optimizer: new Adam(), params: new Float64Array(2), steps: 3, record: { path: false } }).losses;
// @ts-expect-error: PyTorch spells it weight_decay
pytorch.AdamW({ weightDecay: 0.1 });
// @ts-expect-error: not a stop criterion
minimize({ objective: empiricalRisk(linearRegression(), sumOfSquares(), udlLinearData()), optimizer: new Adam(), params: new Float64Array(2), steps: 3, stop: { tol: 1e-6 } });
TS
# (in a folder of its own: its tsc would otherwise take the app's node_modules/.bin/tsc)
mkdir oldest-typescript && (cd oldest-typescript && echo '{ "private": true }' > package.json && npm install --silent --no-audit --no-fund typescript@5.0.4 > /dev/null)
for resolution in nodenext bundler; do
  module=$([ "$resolution" = nodenext ] && echo nodenext || echo esnext)
  cat > "tsconfig.$resolution.json" <<JSON
{ "compilerOptions": { "strict": true, "noEmit": true, "module": "$module", "moduleResolution": "$resolution", "target": "es2020", "lib": ["es2020"], "types": [] }, "files": ["consumer.ts"] }
JSON
  node "$clone/node_modules/typescript/bin/tsc" -p "tsconfig.$resolution.json"
  # the oldest TypeScript the declarations support (README): a field typed by inference was emitted
  # as Float64Array<ArrayBuffer>, which TypeScript before 5.7 cannot read
  node oldest-typescript/node_modules/typescript/bin/tsc -p "tsconfig.$resolution.json"
done

cat > browser.js <<'JS'
import { Adam, SGD } from "gradstep";
import { contourMap, figure } from "gradstep/plot";
globalThis.svg = figure([contourMap({ grid: { x: [0, 1, 2], y: [0, 1], values: [3, 1, 2, 4, 0, 5] } })]);
const p = new Float64Array(4);
const opt = new Adam({ lr: 0.1 });
for (let t = 0; t < 5; t++) opt.step(p, Float64Array.of(1, -1, 2, -2));
new SGD({ lr: 0.1, momentum: 0.9 }).step(p, new Float64Array(4));
globalThis.result = Array.from(p);
JS
"$clone/node_modules/.bin/esbuild" browser.js --bundle --format=iife --platform=browser --outfile=bundle.js --log-level=warning
node -e 'const vm = require("node:vm"); const ctx = { Float64Array, Array, Math, Number, Object, Error, JSON, String, Int32Array, Uint8Array, DataView, ArrayBuffer }; vm.createContext(ctx); vm.runInContext(require("node:fs").readFileSync("bundle.js", "utf8"), ctx); if (!(ctx.result[0] < 0) || !ctx.svg.includes("<path")) process.exit(7);'

cd "$clone"
npx --no-install publint --strict > "$work/publint.txt" 2>&1 || { cat "$work/publint.txt"; exit 1; }
npx --no-install attw "$work/$tarball" > "$work/attw.txt" 2>&1 || { cat "$work/attw.txt"; exit 1; }
echo "package: packed from a clean clone (prepack built dist/), installed from the tarball, ESM and CommonJS load (gradstep, gradstep/learn, gradstep/plot), TypeScript (nodenext, bundler) type-checks, the esbuild browser bundle runs, no code generation needed, publint and attw clean"
