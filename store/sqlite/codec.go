package sqlite

import "database/sql"

// collectStrings adds the values of one-column rows to set; err is the
// query's, so a call can take a query's two results as they come.
func collectStrings(rows *sql.Rows, err error, set map[string]bool) error {
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return err
		}
		set[s] = true
	}
	return rows.Err()
}
