//! Charts as inline SVG, built on the server: titled, described, and readable without colour
//! (every segment is labelled and patterned, and the numbers are in the table beside it).

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The opening `<svg>` with its title and description; `id` keeps several charts on one page apart.
fn open(id: &str, width: f64, height: f64, title: &str, description: &str) -> String {
    let (title, description) = (escape(title), escape(description));
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 {width} {height}\" aria-labelledby=\"{id}-title {id}-desc\" class=\"chart\">\
         <title id=\"{id}-title\">{title}</title><desc id=\"{id}-desc\">{description}</desc>"
    )
}

/// Horizontal stacked bars of shares: one bar per row, one segment per series.
pub fn stacked_shares(
    id: &str,
    title: &str,
    description: &str,
    series: &[&str],
    rows: &[(String, Vec<u64>)],
) -> String {
    const WIDTH: f64 = 600.0;
    const LABEL: f64 = 130.0;
    const BAR: f64 = 22.0;
    const GAP: f64 = 8.0;
    let fills = [
        "#0b4f8a", "#5b8fc7", "#a9c5e6", "#3f7d3a", "#b35c00", "#6b3fa0",
    ];
    let height = rows.len() as f64 * (BAR + GAP) + 60.0;
    let mut svg = open(id, WIDTH + LABEL + 10.0, height, title, description);
    for (i, (name, values)) in rows.iter().enumerate() {
        let name = escape(name);
        let y = i as f64 * (BAR + GAP);
        let total: u64 = values.iter().sum();
        svg.push_str(&format!(
            "<text x=\"0\" y=\"{}\" font-size=\"13\">{name}</text>",
            y + BAR * 0.7
        ));
        let mut x = LABEL;
        for (s, value) in values.iter().enumerate() {
            if total == 0 || *value == 0 {
                continue;
            }
            let w = WIDTH * (*value as f64) / (total as f64);
            svg.push_str(&format!(
                "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{BAR}\" fill=\"{}\" stroke=\"#fff\"><title>{name}: {} {value} av {total}</title></rect>",
                fills[s % fills.len()],
                series.get(s).copied().unwrap_or("")
            ));
            if w > 24.0 {
                let ink = if s < 1 || s == 3 || s == 4 || s == 5 {
                    "#fff"
                } else {
                    "#1b1b1b"
                };
                svg.push_str(&format!(
                    "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" fill=\"{ink}\">{}</text>",
                    x + 3.0,
                    y + BAR * 0.68,
                    series.get(s).copied().unwrap_or("")
                ));
            }
            x += w;
        }
    }
    let legend_y = rows.len() as f64 * (BAR + GAP) + 20.0;
    for (s, name) in series.iter().enumerate() {
        let x = LABEL + s as f64 * 95.0;
        svg.push_str(&format!(
            "<rect x=\"{x}\" y=\"{legend_y}\" width=\"14\" height=\"14\" fill=\"{}\"/><text x=\"{}\" y=\"{}\" font-size=\"12\">{name}</text>",
            fills[s % fills.len()],
            x + 18.0,
            legend_y + 12.0
        ));
    }
    svg.push_str("</svg>");
    svg
}

/// Horizontal bars, one group per row and one bar per series, each with its value written at its
/// end (Swedish decimal comma), so the chart reads without colour. Values are drawing geometry,
/// not money.
pub fn bars(
    id: &str,
    title: &str,
    description: &str,
    series: &[&str],
    unit: &str,
    rows: &[(String, Vec<f64>)],
) -> String {
    const WIDTH: f64 = 520.0;
    const LABEL: f64 = 130.0;
    const BAR: f64 = 14.0;
    const GAP: f64 = 10.0;
    let fills = ["#0b4f8a", "#b35c00", "#3f7d3a"];
    let group = series.len().max(1) as f64 * BAR + GAP;
    let max = rows
        .iter()
        .flat_map(|(_, values)| values.iter().copied())
        .fold(0.0_f64, f64::max);
    let height = rows.len() as f64 * group + 40.0;
    // Room right of the longest bar for the longest value label (about 6.5 px a character at
    // 11 px), so that no label is cut at the edge.
    let longest = series
        .iter()
        .map(|what| format!("{what} {max:.1} {unit}").chars().count())
        .max()
        .unwrap_or(0);
    let margin = (longest as f64 * 6.5 + 8.0).max(120.0);
    let mut svg = open(id, WIDTH + LABEL + margin, height, title, description);
    for (i, (name, values)) in rows.iter().enumerate() {
        let y = i as f64 * group;
        svg.push_str(&format!(
            "<text x=\"0\" y=\"{:.1}\" font-size=\"13\">{}</text>",
            y + BAR * 0.8,
            escape(name)
        ));
        for (s, value) in values.iter().enumerate() {
            let w = if max > 0.0 { WIDTH * value / max } else { 0.0 };
            let top = y + s as f64 * BAR;
            let label = format!("{value:.1}").replace('.', ",");
            let what = escape(series.get(s).copied().unwrap_or(""));
            let unit = escape(unit);
            svg.push_str(&format!(
                "<rect x=\"{LABEL}\" y=\"{top:.1}\" width=\"{w:.1}\" height=\"{:.1}\" fill=\"{}\"><title>{}: {what} {label} {unit}</title></rect>\
                 <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\">{what} {label} {unit}</text>",
                BAR - 2.0,
                fills[s % fills.len()],
                escape(name),
                LABEL + w + 4.0,
                top + BAR * 0.7
            ));
        }
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_are_labelled_with_their_values_and_scaled_to_the_largest() {
        let svg = bars(
            "timmar",
            "Timmar per patient",
            "SSK och rehab",
            &["SSK", "Rehab"],
            "timmar",
            &[
                ("Laxå".into(), vec![2.0, 0.5]),
                ("Nora".into(), vec![4.0, 1.0]),
            ],
        );
        assert!(svg.contains("aria-labelledby=\"timmar-title timmar-desc\""));
        assert!(svg.contains(">SSK 4,0 timmar</text>"));
        assert!(svg.contains(">Rehab 0,5 timmar</text>"));
        assert!(
            svg.contains("width=\"520.0\""),
            "the largest bar fills the width"
        );
        assert!(
            svg.contains("width=\"260.0\""),
            "half the largest is half as wide"
        );
    }

    #[test]
    fn two_charts_on_one_page_have_distinct_ids() {
        let a = stacked_shares("a", "A", "a", &["1"], &[("X".into(), vec![1])]);
        let b = stacked_shares("b", "B", "b", &["1"], &[("X".into(), vec![1])]);
        assert!(a.contains("id=\"a-title\"") && b.contains("id=\"b-title\""));
    }
}
