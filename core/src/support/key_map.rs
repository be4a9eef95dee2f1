//! A map from 128-bit keys (job ids, packed) to small numbers: open addressing, half full at most.
//! The standard `HashMap` with SipHash, or a `BTreeMap`, cost kilobytes of the `.wasm` for what
//! this does.

use alloc::vec::Vec;

#[derive(Debug, Clone, Default)]
pub struct KeyMap {
    /// `(key, value)`; a key of `0` marks a free slot, so the key 0 is kept aside.
    slots: Vec<(u128, u32)>,
    len: usize,
    zero: Option<u32>,
}

impl KeyMap {
    /// Sets `key` to `value` if it has none; the value it had, if it had one.
    pub fn insert(&mut self, key: u128, value: u32) -> Option<u32> {
        if key == 0 {
            let had = self.zero;
            self.zero = had.or(Some(value));
            return had;
        }
        if self.len.saturating_mul(2) >= self.slots.len() {
            self.grow();
        }
        let had = Self::place(&mut self.slots, key, value);
        if had.is_none() {
            self.len = self.len.saturating_add(1);
        }
        had
    }

    pub fn get(&self, key: u128) -> Option<u32> {
        if key == 0 {
            return self.zero;
        }
        let mask = self.slots.len().checked_sub(1)?;
        let mut at = Self::home(key);
        for _ in 0..self.slots.len() {
            at &= mask;
            match self.slots.get(at) {
                Some((slot, value)) if *slot == key => return Some(*value),
                Some((0, _)) | None => return None,
                _ => at = at.wrapping_add(1),
            }
        }
        None
    }

    fn grow(&mut self) {
        let size = self.slots.len().saturating_mul(2).max(64);
        let old = core::mem::replace(&mut self.slots, alloc::vec![(0, 0); size]);
        for (key, value) in old.into_iter().filter(|(key, _)| *key != 0) {
            Self::place(&mut self.slots, key, value);
        }
    }

    /// Ids are random hex, but mix anyway: a hash's or a counter's low bits may not be.
    fn home(key: u128) -> usize {
        ((key ^ (key >> 64)) as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) as usize
    }

    /// Puts `key` in the first free slot from its home on, unless it is there already: then the
    /// value it has.
    fn place(slots: &mut [(u128, u32)], key: u128, value: u32) -> Option<u32> {
        let mask = slots.len().saturating_sub(1);
        let mut at = Self::home(key);
        for _ in 0..slots.len() {
            at &= mask;
            match slots.get_mut(at) {
                Some((slot, had)) if *slot == key => return Some(*had),
                Some(slot) if slot.0 == 0 => {
                    *slot = (key, value);
                    return None;
                }
                _ => at = at.wrapping_add(1),
            }
        }
        None
    }
}
