//! The pieces of Java behaviour that AWS's results show through:
//! `Math.round`, `java.util.Random` and `toString` of lists and maps.

use serde_json::{Map, Value};

/// Java's `Math.round(double)`: the closest `long`, ties towards positive
/// infinity; NaN → 0; saturating at the `long` range.
pub(crate) fn round(x: f64) -> i64 {
    if x.is_nan() {
        return 0;
    }
    let floor = x.floor();
    // `x - floor` is exact for every finite double.
    let r = if x - floor >= 0.5 { floor + 1.0 } else { floor };
    // `as` saturates, as Java does.
    r as i64
}

/// `java.util.Random`: the 48-bit linear congruential generator.
pub(crate) struct JavaRandom {
    seed: u64,
}

const MULTIPLIER: u64 = 0x5_DEEC_E66D;
const ADDEND: u64 = 0xB;
const MASK: u64 = (1 << 48) - 1;

impl JavaRandom {
    /// `new Random(seed)`.
    pub(crate) fn new(seed: i64) -> Self {
        JavaRandom {
            seed: (seed as u64 ^ MULTIPLIER) & MASK,
        }
    }

    fn next(&mut self, bits: u32) -> i32 {
        self.seed = self.seed.wrapping_mul(MULTIPLIER).wrapping_add(ADDEND) & MASK;
        (self.seed >> (48 - bits)) as u32 as i32
    }

    /// `nextInt(bound)` for `bound > 0`.
    pub(crate) fn next_int(&mut self, bound: i32) -> i32 {
        debug_assert!(bound > 0);
        let mut r = self.next(31);
        let m = bound - 1;
        if bound & m == 0 {
            return ((i64::from(bound) * i64::from(r)) >> 31) as i32;
        }
        let mut u = r;
        loop {
            r = u % bound;
            if u.wrapping_sub(r).wrapping_add(m) >= 0 {
                return r;
            }
            u = self.next(31);
        }
    }
}

/// Java's `String.hashCode` (over UTF-16 code units).
fn string_hash(s: &str) -> i32 {
    s.encode_utf16()
        .fold(0i32, |h, u| h.wrapping_mul(31).wrapping_add(i32::from(u)))
}

/// `map` re-ordered as a `java.util.HashMap` filled with its entries in
/// order (default capacity 16, load factor 0.75) iterates: by bucket, then
/// by insertion within a bucket. (A bucket holding 8 or more keys becomes a
/// tree in Java, whose order this does not model.)
pub(crate) fn hash_map_order(map: Map<String, Value>) -> Map<String, Value> {
    let mut capacity: usize = 16;
    while map.len() > capacity / 4 * 3 {
        capacity *= 2;
    }
    let mut entries: Vec<(usize, (String, Value))> = map
        .into_iter()
        .map(|(k, v)| {
            let h = string_hash(&k) as u32;
            ((((h ^ (h >> 16)) as usize) & (capacity - 1)), (k, v))
        })
        .collect();
    // Stable: insertion order within a bucket, as Java's resize preserves.
    entries.sort_by_key(|(bucket, _)| *bucket);
    entries.into_iter().map(|(_, kv)| kv).collect()
}

/// Appends the Java `toString` form of `v` as AWS's `States.Format` renders
/// it: strings raw, numbers as JSON text, lists `[a, b]`, maps `{k=v}`.
pub(crate) fn to_java_string(v: &Value, out: &mut String) {
    match v {
        Value::String(s) => out.push_str(s),
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                to_java_string(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (k, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(k);
                out.push('=');
                to_java_string(item, out);
            }
            out.push('}');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn math_round_matches_java() {
        // Printed by OpenJDK's Math.round for each input.
        for (x, want) in [
            (1.49, 1),
            (1.5, 2),
            (1.51, 2),
            (-1.5, -1),
            (-2.5, -2),
            (2.5, 3),
            (-0.5, 0),
            (0.5, 1),
            (-1.51, -2),
            (0.499_999_999_999_999_94, 0),
            (-0.499_999_999_999_999_94, 0),
            (4_503_599_627_370_497.0, 4_503_599_627_370_497),
            (1e19, i64::MAX),
            (-1e19, i64::MIN),
            (f64::NAN, 0),
        ] {
            assert_eq!(round(x), want, "Math.round({x})");
        }
    }

    #[test]
    fn random_matches_java() {
        // `new Random(seed).nextInt(bound)` for each bound, then five
        // successive `nextInt(100)`, as printed by OpenJDK.
        let bounds = [1, 2, 10, 16, 100, 1000, 90000, i32::MAX];
        let table: [(i64, [i32; 8], [i32; 5]); 6] = [
            (
                0,
                [0, 1, 0, 11, 60, 360, 51360, 1569741360],
                [60, 48, 29, 47, 15],
            ),
            (
                1,
                [0, 1, 5, 11, 85, 985, 38985, 1569548985],
                [85, 88, 47, 13, 54],
            ),
            (
                42,
                [0, 1, 0, 11, 30, 130, 31130, 1562431130],
                [30, 63, 48, 84, 70],
            ),
            (
                -7,
                [0, 0, 2, 4, 62, 662, 44662, 577934662],
                [62, 97, 90, 7, 78],
            ),
            (
                123456789,
                [0, 1, 5, 10, 65, 965, 50965, 1426010965],
                [65, 0, 83, 44, 90],
            ),
            (
                i64::MAX,
                [0, 0, 3, 4, 13, 913, 19913, 577549913],
                [13, 25, 79, 39, 4],
            ),
        ];
        for (seed, firsts, seq) in table {
            for (bound, want) in bounds.iter().zip(firsts) {
                assert_eq!(
                    JavaRandom::new(seed).next_int(*bound),
                    want,
                    "seed {seed} bound {bound}"
                );
            }
            let mut r = JavaRandom::new(seed);
            let got: Vec<i32> = (0..5).map(|_| r.next_int(100)).collect();
            assert_eq!(got, seq, "seed {seed}");
        }
    }

    const JAVA_13_KEYS: [&str; 13] = [
        "k0", "k1", "k2", "k3", "k4", "k5", "k11", "k6", "k10", "k7", "k8", "k12", "k9",
    ];

    #[test]
    fn hash_map_order_matches_java() {
        // `new HashMap<>()` filled in this order, then `keySet()`, as
        // printed by OpenJDK.
        for (keys, want) in [
            (
                &["constant_in_literal", "constant_input_field"][..],
                &["constant_input_field", "constant_in_literal"][..],
            ),
            (&["a", "b", "d", "c"], &["a", "b", "c", "d"]),
            (
                &[
                    "simpleArray",
                    "partitionedArray",
                    "containsElement",
                    "numberRange",
                    "thirdElement",
                    "arraySize",
                    "uniqueValues",
                ],
                &[
                    "uniqueValues",
                    "simpleArray",
                    "thirdElement",
                    "partitionedArray",
                    "arraySize",
                    "containsElement",
                    "numberRange",
                ],
            ),
            (
                &["mergedJson", "parsedJson", "stringifiedJson"],
                &["parsedJson", "mergedJson", "stringifiedJson"],
            ),
            (
                &[
                    "arrayOps",
                    "encodingOps",
                    "hashOps",
                    "jsonOps",
                    "mathOps",
                    "stringOps",
                    "uuidOp",
                ],
                &[
                    "encodingOps",
                    "uuidOp",
                    "arrayOps",
                    "stringOps",
                    "hashOps",
                    "mathOps",
                    "jsonOps",
                ],
            ),
        ] {
            let map: Map<String, Value> =
                keys.iter().map(|k| (k.to_string(), Value::Null)).collect();
            let got: Vec<String> = hash_map_order(map).keys().cloned().collect();
            assert_eq!(got, want);
        }
        // Past 12 entries the table grows to 32 buckets.
        let map: Map<String, Value> = (0..13).map(|i| (format!("k{i}"), Value::Null)).collect();
        let got: Vec<String> = hash_map_order(map).keys().cloned().collect();
        assert_eq!(got, JAVA_13_KEYS);
    }

    #[test]
    fn java_to_string() {
        // Java: {Arg1=1, Arg2=[], n=null, s=x y} and [1, a, null, {…}]
        let m = json!({"Arg1": 1, "Arg2": [], "n": null, "s": "x y"});
        let mut out = String::new();
        to_java_string(&m, &mut out);
        assert_eq!(out, "{Arg1=1, Arg2=[], n=null, s=x y}");
        let mut out = String::new();
        to_java_string(&json!([1, "a", null, m, 1.5, true]), &mut out);
        assert_eq!(
            out,
            "[1, a, null, {Arg1=1, Arg2=[], n=null, s=x y}, 1.5, true]"
        );
    }
}
