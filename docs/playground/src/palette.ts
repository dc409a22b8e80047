// One colour per run, the same on the map and in the loss curves: Okabe and Ito's colour-blind-safe
// palette, drawn over a dark outline on the map so that each stays visible on every level.
export const RUN_COLORS = ["#d55e00", "#56b4e9", "#cc79a7", "#e69f00"] as const;
