// Symbol.dispose is declared for older libs in optimizer.ts, whose types every user's build reads.

/**
 * Lets `using x = new C()` (explicit resource management) call `dispose()` at the end of the block,
 * where the runtime has `Symbol.dispose`; elsewhere it does nothing.
 * @internal
 */
export function disposeWithUsing(target: { prototype: { dispose(): void } }): void {
  if (typeof Symbol.dispose !== "symbol") return;
  Object.defineProperty(target.prototype, Symbol.dispose, {
    value: function (this: { dispose(): void }) {
      this.dispose();
    },
    writable: true,
    configurable: true,
  });
}
