import DistillCore
import Foundation

/// libFuzzer target for the ONNX loader and evaluator.
///
/// Each input is parsed as a model (`ONNXTeacher(serialized:file:)`: protobuf decoding, the
/// structural checks, output selection and graph compilation). A model that loads is then
/// asked about a few rows of zeros (empty strings for text inputs), the promise the loader
/// makes: a model that loads predicts any batch of well-formed rows.
///
/// Built with `make fuzz` (`-sanitize=fuzzer,address -DDISTILL_FUZZING`), libFuzzer supplies
/// `main`. Built plainly, it replays saved inputs: `FuzzONNX FILE...`.
/// A thrown error is an expected answer to a malformed model; a crash, a hang, a huge
/// allocation or an answer of the wrong length is a finding.
enum FuzzONNX {
    static let rows = 3
    static let strict = ProcessInfo.processInfo.environment["DISTILL_FUZZ_STRICT"] == "1"

    static func run(_ bytes: UnsafeRawBufferPointer) -> String {
        let data = Data(bytes)
        let teacher: ONNXTeacher
        do {
            teacher = try ONNXTeacher(serialized: data, file: "fuzz.onnx", threads: 1)
        } catch {
            return "not loaded: \(error)"
        }
        guard case .tensors(let inputs) = teacher.inputs else { return "loaded; inputs are not tensors" }
        let batch = TeacherBatch(rowCount: rows, inputs: inputs.map { input in
            let width = input.width ?? 1
            let count = rows * width
            let values: TensorValues
            switch input.elementType {
            case .float: values = .float([Float](repeating: 0, count: count))
            case .double: values = .double([Double](repeating: 0, count: count))
            case .int64: values = .int64([Int64](repeating: 0, count: count))
            case .string: values = .string([String](repeating: "", count: count))
            }
            return (input.name, width, values)
        })
        do {
            let answer = try teacher.predict(batch)
            precondition(answer.count == rows * teacher.task.outputWidth,
                         "predict gave \(answer.count) values for \(rows) rows × \(teacher.task.outputWidth) outputs")
            return "loaded; predicted \(answer.count) values"
        } catch {
            // Set DISTILL_FUZZ_STRICT=1 to count this as a finding too.
            precondition(!strict, "a model that loaded failed to predict rows of zeros: \(error)")
            return "loaded; predict failed: \(error)"
        }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzONNXTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    _ = FuzzONNX.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

#if !DISTILL_FUZZING
@main
struct FuzzONNXReplay {
    static func main() {
        let files = CommandLine.arguments.dropFirst()
        guard !files.isEmpty else {
            print("usage: FuzzONNX FILE...  (replays saved inputs; `make fuzz` builds the libFuzzer target)")
            exit(2)
        }
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else {
                print("\(file): cannot read")
                exit(1)
            }
            let result = data.withUnsafeBytes { FuzzONNX.run($0) }
            print("\(file): \(result)")
        }
    }
}
#endif
