//! A small SVG chart of time series: lines (queue depth) or points (each
//! call's latency), with the axes' ranges written out and a table of the
//! numbers for screen readers.

use leptos::prelude::*;

use super::run_view::Chart;

const WIDTH: f64 = 520.0;
const HEIGHT: f64 = 160.0;
const PAD: f64 = 28.0;

/// One chart.
///
/// - `chart`: the series to draw.
#[component]
pub fn ChartView(chart: Chart) -> impl IntoView {
    let scale = Scale::of(&chart);
    let (max_t, max_v) = (scale.max_t, scale.max_v);
    let summary = spoken_summary(&chart);
    view! {
        <figure class="chart">
            <figcaption>{chart.title.clone()}</figcaption>
            <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-label=format!("{}. {summary}", chart.title)>
                <line class="axis" x1=PAD y1=HEIGHT - PAD x2=WIDTH - PAD y2=HEIGHT - PAD></line>
                <line class="axis" x1=PAD y1=PAD x2=PAD y2=HEIGHT - PAD></line>
                <text class="tick" x=PAD y=PAD - 8.0>{format!("{max_v} {}", chart.unit)}</text>
                <text class="tick" x=WIDTH - PAD y=HEIGHT - 8.0 text-anchor="end">{format!("{max_t} {}", chart.x_unit)}</text>
                <text class="tick" x=PAD y=HEIGHT - 8.0>"0"</text>
                {series_view(&chart, scale)}
            </svg>
            <ul class="legend">{legend_view(&chart)}</ul>
        </figure>
    }
}

/// The chart's scale: its largest time and value, each at least 1 so an
/// empty chart still has axes.
#[derive(Clone, Copy)]
struct Scale {
    max_t: u64,
    max_v: u64,
}

impl Scale {
    fn of(chart: &Chart) -> Scale {
        let points = || chart.series.iter().flat_map(|(_, p)| p.iter());
        Scale {
            max_t: points().map(|p| p.0).max().unwrap_or(0).max(1),
            max_v: points().map(|p| p.1).max().unwrap_or(0).max(1),
        }
    }

    fn x(self, t: u64) -> f64 {
        PAD + (WIDTH - 2.0 * PAD) * t as f64 / self.max_t as f64
    }

    fn y(self, v: u64) -> f64 {
        HEIGHT - PAD - (HEIGHT - 2.0 * PAD) * v as f64 / self.max_v as f64
    }
}

/// Each series as points (a scatter chart) or one line.
fn series_view(chart: &Chart, scale: Scale) -> impl IntoView {
    chart
        .series
        .iter()
        .enumerate()
        .map(|(i, (_, points))| {
            let class = format!("series series-{}", i % 4);
            if chart.scatter {
                points
                    .iter()
                    .map(|(t, v)| view! { <circle class=class.clone() cx=scale.x(*t) cy=scale.y(*v) r="2.5"></circle> })
                    .collect_view()
                    .into_any()
            } else {
                let line: Vec<String> = points
                    .iter()
                    .map(|(t, v)| format!("{:.1},{:.1}", scale.x(*t), scale.y(*v)))
                    .collect();
                view! { <polyline class=class points=line.join(" ")></polyline> }.into_any()
            }
        })
        .collect_view()
}

fn legend_view(chart: &Chart) -> impl IntoView {
    chart
        .series
        .iter()
        .enumerate()
        .map(|(i, (name, _))| {
            view! { <li><span class=format!("swatch series-{}", i % 4)></span>{name.clone()}</li> }
        })
        .collect_view()
}

/// What a screen reader hears for the drawing: each series' size and peak.
fn spoken_summary(chart: &Chart) -> String {
    chart
        .series
        .iter()
        .map(|(name, points)| {
            let peak = points.iter().map(|p| p.1).max().unwrap_or(0);
            format!(
                "{name}: {} points, highest {peak} {}",
                points.len(),
                chart.unit
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}
