//! Cell key perturbation for participation statistics published to callers without rights to
//! personal data (the ABS TableBuilder method, recommended by Eurostat for the 2021 census).
//!
//! Suppression is undone by differencing: the totals of a set of workshops and of the same set
//! plus one workshop are both large enough to show, and their difference is the workshop's hidden
//! cell. Instead, every registration gets a random record key when it is inserted, never changed
//! and never shown. A cell's key is the sum of its records' keys modulo `KEY_RANGE`, and the
//! published count is the true count plus a noise looked up from the count and the cell key in a
//! fixed table. The same records always give the same key, hence the same published value,
//! whatever query, filter or grouping built the cell, so asking again and averaging gains
//! nothing. Cells that differ by even one record have unrelated keys (one uniform key makes the
//! sum uniform), so their noises are independent and the difference of two published totals is
//! the true difference give or take up to twice `MAX_NOISE`.
//!
//! Counts of 1 and 2 are the disclosive ones: they publish as 0 or 3, with the odds that keep
//! their mean right, so a 0 may hide up to two people and a 3 stands for anything from 1 to 5.
//! Counts of 3 and 4 never publish below 3 (that would take more than `MAX_NOISE`), so a 3 can
//! only go up and is a quarter too high on average. From 5 on the noise is symmetric, of variance
//! 1, and zero for almost half the keys.
//!
//! The cost: a published cell is off by at most `MAX_NOISE`, and cells are perturbed
//! independently, so published cells need not add up to the published total; the gap grows with
//! the number of cells (like its square root). The limits: an attacker who can form many
//! different pairs (a set, the set plus the same workshop) gets independent noises and averages
//! them away, a few dozen pairs being enough; and anyone who learns record keys can undo the
//! noise.

use rand::Rng;

/// Record keys are drawn from 0..KEY_RANGE. 256, as ABS uses: the table's odds are then
/// multiples of 1/256, fine enough for it, and a wider range would buy nothing else, since a
/// single record of uniform key already makes its cell's key uniform.
pub const KEY_RANGE: i64 = 256;

/// The largest change `published` makes to a count (for docs and tests).
pub const MAX_NOISE: i64 = 2;

/// For true counts 1, 2, 3, 4 and 5 or more: (noise, how many of the `KEY_RANGE` cell keys get
/// it). A cell key picks the noise whose range of keys, taken in order, holds it.
const TABLE: [&[(i64, usize)]; 5] = [
    // 1 publishes as 0 or 3, and 2 as 3 or 0, each with a mean off by 1/256.
    &[(-1, 171), (2, 85)],
    &[(-2, 85), (1, 171)],
    // Never below 3: 3 can only go up (by 1/4 on average); 4 has a mean noise of 0.
    &[(0, 208), (1, 32), (2, 16)],
    &[(-1, 80), (0, 112), (1, 48), (2, 16)],
    // Symmetric, of variance exactly 1, and no noise for 120 keys in 256.
    &[(-2, 20), (-1, 48), (0, 120), (1, 48), (2, 20)],
];

/// A new record's key, drawn uniformly at random.
pub fn record_key() -> i32 {
    i32::try_from(rand::rng().random_range(0..KEY_RANGE)).unwrap_or(0)
}

/// The cell key of a cell whose records' keys sum to `key_sum`.
pub fn cell_key(key_sum: i64) -> usize {
    usize::try_from(key_sum.rem_euclid(KEY_RANGE)).unwrap_or(0)
}

/// The count published for a cell of `count` records whose keys sum to `key_sum`. An empty cell
/// (or a count below zero, which cannot happen) publishes as 0.
pub fn published(count: i64, key_sum: i64) -> i64 {
    let row = match count {
        ..=0 => return 0,
        1 => TABLE[0],
        2 => TABLE[1],
        3 => TABLE[2],
        4 => TABLE[3],
        _ => TABLE[4],
    };
    count + noise(row, cell_key(key_sum))
}

/// The noise a row of the table gives a cell key.
fn noise(row: &[(i64, usize)], key: usize) -> i64 {
    let mut end = 0;
    for &(noise, keys) in row {
        end += keys;
        if key < end {
            return noise;
        }
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small xorshift generator, so that the simulation is the same on every run.
    struct XorShift(u64);

    impl XorShift {
        fn below(&mut self, n: i64) -> i64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as i64
        }
    }

    fn mean_noise(count: i64) -> f64 {
        let total: i64 = (0..KEY_RANGE)
            .map(|key| published(count, key) - count)
            .sum();
        total as f64 / KEY_RANGE as f64
    }

    #[test]
    fn every_row_covers_every_key_once() {
        for row in TABLE {
            let keys: usize = row.iter().map(|&(_, keys)| keys).sum();
            assert_eq!(keys as i64, KEY_RANGE);
            assert!(row.iter().all(|&(noise, _)| noise.abs() <= MAX_NOISE));
        }
    }

    #[test]
    fn no_count_publishes_as_one_or_two_nor_moves_far() {
        assert_eq!(published(-1, 7), 0);
        for count in 0..=50 {
            for key in 0..KEY_RANGE {
                let shown = published(count, key);
                let ok = match count {
                    0 => shown == 0,
                    1 | 2 => shown == 0 || shown == 3,
                    _ => shown >= 3 && (shown - count).abs() <= MAX_NOISE,
                };
                assert!(ok, "{count} published as {shown} for cell key {key}");
            }
        }
    }

    #[test]
    fn noise_averages_out_over_cell_keys() {
        for count in [1, 2, 4, 5, 6, 50, 1000] {
            let mean = mean_noise(count);
            assert!(mean.abs() < 0.1, "count {count}: mean noise {mean}");
        }
        assert!(mean_noise(3) <= 0.25);
        let noises: Vec<i64> = (0..KEY_RANGE).map(|key| published(9, key) - 9).collect();
        let variance = noises.iter().map(|n| n * n).sum::<i64>() as f64 / KEY_RANGE as f64;
        assert!((variance - 1.0).abs() < 0.2, "variance {variance}");
        let zero = noises.iter().filter(|&&n| n == 0).count() as f64 / KEY_RANGE as f64;
        assert!(zero > 0.3, "no noise for only {zero} of the keys");
    }

    #[test]
    fn the_same_records_always_publish_the_same_count() {
        for count in 0..=50 {
            for key_sum in -300..300 {
                assert_eq!(
                    published(count, key_sum),
                    published(count, key_sum + KEY_RANGE)
                );
            }
        }
        assert!((0..1000).all(|_| (0..KEY_RANGE).contains(&i64::from(record_key()))));
    }

    #[test]
    fn differencing_two_totals_rarely_gives_the_cell_away() {
        let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
        let (mut pairs, mut exact) = ([0u32; 5], [0u32; 5]);
        for _ in 0..20_000 {
            let total = 5 + rng.below(96);
            let total_keys: i64 = (0..total).map(|_| rng.below(KEY_RANGE)).sum();
            let cell = 1 + rng.below(4);
            let cell_keys: i64 = (0..cell).map(|_| rng.below(KEY_RANGE)).sum();
            let recovered =
                published(total + cell, total_keys + cell_keys) - published(total, total_keys);
            pairs[cell as usize] += 1;
            exact[cell as usize] += u32::from(recovered == cell);
        }
        let share = |exact: u32, pairs: u32| f64::from(exact) / f64::from(pairs);
        let all = share(exact.iter().sum(), pairs.iter().sum());
        assert!(
            all < 0.4,
            "the difference was the cell in {all} of the pairs"
        );
        for cell in [1, 2] {
            let one = share(exact[cell], pairs[cell]);
            assert!(
                one < 0.4,
                "a cell of {cell} was recovered in {one} of the pairs"
            );
        }
    }
}
