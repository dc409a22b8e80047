// The markdown-it plugin that renders the site's math (scripts/docs/markdown-katex.mjs).
import MarkdownIt from "markdown-it";
import { describe, expect, test } from "vitest";
// @ts-expect-error: a plain .mjs module of the docs build, without type declarations
import { markdownKatex } from "../../scripts/docs/markdown-katex.mjs";

const md = new MarkdownIt().use(markdownKatex);

describe("markdown-katex", () => {
  test("```math fences become display math", () => {
    const html = md.render("```math\n\\theta_{t+1} = \\theta_t - \\eta g\n```\n");
    expect(html).toContain('<div class="math-display"><span class="katex-display">');
    expect(html).not.toContain("<code");
  });

  test("$…$ becomes inline math; prices, spaced dollars and code stay text", () => {
    expect(md.render("cost $101^p$ for $p$ parameters")).toMatch(/cost <span class="katex">.*<\/span> for <span class="katex">/);
    expect(md.render("between $5 and $10")).toBe("<p>between $5 and $10</p>\n");
    expect(md.render("a $ x$ b")).toBe("<p>a $ x$ b</p>\n");
    expect(md.render("`$x$`")).toBe("<p><code>$x$</code></p>\n");
  });

  test("other fences are left to markdown-it", () => {
    expect(md.render("```ts\nconst x = 1;\n```\n")).toContain('<code class="language-ts">');
  });

  test("broken LaTeX fails the build instead of shipping a red error", () => {
    expect(() => md.render("```math\n\\frac{1}{\n```\n")).toThrow(/KaTeX parse error/);
  });
});
