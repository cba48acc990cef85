#!/bin/sh
# Regenerates OnnxSubset.pb.swift from onnx-subset.proto.
#
# Needs `protoc` (the protobuf compiler) and `protoc-gen-swift` of the same release as the
# package's swift-protobuf dependency, both on PATH. Run from any directory:
#
#     sh Sources/DistillCore/Teacher/ONNX/regenerate-proto.sh
#
# The generated types are internal: the ONNX wire format is an implementation detail of
# ONNXTeacher, not part of DistillCore's API.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
command -v protoc >/dev/null 2>&1 || { echo "regenerate-proto.sh: protoc not found on PATH" >&2; exit 1; }
command -v protoc-gen-swift >/dev/null 2>&1 || { echo "regenerate-proto.sh: protoc-gen-swift not found on PATH" >&2; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
protoc --proto_path="$here" \
       --swift_opt=Visibility=Internal \
       --swift_opt=FileNaming=DropPath \
       --swift_out="$out" \
       "$here/onnx-subset.proto"
mv "$out/onnx-subset.pb.swift" "$here/OnnxSubset.pb.swift"
echo "wrote $here/OnnxSubset.pb.swift"
