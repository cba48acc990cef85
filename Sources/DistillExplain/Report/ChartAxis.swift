import DistillCore
import Foundation

/// One axis of a chart: maps data values to pixels and picks round tick values.
///
/// A positive range spanning more than a factor of 20 (leaves on a pruning path: 1 to 500;
/// penalties on a path) is drawn on a log scale, so that the small models, where the
/// choice is made, are not squeezed into the first pixels. Passing `start` > `end` runs the
/// axis backwards.
struct ChartAxis {
    let low: Double
    let high: Double
    let isLog: Bool
    /// Pixel positions of `low` and `high`.
    let start: Double
    let end: Double

    init(values: [Double], from start: Double, to end: Double, allowLog: Bool) {
        var low = values.min() ?? 0
        var high = values.max() ?? 1
        isLog = allowLog && low > 0 && high / low > 20
        if !isLog {
            if high - low < 1e-9 {
                let pad = max(abs(high) * 0.05, 0.01)
                low -= pad
                high += pad
            }
            let step = ChartAxis.niceStep(ChartAxis.halfSpan(low, high) / 2.5)
            low = (low / step).rounded(.down) * step
            high = (high / step).rounded(.up) * step
        }
        self.low = low
        self.high = high
        self.start = start
        self.end = end
    }

    func position(_ value: Double) -> Double {
        let share = isLog ? PortableMath.log(value / low) / PortableMath.log(high / low) : ChartAxis.halfSpan(low, value) / ChartAxis.halfSpan(low, high)
        return start + share * (end - start)
    }

    var ticks: [Double] {
        if isLog {
            var ticks: [Double] = []
            var decade = PortableMath.powerOfTen(Int(PortableMath.log10(low).rounded(.down)))
            while decade <= high {
                for factor in [1.0, 2, 5] where decade * factor >= low && decade * factor <= high {
                    ticks.append(decade * factor)
                }
                decade *= 10
            }
            return ticks
        }
        let step = ChartAxis.niceStep(ChartAxis.halfSpan(low, high) / 2.5)
        let count = Int((ChartAxis.halfSpan(low, high) / (step / 2)).rounded())
        // low + k × step, in halves so that the product cannot overflow where the sum does not.
        return (0...count).map { 2 * (low / 2 + Double($0) * (step / 2)) }
    }

    func label(_ value: Double) -> String {
        String(format: "%g", (value * 1e6).rounded() / 1e6)
    }

    /// Half of `high − low`, which is finite for any two finite numbers, where the whole
    /// difference may overflow (a forged student's weights of ±1e308). Halving is exact, so
    /// the ratios and steps made from it are those of the whole difference.
    static func halfSpan(_ low: Double, _ high: Double) -> Double {
        high / 2 - low / 2
    }

    /// 1, 2 or 5 times a power of ten, at least `rough`.
    static func niceStep(_ rough: Double) -> Double {
        guard rough > 0, rough.isFinite else { return 1 }
        let power = PortableMath.powerOfTen(Int(PortableMath.log10(rough).rounded(.down)))
        return [1.0, 2, 5, 10].map { $0 * power }.first { $0 >= rough * 0.999 } ?? 10 * power
    }

    /// The SVG of a chart's frame: both axes with their ticks and labels, a grid line at
    /// each value tick (drawn as an axis at zero), and the axes' names.
    static func frame(x: ChartAxis, y: ChartAxis, xLabel: String, yLabel: String, height: Double) -> [String] {
        let left = min(x.start, x.end), right = max(x.start, x.end)
        var parts = [SVGText.line(left, y.start, right, y.start, class: "axis"), SVGText.line(left, y.start, left, y.end, class: "axis")]
        for tick in x.ticks {
            let px = x.position(tick)
            parts.append(SVGText.line(px, y.start, px, y.start + 4, class: "axis"))
            parts.append(SVGText.text(x.label(tick), px, y.start + 16, anchor: "middle"))
        }
        for tick in y.ticks {
            let py = y.position(tick)
            parts.append(SVGText.line(left, py, right, py, class: tick == 0 ? "axis" : "grid"))
            parts.append(SVGText.text(y.label(tick), left - 6, py + 4, anchor: "end"))
        }
        parts.append(SVGText.text(xLabel, (left + right) / 2, height - 8, anchor: "middle"))
        parts.append(SVGText.text(yLabel, 14, (y.start + y.end) / 2, anchor: "middle", rotate: true))
        return parts
    }
}
