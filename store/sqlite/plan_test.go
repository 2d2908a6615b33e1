package sqlite

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// TestQueryPlans checks that the newest articles of a category, or of
// all, are read from an index in feed order, not by scanning and sorting.
func TestQueryPlans(t *testing.T) {
	s := openTest(t, filepath.Join(t.TempDir(), "feedsmith.db"))
	if _, err := s.Save(t.Context(), "src", batch(0, 2000), now); err != nil {
		t.Fatal(err)
	}
	for _, analyzed := range []bool{false, true} {
		if analyzed {
			exec(t, s.write, "ANALYZE") // as PRAGMA optimize may
		}
		t.Run(fmt.Sprintf("analyzed=%v", analyzed), func(t *testing.T) { checkPlans(t, s) })
	}
}

func checkPlans(t *testing.T, s *Store) {
	tests := []struct {
		name     string
		category string
		index    string
	}{
		{"category", "cat3", "article_categories_newest"},
		{"all", "", "articles_newest"},
	}
	for _, tt := range tests {
		for _, filter := range []bool{false, true} { // without and with removed sources
			page, args := pageQuery(tt.category, 50, filter)
			for name, q := range map[string]string{"page": page, "articles": articlesQuery(page), "categories": categoriesQuery(page, filter)} {
				t.Run(fmt.Sprintf("%s/%s/filter=%v", tt.name, name, filter), func(t *testing.T) {
					plan := queryPlan(t, s, q, args...)
					if !strings.Contains(plan, "INDEX "+tt.index) {
						t.Errorf("plan does not use %s:\n%s", tt.index, plan)
					}
					if name == "page" && strings.Contains(plan, "TEMP B-TREE") {
						t.Errorf("plan sorts:\n%s", plan)
					}
				})
			}
		}
	}
}

// TestCategorySourcesPlan checks that each step of CategorySources is
// one seek in an index: a scan would read every category row of the
// store for each (category, source) pair.
func TestCategorySourcesPlan(t *testing.T) {
	s := openTest(t, filepath.Join(t.TempDir(), "feedsmith.db"))
	if _, err := s.Save(t.Context(), "src", batch(0, 200), now); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, query, seek string }{
		{"category", nextCategoryQuery, "(category>?)"},
		{"source", nextSourceQuery, "INDEX article_categories_filers (category=? AND filed_by>?)"},
	}
	for _, tt := range tests {
		plan := queryPlan(t, s, tt.query, "cat3", "src")
		if !strings.Contains(plan, "SEARCH article_categories USING COVERING INDEX") || !strings.Contains(plan, tt.seek) || strings.Contains(plan, "TEMP B-TREE") {
			t.Errorf("%s step is not a seek %s:\n%s", tt.name, tt.seek, plan)
		}
	}
	// The other filers are read from their own table, each checked by a
	// key lookup, not by a scan of every category row.
	if plan := queryPlan(t, s, otherFilersQuery); !strings.Contains(plan, "SCAN f") || strings.Contains(plan, "SCAN c") {
		t.Errorf("other filers are not read from their table:\n%s", plan)
	}
}

func queryPlan(t *testing.T, s *Store, q string, args ...any) string {
	t.Helper()
	rows, err := s.read.QueryContext(t.Context(), "EXPLAIN QUERY PLAN "+q, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan strings.Builder
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan.WriteString(detail + "\n")
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return plan.String()
}
