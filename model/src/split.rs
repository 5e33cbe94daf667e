//! How the host splits a job larger than the buffers: M and N into tiles that fit, and K
//! into slices whose partial products the host adds (docs/host-interface.md).

use skipgrid_config::ArrayConfig;

/// One job of a split: rows `m0..m0+m`, K blocks `kb0..kb0+kb`, N blocks `nb0..nb0+nb`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tile {
    /// First activation row.
    pub m0: usize,
    /// Activation rows.
    pub m: usize,
    /// First K block.
    pub kb0: usize,
    /// K blocks.
    pub kb: usize,
    /// First N block.
    pub nb0: usize,
    /// N blocks.
    pub nb: usize,
}

/// The jobs, in the order the host runs them (N tiles outermost, then M, then K), for a
/// problem of `m` rows, `kb` K blocks and `nb` N blocks. Tiles are as large as the
/// buffers allow, and never hold more blocks than the weight buffer, so every tile fits
/// one job whatever its mask.
pub fn split(cfg: &ArrayConfig, m: usize, kb: usize, nb: usize) -> Vec<Tile> {
    let wb = cfg.weight_blocks as usize;
    let mm = cfg.m_depth as usize;
    let km = (cfg.k_blocks as usize).min(wb);
    let nm = (cfg.n_blocks as usize).min((wb / km).max(1));
    let mut tiles = Vec::new();
    for nb0 in (0..nb).step_by(nm) {
        for m0 in (0..m).step_by(mm) {
            for kb0 in (0..kb).step_by(km) {
                tiles.push(Tile {
                    m0,
                    m: mm.min(m - m0),
                    kb0,
                    kb: km.min(kb - kb0),
                    nb0,
                    nb: nm.min(nb - nb0),
                });
            }
        }
    }
    tiles
}

#[cfg(test)]
mod tests {
    #[test]
    fn tiles_cover_everything_once() {
        let cfg = skipgrid_config::preset("ws4x4").unwrap();
        let t = super::split(&cfg, 100, 20, 17);
        let covered: usize = t.iter().map(|t| t.m * t.kb * t.nb).sum();
        assert_eq!(covered, 100 * 20 * 17);
        assert!(t.iter().all(|t| t.m <= 64 && t.kb <= 16 && t.nb <= 16));
    }

    #[test]
    fn a_small_weight_buffer_narrows_the_tiles() {
        let mut raw = skipgrid_config::RawConfig::new(4, 4);
        raw.buffers.weight_blocks = Some(8);
        let cfg = skipgrid_config::ArrayConfig::from_raw(&raw).unwrap();
        let t = super::split(&cfg, 10, 8, 8);
        assert!(t.iter().all(|t| t.kb * t.nb <= 8), "{t:?}");
        assert_eq!(t.iter().map(|t| t.kb * t.nb).sum::<usize>(), 64);
    }
}
