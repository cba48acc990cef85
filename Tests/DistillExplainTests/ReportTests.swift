import DistillCore
import Foundation
import Testing

@testable import DistillExplain

@Suite("Report pages and charts")
struct ReportTests {
    @Test func escapingCoversMarkupQuotesAndControls() {
        #expect(HTMLText.escape("<script>a&b</script> \"x\" 'y'\u{7}\nz")
            == "&lt;script&gt;a&amp;b&lt;/script&gt; &quot;x&quot; &#39;y&#39;\u{FFFD}\nz")
        #expect(HTMLText.escape("a\nb", lineBreak: "<BR/>") == "a<BR/>b")
    }

    @Test func niceStepsAndScales() {
        #expect(ChartAxis.niceStep(0.13) == 0.2)
        #expect(ChartAxis.niceStep(3) == 5)
        #expect(ChartAxis.niceStep(700) == 1000)
        let linear = ChartAxis(values: [1, 8], from: 0, to: 100, allowLog: true)
        #expect(!linear.isLog && linear.low == 0 && linear.high == 8 && linear.ticks == [0, 2, 4, 6, 8])
        let log = ChartAxis(values: [1, 500], from: 0, to: 100, allowLog: true)
        #expect(log.isLog && log.ticks == [1, 2, 5, 10, 20, 50, 100, 200, 500])
        #expect(abs(log.position(500) - 100) < 1e-9 && log.position(1) == 0)
        let flat = ChartAxis(values: [0.9, 0.9], from: 0, to: 100, allowLog: false)
        #expect(flat.low < 0.9 && flat.high > 0.9)
    }

    /// A forged linear student may hold weights of ±1e308, whose difference overflows.
    @Test func anAxisOverTheWholeDoubleRangeHasFiniteTicksAndPositions() {
        let wide = ChartAxis(values: [-1e308, 1e308], from: 0, to: 100, allowLog: false)
        #expect(wide.ticks.count >= 2 && wide.ticks.allSatisfy(\.isFinite))
        #expect(wide.position(-1e308) >= 0 && wide.position(1e308) <= 100 && wide.position(0).isFinite)
    }

    @Test func chosenPointIsRingedWhereItIsDrawn() throws {
        let points = [(8.0, 0.95), (1.0, 0.5), (4.0, 0.9)].map { LineChart.Point(x: $0.0, y: $0.1, note: "\(Int($0.0)) leaves") }
        let svg = LineChart(points: points, chosen: 2, xLabel: "leaves", yLabel: "agreement").svg
        let ring = try #require(svg.firstMatch(of: /<circle class="chosen" cx="([0-9.]+)" cy="([0-9.]+)"/))
        let dots = svg.matches(of: /<circle class="point" cx="([0-9.]+)" cy="([0-9.]+)" r="3"><title>([^<]*)<\/title>/)
        let chosenDot = try #require(dots.first { $0.output.3 == "4 leaves" })
        #expect(ring.output.1 == chosenDot.output.1 && ring.output.2 == chosenDot.output.2)
        #expect(svg.contains("chosen: 4 leaves"))
        // The polyline runs left to right whatever order the points came in.
        let xs = dots.map { Double($0.output.1)! }
        #expect(xs == xs.sorted())
    }

    @Test func barsAreProportionalAndLabelsEscaped() throws {
        let chart = BarChart(bars: [.init(label: "<b>big</b>", value: 0.6), .init(label: "half", value: 0.3)], caption: "importance")
        let widths = chart.svg.matches(of: /<rect class="bar" x="[0-9.]+" y="[0-9.]+" width="([0-9.]+)"/).map { Double($0.output.1)! }
        #expect(widths.count == 2 && abs(widths[0] - 2 * widths[1]) < 0.2)
        #expect(chart.svg.contains("&lt;b&gt;big&lt;/b&gt;") && !chart.svg.contains("<b>"))
    }

    /// The command line in the report must read back, through a real shell, as the same words.
    @Test func commandLineQuotingRoundTripsThroughTheShell() throws {
        let words = ["distill", "tree", "--data", "my data.csv", "--label", "it's", "--features", "a,b", "$HOME", "", "\"q\""]
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "for w in " + ShellWords.join(words) + "; do printf '%s\\n' \"[$w]\"; done"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(output == words.map { "[\($0)]\n" }.joined())
        #expect(ShellWords.join(["distill", "--seed", "3"]) == "distill --seed 3")
    }

    @Test func hostileNamesAreEscapedEverywhereInAPage() throws {
        let names = ["<script>window.x=1</script>", "\"quoted\" & <i>"]
        let data = Dataset(features: [Column(name: names[0], values: .numeric([1, 2, 3, 4])),
                                      Column(name: names[1], values: .categorical(codes: [0, 1, 0, 1], levels: ["<b>", "x'y"]))],
                           rowCount: 4)
        let outputs = TeacherOutputs(task: .classification(classes: ["</td>", "ok"]), values: [1, 0, 1, 0, 0, 1, 0, 1])
        var distillation = TreeDistillation(configuration: TreeConfiguration(), targetFidelity: nil, seed: 1)
        distillation.augmentation.mode = .none
        let result = try distillation.run(train: data, trainOutputs: outputs, eval: data, evalOutputs: outputs, synthetic: nil, label: nil)
        let tree = result.tree
        let leaves = result.leaves
        let report = FidelityReport(tree: tree, result: result, teacherQueries: 8)
        let run = RunRecord(command: ["distill", "tree", "--label", names[0]], seed: 1,
                            teacher: .init(kind: "program", description: "program '<x>'", task: outputs.task),
                            inputs: [], train: data, evalRows: 4, evalSource: "held-out rows")
        let diagram = try Graphviz.render(dot: TreeDiagram(tree: tree, leafFidelity: leaves, overallAgreement: 1).dot, format: "svg")
        let html = TreeReport(tree: tree, fidelity: report, run: run, diagram: diagram).page.html
        for raw in ["<script>window", "<i>", "<b>", "</td>\n", "'<x>'"] {
            #expect(!html.contains(raw), "unescaped: \(raw)")
        }
        #expect(html.contains("&lt;script&gt;window.x=1&lt;/script&gt;"))
        #expect(html.contains("&quot;quoted&quot; &amp; &lt;i&gt;"))
        #expect(!html.contains("<script"))
    }
}
