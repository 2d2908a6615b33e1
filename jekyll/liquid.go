package jekyll

import "strings"

// Jekyll renders a post's body as Liquid before it converts the Markdown,
// so upstream text such as "{{ site.deploy_token }}" or
// "{% include footer.html %}" would run on the operator's site. Two
// defences, either one enough on its own:
//
//   - every post's front matter says render_with_liquid: false, which
//     Jekyll 4.0 and later obey: the body is not rendered as Liquid at all;
//   - the body holds no "{" (see noLiquid), so on any Jekyll, also one
//     that ignores render_with_liquid (Jekyll 3 renders every post as
//     Liquid), there is no "{{" or "{%" for Liquid to find: every Liquid
//     version starts its tags and outputs with those two pairs only.
//
// {% raw %} … {% endraw %} around the body is not used: Jekyll 4 leaves
// it unrendered under render_with_liquid: false and would show the
// markers on the page, and on Jekyll 3 an excerpt cut inside the block,
// or a "{%- endraw -%}" in the text, breaks it.

// liquidBrace is "{" as a numeric character reference: HTML shows it as
// "{" in text and in attribute values, and Markdown shows it as "{"
// everywhere but in a code span or code block, which feedsmith never
// writes.
const liquidBrace = "&#123;"

// noLiquid replaces every "{" of s, a part of a post's body in HTML or
// Markdown text, with its character reference, so that Liquid finds no
// tag or output in it and the page shows the same text.
func noLiquid(s string) string {
	return strings.ReplaceAll(s, "{", liquidBrace)
}
