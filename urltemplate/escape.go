// Package urltemplate makes text/template URL templates (a json source's
// detail.url, fields.link and fields.image) safe for the values placed in
// them: every action's value is escaped for the part of the URL it stands
// in, found from the literal text before it, so that no value can change
// the URL's host or path, add query parameters or a fragment.
//
// The escaping is added to the parsed template itself, by appending an
// escaping function to the pipeline of each action, as html/template does.
package urltemplate

import (
	"errors"
	"fmt"
	"text/template"
	"text/template/parse"
)

// Shape is what Escape learned about a template.
type Shape struct {
	// Origin is the scheme and authority the template's literal text
	// fixes ("http://127.0.0.1:8099"), as written; "" when a value
	// decides them (the template starts with an action, an action
	// stands in the host, or an action uses url).
	Origin string
	// Raw is set when some value goes in unescaped: through url, or as
	// a whole URL at the template's start.
	Raw bool
}

// Escape rewrites t, parsed with Funcs, so that each action's value is
// escaped for where it stands:
//
//   - at the start (no literal text before it): a whole URL, unescaped;
//   - in the host ("https://{{.site}}.example.org/"), the path
//     ("/detail/{{.id}}"), the query ("?id={{.id}}") or the fragment:
//     percent-encoded (everything but A–Z a–z 0–9 - . _ ~), and in the
//     path a value of only dots ("." or "..") as %2E, so that it cannot
//     be a dot-segment;
//   - through url ({{url .link}} or {{.link | url}}): unescaped, for a
//     field that holds a whole URL.
//
// A urlquery at the end of an action is replaced by the escaping of its
// place, so a value is never escaped twice. {{if}}, {{with}} and
// {{range}} may hold actions as long as every branch ends in the same
// part of the URL it would otherwise; {{template}} and {{block}} are
// refused. Escape must be called once, before t is executed.
func Escape(t *template.Template) (Shape, error) {
	if t.Tree == nil || t.Root == nil {
		return Shape{}, errors.New("empty template")
	}
	e := &escaper{}
	if _, err := e.list(t.Root, partStart); err != nil {
		return Shape{}, err
	}
	s := Shape{Raw: e.raw}
	if nodes := t.Root.Nodes; !e.raw && !e.host && len(nodes) > 0 {
		if text, ok := nodes[0].(*parse.TextNode); ok {
			s.Origin = literalOrigin(string(text.Text), len(nodes) == 1)
		}
	}
	return s, nil
}

// escaper walks a template's tree, keeping what it found.
type escaper struct {
	raw  bool // a value goes in unescaped
	host bool // a value stands in the host
}

// list escapes the actions of l, which starts in part p, and returns the
// part it ends in.
func (e *escaper) list(l *parse.ListNode, p part) (part, error) {
	if l == nil {
		return p, nil
	}
	for _, n := range l.Nodes {
		var err error
		switch n := n.(type) {
		case *parse.TextNode:
			p = p.after(string(n.Text))
		case *parse.ActionNode:
			p = e.action(n, p)
		case *parse.IfNode:
			p, err = e.branches("if", n.List, n.ElseList, p)
		case *parse.WithNode:
			p, err = e.branches("with", n.List, n.ElseList, p)
		case *parse.RangeNode:
			p, err = e.loop(n, p)
		case *parse.TemplateNode:
			err = fmt.Errorf("{{template %q}} is not allowed in a URL template", n.Name)
		case *parse.CommentNode, *parse.BreakNode, *parse.ContinueNode:
			// no output
		default:
			err = fmt.Errorf("%s is not allowed in a URL template", n)
		}
		if err != nil {
			return p, err
		}
	}
	return p, nil
}

// action makes n's value escaped for part p, and returns the part after it.
func (e *escaper) action(n *parse.ActionNode, p part) part {
	pipe := n.Pipe
	if len(pipe.Decl) > 0 {
		return p // {{$x := .a}} prints nothing
	}
	last := lastIdent(pipe)
	switch {
	case last == "url" || p == partStart:
		// A whole URL: what follows it is in its path at least, and
		// escaped as strictly as anywhere.
		e.raw = true
		return max(p, partPath)
	case p == partHost:
		e.host = true
	}
	name := funcFor[p]
	if last == "urlquery" {
		pipe.Cmds[len(pipe.Cmds)-1].Args[0] = ident(name, n.Position())
		return p
	}
	pipe.Cmds = append(pipe.Cmds, &parse.CommandNode{NodeType: parse.NodeCommand, Pos: n.Position(),
		Args: []parse.Node{ident(name, n.Position())}})
	return p
}

// branches escapes the two branches of an {{if}} or {{with}}; they must
// end in the same part, or what follows could not be escaped right. A
// branch that writes nothing yet (at the template's start) takes the
// other's part: escaping for the path or later is never weaker.
func (e *escaper) branches(keyword string, then, els *parse.ListNode, p part) (part, error) {
	a, err := e.list(then, p)
	if err != nil {
		return p, err
	}
	b, err := e.list(els, p)
	if err != nil {
		return p, err
	}
	return join(keyword, a, b)
}

func join(keyword string, a, b part) (part, error) {
	switch {
	case a == b || b == partStart:
		return a, nil
	case a == partStart:
		return b, nil
	}
	return a, fmt.Errorf("the branches of {{%s}} end in different parts of the URL (%s and %s)", keyword, a, b)
}

// loop escapes a {{range}}, whose body must end in the part it starts in,
// so that every turn is escaped alike.
func (e *escaper) loop(n *parse.RangeNode, p part) (part, error) {
	body, err := e.list(n.List, p)
	if err != nil {
		return p, err
	}
	if body != p {
		return p, fmt.Errorf("{{range}} starts in the %s of the URL and ends in its %s", p, body)
	}
	els, err := e.list(n.ElseList, p)
	if err != nil {
		return p, err
	}
	return join("range", body, els)
}

// lastIdent returns the function that ends pipe ("url" in {{.a | url}}),
// or "" when it does not end in a function.
func lastIdent(pipe *parse.PipeNode) string {
	if len(pipe.Cmds) == 0 {
		return ""
	}
	args := pipe.Cmds[len(pipe.Cmds)-1].Args
	if len(args) == 0 {
		return ""
	}
	if id, ok := args[0].(*parse.IdentifierNode); ok {
		return id.Ident
	}
	return ""
}

func ident(name string, pos parse.Pos) *parse.IdentifierNode {
	return parse.NewIdentifier(name).SetTree(nil).SetPos(pos)
}
