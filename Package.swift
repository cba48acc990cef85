// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Distill",
    products: [
        .executable(name: "distill", targets: ["distill"]),
        .library(name: "DistillCore", targets: ["DistillCore"]),
        .library(name: "DistillExplain", targets: ["DistillExplain"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.28.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        .systemLibrary(
            name: "CGraphviz",
            pkgConfig: "libgvc",
            providers: [.apt(["libgraphviz-dev"])]
        ),
        // Distill's own kernels (ONNX inference's matrix product, the linear solver's sums over
        // rows), not a wrapper of a system library: C, because C compiles one function for
        // several instruction sets and picks one at run time. Optimised even in debug builds (the tests run real models), and with
        // contraction off so the compiler never fuses a multiply and an add that the source
        // keeps apart: the bits must not depend on the compiler either.
        .target(
            name: "DistillKernels",
            cSettings: [.unsafeFlags(["-O3", "-ffp-contract=off"])]
        ),
        .target(
            name: "DistillCore",
            dependencies: [
                "DistillKernels",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            exclude: [
                "Teacher/ONNX/onnx-subset.proto",
                "Teacher/ONNX/regenerate-proto.sh",
            ]
        ),
        .target(
            name: "DistillExplain",
            dependencies: ["DistillCore", "CGraphviz"]
        ),
        .executableTarget(
            name: "distill",
            dependencies: [
                "DistillCore",
                "DistillExplain",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "distill-bench",
            dependencies: ["DistillCore"]
        ),
        // libFuzzer targets, built with the fuzzer only by `make fuzz`; a plain build makes
        // them replay tools for saved inputs.
        .executableTarget(name: "FuzzCSV", dependencies: ["DistillCore"]),
        .executableTarget(name: "FuzzONNX", dependencies: ["DistillCore"]),
        .testTarget(
            name: "DistillCoreTests",
            dependencies: ["DistillCore"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "DistillExplainTests",
            dependencies: ["DistillExplain"],
            // Read from the source tree by path, so they can be re-recorded in place.
            exclude: ["Golden"]
        ),
        .testTarget(
            name: "DistillCLITests",
            dependencies: ["DistillCore"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
