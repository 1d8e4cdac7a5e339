/** The routing graph (`netkit graph`): model, layout and the self-contained HTML page. */
export * from './model';
export { buildGraph, graphFromObjects, type GraphFromObjectsOptions, type GraphInput, type GraphSource } from './build';
export { GraphBuilder, type NodeSpec } from './builder';
export { graphForNamespace } from './namespace';
export { addDeniedEdges, DEFAULT_DENIED_LIMIT, type DeniedCount } from './policy';
export { CHAR_WIDTH, layoutGraph, SIZES, wrapLabel, type GraphLayout, type LayoutBand, type LayoutBox, type LayoutColumn, type LayoutGroup, type Rect } from './layout';
export { renderGraphHtml, type HtmlOptions } from './html';
export { escapeHtml, jsonForScript } from './escape';
