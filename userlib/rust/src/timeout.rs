//! Timeouts as `Option<Duration>`: `None` waits for ever, `Some(ZERO)`
//! polls. Mach takes milliseconds in a `u32`; a duration is rounded up to
//! the next millisecond (a wait is never shorter than asked), and one
//! longer than `u32::MAX` ms is waited for in several calls.

use std::time::{Duration, Instant};

/// The longest single wait, in milliseconds.
const MAX_MS: u64 = u32::MAX as u64;

/// When a wait started and how long it may last.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Deadline {
    end: Option<Instant>,
    /// The full duration when it does not fit an `Instant` (saturated).
    forever_ish: bool,
}

impl Deadline {
    pub(crate) fn new(timeout: Option<Duration>) -> Deadline {
        match timeout {
            None => Deadline {
                end: None,
                forever_ish: false,
            },
            Some(d) => match Instant::now().checked_add(d) {
                Some(end) => Deadline {
                    end: Some(end),
                    forever_ish: false,
                },
                None => Deadline {
                    end: None,
                    forever_ish: true,
                },
            },
        }
    }

    /// The timeout argument of the next call: `None` for no timeout, else
    /// the milliseconds left (at most `u32::MAX`).
    pub(crate) fn next_ms(&self) -> Option<u32> {
        if self.forever_ish {
            return Some(u32::MAX);
        }
        let end = self.end?;
        let left = end.saturating_duration_since(Instant::now());
        Some(ms_ceil(left).min(MAX_MS) as u32)
    }

    /// Whether a call that timed out should be made again: the deadline
    /// lies beyond what one call could wait.
    pub(crate) fn more(&self) -> bool {
        self.forever_ish || self.end.is_some_and(|e| Instant::now() < e)
    }
}

fn ms_ceil(d: Duration) -> u64 {
    let ms = d.as_millis();
    let ms = if d.subsec_nanos() % 1_000_000 != 0 {
        ms + 1
    } else {
        ms
    };
    u64::try_from(ms).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_round_up_to_milliseconds() {
        assert_eq!(ms_ceil(Duration::ZERO), 0);
        assert_eq!(ms_ceil(Duration::from_nanos(1)), 1);
        assert_eq!(ms_ceil(Duration::from_millis(5)), 5);
        assert_eq!(ms_ceil(Duration::from_micros(5001)), 6);
    }

    #[test]
    fn no_timeout_has_no_argument() {
        assert_eq!(Deadline::new(None).next_ms(), None);
        assert!(!Deadline::new(None).more());
    }

    #[test]
    fn zero_polls_once() {
        let d = Deadline::new(Some(Duration::ZERO));
        assert_eq!(d.next_ms(), Some(0));
        assert!(!d.more());
    }

    #[test]
    fn huge_timeouts_are_split() {
        let d = Deadline::new(Some(Duration::from_secs(100 * 86_400)));
        assert_eq!(d.next_ms(), Some(u32::MAX));
        assert!(d.more());
        let d = Deadline::new(Some(Duration::MAX));
        assert_eq!(d.next_ms(), Some(u32::MAX));
        assert!(d.more());
    }
}
