// A markdown-it plugin for typedoc's parser (its `markdownItLoader` hook): ```math fences become
// display math and $…$ inline math, rendered to HTML by KaTeX when the site is built (the pages
// need only KaTeX's stylesheet and fonts). Broken LaTeX fails the build.
import katex from "katex";

const render = (tex, displayMode) => katex.renderToString(tex, { displayMode, throwOnError: true, strict: "error", output: "html" });

/** @param {import("markdown-it").default} md */
export function markdownKatex(md) {
  const fence = md.renderer.rules.fence;
  md.renderer.rules.fence = (tokens, index, options, env, self) => {
    const token = tokens[index];
    if (token.info.trim() === "math") return `<div class="math-display">${render(token.content, true)}</div>\n`;
    return fence(tokens, index, options, env, self);
  };
  // $…$ on one line, not touching spaces on the inside ($ x$ is text), and (as pandoc) not closed by
  // a $ followed by a digit, so that "$5 and $10" stays text.
  md.inline.ruler.after("escape", "math_inline", (state, silent) => {
    const start = state.pos;
    if (state.src.charCodeAt(start) !== 0x24 /* $ */) return false;
    const end = state.src.indexOf("$", start + 1);
    if (end < 0) return false;
    const tex = state.src.slice(start + 1, end);
    if (tex.length === 0 || /^\s|\s$/.test(tex) || tex.includes("\n") || /\d/.test(state.src.charAt(end + 1))) return false;
    if (!silent) {
      const token = state.push("math_inline", "math", 0);
      token.content = tex;
    }
    state.pos = end + 1;
    return true;
  });
  md.renderer.rules.math_inline = (tokens, index) => render(tokens[index].content, false);
}
