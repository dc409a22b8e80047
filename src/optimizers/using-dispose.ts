declare global {
  // As in TypeScript's lib.esnext.disposable (and @types/node), for projects whose lib predates it.
  interface SymbolConstructor {
    readonly dispose: unique symbol;
  }
}

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
