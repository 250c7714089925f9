//! The seeded PRNG: xoshiro256** seeded through splitmix64 (both small,
//! well-known generators, written here so the stream never changes with a
//! dependency upgrade).
//!
//! One seed fixes everything AWS leaves open. [`Rng::child`] derives an
//! independent stream from the *seed* of its parent and a key — not from the
//! parent's position — so the stream of execution 3 does not depend on how
//! many numbers execution 2 drew.

/// splitmix64 step: advances `state` and returns the next output.
pub fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// FNV-1a, for naming child streams with strings.
fn fnv1a(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01B3)
    })
}

/// A deterministic random stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rng {
    seed: u64,
    s: [u64; 4],
}

impl Rng {
    /// The stream for `seed`.
    pub fn new(seed: u64) -> Self {
        let mut sm = seed;
        let mut s = [0u64; 4];
        for x in &mut s {
            *x = splitmix64(&mut sm);
        }
        if s == [0; 4] {
            s[0] = 1;
        }
        Rng { seed, s }
    }

    /// The seed this stream was created from.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// An independent child stream for `key` (e.g. an execution index).
    pub fn child(&self, key: u64) -> Rng {
        let mut st = self.seed ^ 0xA076_1D64_78BD_642F;
        let a = splitmix64(&mut st);
        let mut st2 = key.wrapping_add(a);
        Rng::new(splitmix64(&mut st2) ^ a.rotate_left(17))
    }

    /// An independent child stream named by a string.
    pub fn child_named(&self, name: &str) -> Rng {
        self.child(fnv1a(name))
    }

    /// Next 64 random bits (xoshiro256**).
    pub fn next_u64(&mut self) -> u64 {
        let result = self.s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = self.s[1] << 17;
        self.s[2] ^= self.s[0];
        self.s[3] ^= self.s[1];
        self.s[1] ^= self.s[2];
        self.s[0] ^= self.s[3];
        self.s[2] ^= t;
        self.s[3] = self.s[3].rotate_left(45);
        result
    }

    /// Uniform in `[0, 1)` with 53 bits of precision.
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in `0..n` without modulo bias; `below(0)` is 0.
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        let zone = u64::MAX - (u64::MAX - n + 1) % n;
        loop {
            let x = self.next_u64();
            if x <= zone {
                return x % n;
            }
        }
    }

    /// Uniform in `lo..=hi` (bounds swapped if reversed).
    pub fn range_i64(&mut self, lo: i64, hi: i64) -> i64 {
        let (lo, hi) = if lo <= hi { (lo, hi) } else { (hi, lo) };
        let span = hi.wrapping_sub(lo) as u64;
        if span == u64::MAX {
            return self.next_u64() as i64;
        }
        lo.wrapping_add(self.below(span + 1) as i64)
    }

    /// Fills `buf` with random bytes.
    pub fn fill_bytes(&mut self, buf: &mut [u8]) {
        for chunk in buf.chunks_mut(8) {
            let bytes = self.next_u64().to_le_bytes();
            chunk.copy_from_slice(&bytes[..chunk.len()]);
        }
    }

    /// A random (version 4) UUID in lowercase hyphenated form.
    pub fn uuid_v4(&mut self) -> String {
        let mut b = [0u8; 16];
        self.fill_bytes(&mut b);
        b[6] = (b[6] & 0x0f) | 0x40;
        b[8] = (b[8] & 0x3f) | 0x80;
        let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
        format!(
            "{}-{}-{}-{}-{}",
            &h[0..8],
            &h[8..12],
            &h[12..16],
            &h[16..20],
            &h[20..32]
        )
    }

    /// `n` lowercase hex digits.
    pub fn hex(&mut self, n: usize) -> String {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        (0..n)
            .map(|_| DIGITS[self.below(16) as usize] as char)
            .collect()
    }

    /// An opaque task token (URL-safe base64 alphabet, 172 characters like
    /// the ones AWS hands out).
    pub fn task_token(&mut self) -> String {
        const ALPHABET: &[u8; 64] =
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        let body: String = (0..168)
            .map(|_| ALPHABET[self.below(64) as usize] as char)
            .collect();
        format!("AQB4{body}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix_reference_values() {
        // Reference outputs of splitmix64 seeded with 0.
        let mut s = 0;
        assert_eq!(splitmix64(&mut s), 0xe220_a839_7b1d_cdaf);
        assert_eq!(splitmix64(&mut s), 0x6e78_9e6a_a1b9_65f4);
    }

    #[test]
    fn deterministic_and_seed_sensitive() {
        let a: Vec<u64> = (0..5)
            .map({
                let mut r = Rng::new(7);
                move |_| r.next_u64()
            })
            .collect();
        let b: Vec<u64> = (0..5)
            .map({
                let mut r = Rng::new(7);
                move |_| r.next_u64()
            })
            .collect();
        let c: Vec<u64> = (0..5)
            .map({
                let mut r = Rng::new(8);
                move |_| r.next_u64()
            })
            .collect();
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn children_do_not_depend_on_parent_position() {
        let root = Rng::new(0);
        let mut advanced = root.clone();
        for _ in 0..100 {
            advanced.next_u64();
        }
        assert_eq!(root.child(3), advanced.child(3));
        assert_ne!(root.child(3), root.child(4));
        assert_ne!(root.child(0), root);
        assert_eq!(root.child_named("exec"), Rng::new(0).child_named("exec"));
        assert_ne!(root.child_named("a"), root.child_named("b"));
    }

    #[test]
    fn formats_and_ranges() {
        let mut r = Rng::new(42);
        let u = r.uuid_v4();
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
        assert!(matches!(&u[19..20], "8" | "9" | "a" | "b"), "{u}");
        assert_eq!(r.hex(8).len(), 8);
        assert_eq!(r.task_token().len(), 172);
        for _ in 0..1000 {
            let f = r.next_f64();
            assert!((0.0..1.0).contains(&f));
            let x = r.range_i64(-3, 3);
            assert!((-3..=3).contains(&x));
            assert!(r.below(10) < 10);
        }
        assert_eq!(r.below(0), 0);
        r.range_i64(i64::MIN, i64::MAX);
        assert_eq!(r.range_i64(5, 5), 5);
    }
}
