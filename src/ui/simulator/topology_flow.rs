//! Which way a topology diagram reads: across (columns left to right, for a
//! wide box) or down (the same columns as rows, top to bottom, for a
//! narrow one). A 4-column system is about 850 units wide; drawn across in
//! the playground's 400 px column beside a lesson, its words would shrink
//! to 6 px. Drawn down, the same boxes keep their size. The component
//! measures its box and draws the one that fits ([`Flow::for_width_px`]).

use super::topology_model::{Edge, Topology, NODE_HEIGHT, NODE_WIDTH};

/// Room between two boxes side by side when flowing down.
const SIDE_GAP: f64 = 20.0;
/// Room between two rows when flowing down (edges run through it).
const DOWN_GAP: f64 = 36.0;

/// Below this box width the diagram flows down: across, a 4-column
/// system's words would shrink under 10 px.
pub const FLOW_DOWN_BELOW_PX: f64 = 700.0;

/// The direction messages travel in the drawing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flow {
    /// Columns left to right: edges leave a box's right side.
    Across,
    /// Rows top to bottom: edges leave a box's bottom.
    Down,
}

impl Flow {
    /// The flow for a box `width_px` wide; an unmeasured box (0) reads
    /// across, as the diagram was drawn before it could be measured.
    pub fn for_width_px(width_px: f64) -> Flow {
        if width_px > 0.0 && width_px <= FLOW_DOWN_BELOW_PX {
            Flow::Down
        } else {
            Flow::Across
        }
    }
}

impl Topology {
    /// The same boxes and edges flowing down: column `c`, row `r` of the
    /// across drawing becomes row `c`, place `r`.
    pub fn flowing_down(&self, margin: f64, column_step: f64, row_step: f64) -> Topology {
        let mut down = self.clone();
        let (mut places, mut rows) = (0usize, 0usize);
        for node in &mut down.nodes {
            let column = ((node.x - margin) / column_step).round().max(0.0) as usize;
            let place = ((node.y - margin) / row_step).round().max(0.0) as usize;
            node.x = margin + place as f64 * (NODE_WIDTH + SIDE_GAP);
            node.y = margin + column as f64 * (NODE_HEIGHT + DOWN_GAP);
            places = places.max(place + 1);
            rows = rows.max(column + 1);
        }
        down.width = 2.0 * margin + places as f64 * (NODE_WIDTH + SIDE_GAP) - SIDE_GAP;
        down.height = 2.0 * margin + rows as f64 * (NODE_HEIGHT + DOWN_GAP) - DOWN_GAP;
        down.flow = Flow::Down;
        down
    }

    /// Where `edge` leaves its source and reaches its target.
    pub fn edge_ends(&self, edge: &Edge) -> ((f64, f64), (f64, f64)) {
        let (from, to) = (&self.nodes[edge.from], &self.nodes[edge.to]);
        match self.flow {
            Flow::Across => (
                (from.x + NODE_WIDTH, from.y + NODE_HEIGHT / 2.0),
                (to.x, to.y + NODE_HEIGHT / 2.0),
            ),
            Flow::Down => (
                (from.x + NODE_WIDTH / 2.0, from.y + NODE_HEIGHT),
                (to.x + NODE_WIDTH / 2.0, to.y),
            ),
        }
    }

    /// `edge` as an SVG path: an S-curve that leaves and arrives in the
    /// direction of flow.
    pub fn edge_path(&self, edge: &Edge) -> String {
        let ((x1, y1), (x2, y2)) = self.edge_ends(edge);
        match self.flow {
            Flow::Across => {
                let mid = (x1 + x2) / 2.0;
                format!("M {x1} {y1} C {mid} {y1}, {mid} {y2}, {x2} {y2}")
            }
            Flow::Down => {
                let mid = (y1 + y2) / 2.0;
                format!("M {x1} {y1} C {x1} {mid}, {x2} {mid}, {x2} {y2}")
            }
        }
    }

    /// The point at `progress` (0 to 1) along `edge`'s curve, where a
    /// travelling message is drawn.
    pub fn point_on(&self, edge: &Edge, progress: f64) -> (f64, f64) {
        let ((x1, y1), (x2, y2)) = self.edge_ends(edge);
        match self.flow {
            Flow::Across => s_curve_point(x1, y1, x2, y2, progress),
            Flow::Down => {
                let (y, x) = s_curve_point(y1, x1, y2, x2, progress);
                (x, y)
            }
        }
    }
}

/// The point at `progress` (0 to 1) along the S-curve from `(a1, b1)` to
/// `(a2, b2)` whose control points sit halfway along `a`, at each end's `b`.
pub fn s_curve_point(a1: f64, b1: f64, a2: f64, b2: f64, progress: f64) -> (f64, f64) {
    let t = progress.clamp(0.0, 1.0);
    let u = 1.0 - t;
    let mid = (a1 + a2) / 2.0;
    let a = u * u * u * a1 + 3.0 * u * u * t * mid + 3.0 * u * t * t * mid + t * t * t * a2;
    let b = u * u * u * b1 + 3.0 * u * u * t * b1 + 3.0 * u * t * t * b2 + t * t * t * b2;
    (a, b)
}
