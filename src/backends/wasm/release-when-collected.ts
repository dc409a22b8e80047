import type { WasmRuntime } from "./wasm-runtime.js";

/** Gives blocks back when their owner is garbage-collected without having given them back itself. */
const registry =
  typeof FinalizationRegistry === "function"
    ? new FinalizationRegistry<{ rt: WasmRuntime; addresses: readonly number[] }>(({ rt, addresses }) => {
        for (const address of addresses) if (address !== 0) rt.release(address);
      })
    : undefined;

/**
 * Has `rt` take back the blocks at `addresses` (0 for none) once `owner` is garbage-collected, unless
 * {@link keepWhenCollected} is called first: an optimizer's state, a tree's staged gradients, dropped
 * without dispose(), so that Wasm memory stays bounded.
 * @internal
 */
export function releaseWhenCollected(owner: object, rt: WasmRuntime, addresses: readonly number[]): void {
  registry?.register(owner, { rt, addresses }, owner);
}

/** Cancels {@link releaseWhenCollected} for `owner` (it gave its blocks back itself). @internal */
export function keepWhenCollected(owner: object): void {
  registry?.unregister(owner);
}
