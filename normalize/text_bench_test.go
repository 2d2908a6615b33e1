package normalize

import (
	"strings"
	"testing"
)

// textBenchHTML is a news story as a feed carries it: a heading,
// paragraphs of Chinese and English with links and emphasis, a list.
var textBenchHTML = "<h2>日照日报 2887</h2>\n" + strings.Repeat(
	"<p>我们在周末去了一趟山里，拍了很多照片。 <a href=\"https://example.org/n\">日照市</a>的春天来得比较晚，海边的风依然很冷。</p>\n"+
		"<p>Caching the <em>rendered</em> bytes makes serving almost free. We measured the handler against nginx.</p>\n"+
		"<ul><li>A conditional GET saves the upstream a full response.</li><li>读完这本书以后。</li></ul>\n", 8)

func BenchmarkText(b *testing.B) {
	b.SetBytes(int64(len(textBenchHTML)))
	for b.Loop() {
		Text(textBenchHTML)
	}
}

func BenchmarkTextPrefix(b *testing.B) {
	b.SetBytes(int64(len(textBenchHTML)))
	for b.Loop() {
		textPrefix(textBenchHTML, 201)
	}
}
