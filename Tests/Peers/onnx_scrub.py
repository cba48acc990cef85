"""What the exporters leave in a model that names the machine it was made on."""
import onnx


def drop_stack_traces(path):
    """Removes the Python stack trace dynamo stores on every node: it names files of the
    machine that exported the model. Everything else stays as the exporter wrote it."""
    model = onnx.load(path, load_external_data=False)

    def scrub(graph):
        for node in graph.node:
            kept = [p for p in node.metadata_props if p.key != "pkg.torch.onnx.stack_trace"]
            del node.metadata_props[:]
            node.metadata_props.extend(kept)
            for attribute in node.attribute:
                if attribute.type == onnx.AttributeProto.GRAPH:
                    scrub(attribute.g)

    scrub(model.graph)
    for function in model.functions:
        scrub(function)
    onnx.save(model, path)
