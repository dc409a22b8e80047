// gradstep/plot: the lecture's figures as SVG strings, in Node and in browsers, without a DOM.
export { type ContourMapOptions, contourMap, type GridValues, type MarkerSpec, type PathSpec } from "./plot/contour-map.js";
export { type FigureOptions, figure } from "./plot/figure.js";
export { type LossCurvesOptions, lossCurves, type Series } from "./plot/loss-curves.js";
export { DASHES, PALETTE } from "./plot/palette.js";
export type { Panel, PanelOptions } from "./plot/panel.js";
