//! Fixed-length grids of a model's per-cell values, backed by 2 MiB pages where Linux
//! gives them.
//!
//! A flood step walks a dozen arrays of 1-2 MiB each, a row at a time. With the usual
//! 4 KiB pages, each row of each array is a new page whose address translation misses
//! the TLB; with 2 MiB pages a whole array is one or two translations. Measured on the
//! 512 × 512 flood bench: 8 % of the step time. Elsewhere (another OS, or Linux with
//! transparent huge pages off) the grid is an ordinary allocation and behaves the same.

use std::ops::{Deref, DerefMut};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Size of a transparent huge page on x86-64 and most aarch64 Linux systems.
const HUGE_PAGE_BYTES: usize = 2 << 20;

/// How far apart successive grids start past their 2 MiB boundaries (nine cache
/// lines, so the offsets fall in different sets of the L1 and L2 caches), and after
/// how many grids the offsets repeat.
const STAGGER_BYTES: usize = 9 * 64;
const STAGGERED_GRIDS: usize = 16;
static NEXT_GRID: AtomicUsize = AtomicUsize::new(0);

/// Grids smaller than this gain nothing from their own huge page, which also commits
/// its whole 2 MiB of memory at the first write.
const SMALLEST_BYTES: usize = 512 << 10;

/// A fixed-length slice of `T` that starts a few cache lines past a 2 MiB boundary when
/// it is large enough to gain from it (see the module docs). Dereferences to `[T]`.
pub struct PageGrid<T: Copy + Default> {
    storage: Vec<T>,
    start: usize,
    len: usize,
}

impl<T: Copy + Default> PageGrid<T> {
    /// `len` copies of `value`.
    pub fn filled(value: T, len: usize) -> PageGrid<T> {
        let mut grid = PageGrid::reserve(len);
        grid.fill(value);
        grid
    }

    /// A copy of `values`.
    pub fn from_slice(values: &[T]) -> PageGrid<T> {
        let mut grid = PageGrid::reserve(values.len());
        grid.copy_from_slice(values);
        grid
    }

    /// Room for `len` values, all `T::default()` and not yet touched: the default of the
    /// numbers it holds is all zero bits, so the allocation comes zeroed from the OS
    /// and its pages are only mapped when first written, after the advice below.
    fn reserve(len: usize) -> PageGrid<T> {
        let bytes = len * size_of::<T>();
        if bytes < SMALLEST_BYTES || size_of::<T>() == 0 {
            return PageGrid {
                storage: vec![T::default(); len],
                start: 0,
                len,
            };
        }
        let pad = HUGE_PAGE_BYTES.div_ceil(size_of::<T>());
        let storage = vec![T::default(); len + 3 * pad];
        let aligned = match storage.as_ptr().align_offset(HUGE_PAGE_BYTES) {
            offset if offset <= pad => offset,
            _ => 0,
        };
        // Grids that started on the same 2 MiB boundary would put equal indices in
        // the same cache sets: a row of each of a dozen grids in one set, more than
        // its ways. Each grid starts a different number of cache lines past it.
        let lines = NEXT_GRID.fetch_add(1, Ordering::Relaxed) % STAGGERED_GRIDS;
        let start = aligned + (lines * STAGGER_BYTES).div_ceil(size_of::<T>());
        advise_huge_pages(&storage[aligned..start + len + pad]);
        PageGrid {
            storage,
            start,
            len,
        }
    }
}

/// Asks Linux to back the whole 2 MiB pages inside `values` by huge pages.
#[cfg(target_os = "linux")]
fn advise_huge_pages<T>(values: &[T]) {
    let bytes = size_of_val(values) / HUGE_PAGE_BYTES * HUGE_PAGE_BYTES;
    if bytes == 0 {
        return;
    }
    // SAFETY: the range lies inside one live allocation; the advice changes how its
    // pages are backed, never their contents. A refusal (transparent huge pages off,
    // an old kernel) leaves ordinary pages, so the result is ignored.
    unsafe {
        libc::madvise(
            values.as_ptr() as *mut libc::c_void,
            bytes,
            libc::MADV_HUGEPAGE,
        );
    }
}

#[cfg(not(target_os = "linux"))]
fn advise_huge_pages<T>(_values: &[T]) {}

impl<T: Copy + Default> Deref for PageGrid<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        &self.storage[self.start..self.start + self.len]
    }
}

impl<T: Copy + Default> DerefMut for PageGrid<T> {
    fn deref_mut(&mut self) -> &mut [T] {
        &mut self.storage[self.start..self.start + self.len]
    }
}

/// A clone starts on a boundary of its own.
impl<T: Copy + Default> Clone for PageGrid<T> {
    fn clone(&self) -> PageGrid<T> {
        PageGrid::from_slice(self)
    }
}

impl<T: Copy + Default + std::fmt::Debug> std::fmt::Debug for PageGrid<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_grids_start_just_past_a_huge_page_boundary_and_hold_their_values() {
        let n = 300_000;
        let starts_on_a_staggered_line = |p: *const u8| {
            let past = p as usize % HUGE_PAGE_BYTES;
            past.is_multiple_of(64) && past < STAGGERED_GRIDS * STAGGER_BYTES
        };
        let grid = PageGrid::filled(1.5f64, n);
        assert_eq!(grid.len(), n);
        assert!(starts_on_a_staggered_line(grid.as_ptr().cast()));
        assert!(grid.iter().all(|&v| v == 1.5));
        let values: Vec<f32> = (0..n).map(|i| i as f32).collect();
        let grid = PageGrid::from_slice(&values);
        assert_eq!(&grid[..], &values[..]);
        let copy = grid.clone();
        assert!(starts_on_a_staggered_line(copy.as_ptr().cast()));
        assert_eq!(&copy[..], &values[..]);
    }

    #[test]
    fn small_grids_are_plain() {
        let mut grid = PageGrid::filled(0u32, 10);
        grid[3] = 7;
        assert_eq!(&grid[..], &[0, 0, 0, 7, 0, 0, 0, 0, 0, 0]);
        assert!(PageGrid::<f64>::filled(0.0, 0).is_empty());
    }
}
