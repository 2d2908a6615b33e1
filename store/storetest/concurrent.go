package storetest

import (
	"fmt"
	"sync"
	"testing"

	"github.com/feedsmith/feedsmith/article"
)

// testConcurrentSaves saves several sources at once, as the scheduler
// does, while readers render; run it with -race.
func testConcurrentSaves(t *testing.T, open Opener) {
	const sources, perSource, rounds = 8, 25, 4
	s := open(t)
	ctx := t.Context()
	var writers, readers sync.WaitGroup
	done := make(chan struct{})
	for i := range sources {
		writers.Go(func() {
			src := fmt.Sprintf("s%d", i)
			for r := range rounds {
				arts := make([]article.Article, 0, perSource+1)
				for j := range perSource {
					arts = append(arts, edited(art(fmt.Sprintf("%s-%d", src, j), j, "all", src), fmt.Sprint(r)))
				}
				shared := art(src+"-shared", 1, "all") // every source has it, under its own id
				shared.Link = "https://example.org/shared"
				arts = append(arts, shared)
				if _, err := s.Save(ctx, src, arts, at(100+r)); err != nil {
					t.Errorf("save %s round %d: %v", src, r, err)
				}
			}
		})
	}
	for range 3 {
		readers.Go(func() {
			for {
				select {
				case <-done:
					return
				default:
				}
				if _, err := s.Articles(ctx, "all", 50); err != nil {
					t.Errorf("read: %v", err)
				}
				if _, err := s.Categories(ctx); err != nil {
					t.Errorf("categories: %v", err)
				}
			}
		})
	}
	writers.Wait()
	close(done)
	readers.Wait()
	checkEqual(t, "articles", len(articles(t, s, "all", 0)), sources*perSource+1)
	checkEqual(t, "one source's", len(articles(t, s, "s3", 0)), perSource)
}
