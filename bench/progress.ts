// A progress bar with an estimate of the time left, on stderr (so --json/--md output stays clean).

export interface Progress {
  /** Marks one unit of work done, with a label for what comes next. */
  tick(label: string): void;
  /** Clears the bar. */
  done(): void;
}

export function progress(total: number, enabled = process.stderr.isTTY ?? false): Progress {
  const start = Date.now();
  let done = 0;
  const draw = (label: string) => {
    if (!enabled) return;
    const elapsed = (Date.now() - start) / 1000;
    const left = done > 0 ? (elapsed / done) * (total - done) : NaN;
    const width = 24;
    const filled = Math.round((done / total) * width);
    const eta = Number.isFinite(left) ? `${Math.ceil(left)} s left` : "estimating";
    process.stderr.write(`\r[${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total} ${eta}  ${label.padEnd(40).slice(0, 40)}`);
  };
  return {
    tick(label) {
      done++;
      draw(label);
    },
    done() {
      if (enabled) process.stderr.write(`\r${" ".repeat(100)}\r`);
    },
  };
}
