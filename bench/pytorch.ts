// PyTorch's numbers beside gradstep's, when /usr/bin/python3 can import torch (Debian's
// python3-torch): Adam's step at each size and the end-to-end run on the very same data and batches.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export interface PyTorchResult {
  torch: string;
  adam: Record<string, number>;
  endToEnd: { seconds: number; loss: number };
}

const PYTHON = "/usr/bin/python3";

/** Whether PyTorch is there to compare with. */
export function pytorchAvailable(): boolean {
  return spawnSync(PYTHON, ["-c", "import torch, numpy"], { stdio: "ignore" }).status === 0;
}

/** Runs bench/pytorch_baseline.py on the given sizes and end-to-end data; undefined if it fails. */
export function runPyTorch(sizes: number[], samples: number, X: Float64Array, y: Float64Array, d: number, batches: Int32Array[]): PyTorchResult | undefined {
  const directory = mkdtempSync(join(tmpdir(), "gradstep-torch-"));
  try {
    writeFileSync(join(directory, "spec.json"), JSON.stringify({ sizes, samples, n: y.length, d }));
    writeFileSync(join(directory, "X.f64"), new Uint8Array(X.buffer, X.byteOffset, X.byteLength));
    writeFileSync(join(directory, "y.f64"), new Uint8Array(y.buffer, y.byteOffset, y.byteLength));
    const padded = new Int32Array(batches.length * 64).fill(-1);
    batches.forEach((batch, k) => padded.set(batch, k * 64));
    writeFileSync(join(directory, "batches.i32"), new Uint8Array(padded.buffer));
    const script = fileURLToPath(new URL("./pytorch_baseline.py", import.meta.url));
    const run = spawnSync(PYTHON, [script, directory], { encoding: "utf8", maxBuffer: 1 << 20 });
    if (run.status !== 0) {
      process.stderr.write(`PyTorch baseline failed: ${run.stderr}\n`);
      return undefined;
    }
    return JSON.parse(run.stdout) as PyTorchResult;
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
