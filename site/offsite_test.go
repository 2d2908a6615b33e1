package site

import "testing"

func TestLinkOffsite(t *testing.T) {
	const origin = "https://feeds.example.org/"
	tests := []struct{ in, want string }{
		{`<p>no media</p>`, `<p>no media</p>`},
		{`<p><img src="https://img.news.example.com/a.jpg" alt="开工现场"/></p>`,
			`<p><a class="offsite" href="https://img.news.example.com/a.jpg" rel="noreferrer">图片: 开工现场</a></p>`},
		{`<img src="https://feeds.example.org/img/a.png" alt="local">`, `<img src="https://feeds.example.org/img/a.png" alt="local">`},
		{`<img src="/img/a.png">`, `<img src="/img/a.png">`},
		{`<img srcset="https://cdn.example.com/a.png 2x" alt="x&quot;y">`,
			`<a class="offsite" href="https://cdn.example.com/a.png" rel="noreferrer">图片: x&#34;y</a>`},
		{`<video src="https://cdn.example.com/v.mp4" controls>fallback</video><p>after</p>`,
			`<a class="offsite" href="https://cdn.example.com/v.mp4" rel="noreferrer">视频</a>fallback<p>after</p>`},
		// Another scheme is another origin.
		{`<img src="http://feeds.example.org/a.png">`, `<a class="offsite" href="http://feeds.example.org/a.png" rel="noreferrer">图片</a>`},
		// Not a web address: named, not linked.
		{`<img src="data:image/png;base64,AAAA" alt="d">`, `<span class="offsite">图片: d</span>`},
	}
	for _, tt := range tests {
		if got := string(LinkOffsite(SafeHTML(tt.in), origin, "zh-CN")); got != tt.want {
			t.Errorf("LinkOffsite(%s)\n got %s\nwant %s", tt.in, got, tt.want)
		}
	}
	if got := string(LinkOffsite(`<img src="https://x.example/a.png">`, origin, "en")); got != `<a class="offsite" href="https://x.example/a.png" rel="noreferrer">Image</a>` {
		t.Errorf("in English: %s", got)
	}
}
