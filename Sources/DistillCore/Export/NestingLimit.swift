/// The deepest tree an export writes, set by what its consumer takes: the code and PMML
/// exports nest a level per split, and onnxruntime and JPMML walk a tree recursively. Each
/// limit was found by running the real consumer on exported chains of splits and is kept
/// well inside it, so a tree that passes the check also passes the consumer on another
/// machine or version; a deeper tree is refused before anything is written. SQL, JSON and
/// Markdown need none: they write a tree's leaves or nodes side by side.
struct NestingLimit {
    /// The format's name as `--format` spells it.
    let format: String
    /// The most splits on one path.
    let depth: Int
    /// Why, in words: what the consumer takes.
    let reason: String

    /// CPython's tokenizer allows 100 levels of indentation, and `predict`'s body is one:
    /// 98 nested `if`s compile, 99 do not (Python 3.11).
    static let python = NestingLimit(format: "python", depth: 90,
                                     reason: "it nests an if per split, and CPython allows 100 levels of indentation")
    /// clang's documented default bracket depth (`-fbracket-depth`) is 256, and every split
    /// opens a brace inside the function's (clang 21 raised it to 2048; gcc took 5,000).
    static let c = NestingLimit(format: "c", depth: 200,
                                reason: "it nests a block per split, and clang stops at 256 nested braces and parentheses by default")
    /// The Swift export nests at most `SwiftCode.levelsPerFunction` levels in one function
    /// (so swiftc's own limit of 256 nested braces never binds) and calls a function for the
    /// levels below; a row deep in the tree goes through a call per 6 levels. Optimised,
    /// those are tail calls; unoptimised (-Onone) each keeps a frame: the 834 nested calls of
    /// a chain of 5,000 splits overflowed a 64 KB thread stack and ran on 512 KB (Swift 6.3).
    static let swift = NestingLimit(format: "swift", depth: 1000,
                                    reason: "it calls a function per 6 levels, and unoptimised code keeps a stack frame for each")
    /// JPMML 1.7 reads and evaluates nested Nodes recursively: with Java's default 1 MB
    /// thread stack a chain of 3,000 splits evaluated and one of 4,000 overflowed it (with
    /// 512 KB, 3,000 overflowed).
    static let pmml = NestingLimit(format: "pmml", depth: 1000,
                                   reason: "it nests a Node per split, and JPMML walks them recursively, overflowing Java's default 1 MB stack past about 3,500")
    /// onnxruntime 1.32 builds a TreeEnsemble's nodes recursively when it loads the model: a
    /// chain of 10,000 splits loaded and one of 11,000 crashed on an 8 MB stack, and on a
    /// 1 MB stack (a thread's default on Windows) 1,000 loaded and 1,400 crashed.
    static let onnx = NestingLimit(format: "onnx", depth: 500,
                                   reason: "onnxruntime builds the tree recursively when it loads the model, and crashes past about 1,200 levels on a 1 MB stack")

    /// - Throws: `DataError` naming the tree's depth, the limit and why, when the tree is deeper.
    func check(_ tree: DecisionTree) throws {
        let deepest = tree.depth
        guard deepest <= depth else {
            throw DataError("the tree is \(deepest) splits deep, and --format \(format) writes trees up to \(depth) deep: \(reason); "
                            + "fit the tree with --max-depth \(depth), or export it as sql, json or markdown, which list the leaves side by side")
        }
    }
}
