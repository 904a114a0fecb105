//! Small-cell suppression for participation statistics published to callers without rights to
//! personal data.
//!
//! A cell of 1 to 4 people is suppressed (primary suppression). A user who can also query the
//! same table with one dimension fewer learns each line's total (a line is the cells that share
//! every key but one), so a line with exactly one suppressed cell would give it away; in such a
//! line the smallest shown cell is suppressed too (complementary suppression), repeatedly, until
//! every line holds no suppressed cell or at least two. A complement is never a cell that is
//! alone in some other line: that line's total would be the complement itself, shown in the
//! coarser grouping, and would undo the protection. (A primary cell alone in a line is safe: its
//! line total is under 5 as well, so the coarser grouping hides it too.)

use std::collections::HashMap;
use std::hash::Hash;

/// Cells of fewer people than this (and more than none) are never shown.
pub const MIN_SHOWN: i64 = 5;

/// Which cells to hide. `cells` are (key per dimension, count); every key has as many parts.
pub fn suppressed<K: Clone + Eq + Hash + Ord>(cells: &[(Vec<K>, i64)]) -> Vec<bool> {
    let mut hidden: Vec<bool> = cells
        .iter()
        .map(|(_, n)| (1..MIN_SHOWN).contains(n))
        .collect();
    let dimensions = cells.first().map_or(0, |(key, _)| key.len());
    let mut alone = vec![false; cells.len()];
    for dropped in 0..dimensions {
        for line in lines(cells, dropped) {
            if let [only] = line[..] {
                alone[only] = true;
            }
        }
    }
    loop {
        let mut changed = false;
        for dropped in 0..dimensions {
            for line in lines(cells, dropped) {
                if line.iter().filter(|&&i| hidden[i]).count() != 1 {
                    continue;
                }
                // The smallest shown cell not alone in another line (any shown cell if there is
                // none), ties broken by key, so results are reproducible.
                let smallest = |safe_only: bool| {
                    line.iter()
                        .copied()
                        .filter(|&i| !hidden[i] && cells[i].1 > 0 && !(safe_only && alone[i]))
                        .min_by(|&a, &b| (cells[a].1, &cells[a].0).cmp(&(cells[b].1, &cells[b].0)))
                };
                let partner = smallest(true).or_else(|| smallest(false));
                if let Some(i) = partner {
                    hidden[i] = true;
                    changed = true;
                }
            }
        }
        if !changed {
            return hidden;
        }
    }
}

/// Indices of cells grouped by their key without dimension `dropped`.
fn lines<K: Clone + Eq + Hash>(cells: &[(Vec<K>, i64)], dropped: usize) -> Vec<Vec<usize>> {
    let mut by_rest: HashMap<Vec<K>, Vec<usize>> = HashMap::new();
    for (i, (key, _)) in cells.iter().enumerate() {
        let mut rest = key.clone();
        rest.remove(dropped);
        by_rest.entry(rest).or_default().push(i);
    }
    let mut lines: Vec<Vec<usize>> = by_rest.into_values().collect();
    lines.sort();
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(rows: &[(&str, &str, i64)]) -> Vec<(Vec<String>, i64)> {
        rows.iter()
            .map(|(a, b, n)| (vec![(*a).to_owned(), (*b).to_owned()], *n))
            .collect()
    }

    #[test]
    fn a_small_cell_and_its_smallest_neighbour_are_hidden() {
        let cells = vec![
            (vec!["WOMAN"], 40),
            (vec!["MAN"], 20),
            (vec!["NON_BINARY"], 2),
        ];
        assert_eq!(suppressed(&cells), vec![false, true, true]);
    }

    #[test]
    fn no_line_of_a_two_way_table_keeps_a_single_hidden_cell() {
        let cells = table(&[
            ("SE", "WOMAN", 30),
            ("SE", "MAN", 12),
            ("SE", "NON_BINARY", 1),
            ("FI", "WOMAN", 25),
            ("FI", "MAN", 9),
            ("FI", "NON_BINARY", 7),
            ("PL", "WOMAN", 18),
            ("PL", "MAN", 6),
        ]);
        let hidden = suppressed(&cells);
        assert!(hidden[2], "the cell of one person");
        for dropped in 0..2 {
            for line in lines(&cells, dropped) {
                let n = line.iter().filter(|&&i| hidden[i]).count();
                assert_ne!(n, 1, "line {line:?} would give its hidden cell away");
            }
        }
    }

    #[test]
    fn a_complement_is_not_a_cell_alone_in_another_line() {
        // (FI, MAN) is the smallest neighbour of (FI, NON_BINARY) but the only MAN cell: its
        // line total (all men) would reveal it, so (FI, WOMAN) is hidden instead.
        let cells = table(&[
            ("FI", "MAN", 6),
            ("FI", "NON_BINARY", 2),
            ("FI", "WOMAN", 30),
            ("SE", "NON_BINARY", 3),
            ("SE", "WOMAN", 40),
        ]);
        assert_eq!(suppressed(&cells), vec![false, true, true, true, true]);
    }

    #[test]
    fn nothing_is_hidden_when_every_cell_is_large_enough() {
        let cells = table(&[("SE", "WOMAN", 5), ("SE", "MAN", 9)]);
        assert_eq!(suppressed(&cells), vec![false, false]);
    }

    #[test]
    fn a_total_of_fewer_than_five_is_hidden() {
        let cells: Vec<(Vec<String>, i64)> = vec![(vec![], 4)];
        assert_eq!(suppressed(&cells), vec![true]);
    }
}
