// Play, pause, step and reset: how many steps of the computed paths are drawn. While playing, each
// animation frame advances `speed` steps (requestAnimationFrame), and stops at the last step of the
// longest path; a shorter path (a run's own budget, or a run that stopped early) stays whole from
// its last step on.
export class Player {
  shown = 0;
  total = 0;
  speed = 1;
  private frame: number | null = null;

  constructor(private readonly draw: (shown: number, playing: boolean) => void) {}

  get playing(): boolean {
    return this.frame !== null;
  }

  /** New paths of `total` steps: back to step 0. */
  load(total: number): void {
    this.total = total;
    this.shown = 0;
    this.draw(0, this.playing);
  }

  play(): void {
    if (this.frame !== null) return;
    if (this.shown >= this.total) this.shown = 0;
    const tick = () => {
      this.shown = Math.min(this.shown + this.speed, this.total);
      this.frame = this.shown < this.total ? requestAnimationFrame(tick) : null;
      this.draw(this.shown, this.playing);
    };
    this.frame = requestAnimationFrame(tick);
    this.draw(this.shown, true);
  }

  pause(): void {
    if (this.frame !== null) cancelAnimationFrame(this.frame);
    this.frame = null;
    this.draw(this.shown, false);
  }

  step(): void {
    this.pause();
    this.shown = Math.min(this.shown + 1, this.total);
    this.draw(this.shown, false);
  }

  reset(): void {
    this.pause();
    this.shown = 0;
    this.draw(0, false);
  }
}
