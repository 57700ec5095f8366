//! Charts as inline SVG, built on the server: titled, described, and readable without colour
//! (every segment is labelled and patterned, and the numbers are in the table beside it).

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Horizontal stacked bars of shares: one bar per row, one segment per series.
pub fn stacked_shares(
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
    let (title, description) = (escape(title), escape(description));
    let height = rows.len() as f64 * (BAR + GAP) + 60.0;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 {} {height}\" aria-labelledby=\"chart-title chart-desc\" class=\"chart\">\
         <title id=\"chart-title\">{title}</title><desc id=\"chart-desc\">{description}</desc>",
        WIDTH + LABEL + 10.0
    );
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
