"""Weights stored as float16 in the ONNX graph, computed in float32.

The detector must stay under 400 KB. Storing its larger weight tensors as float16, each followed by a
Cast to float32, halves their bytes; onnxruntime folds the Casts into float32 constants when it loads the
graph, so inference runs in float32 exactly as before, on weights rounded to float16 (a relative error of
at most 2^-11). OpenCV's DNN module, which the Python evaluation uses, reads no float16: `upcast` turns
such a graph back into the float32 graph that onnxruntime computes after folding.
"""

from __future__ import annotations

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

SUFFIX = "_fp16"


def store_float16(model: onnx.ModelProto, min_size: int) -> int:
    """Stores every float32 initializer of at least `min_size` elements as float16 behind a Cast; returns
    the number of weights so stored."""
    g = model.graph
    kept: list[onnx.TensorProto] = []
    casts: list[onnx.NodeProto] = []
    stored = 0
    for init in g.initializer:
        a = numpy_helper.to_array(init)
        if a.dtype == np.float32 and a.size >= min_size:
            half = numpy_helper.from_array(a.astype(np.float16), init.name + SUFFIX)
            kept.append(half)
            casts.append(helper.make_node("Cast", [half.name], [init.name], to=TensorProto.FLOAT,
                                          name="cast_" + init.name))
            stored += a.size
        else:
            kept.append(init)
    del g.initializer[:]
    g.initializer.extend(kept)
    nodes = list(g.node)
    del g.node[:]
    g.node.extend(casts + nodes)
    return stored


def upcast(model: onnx.ModelProto) -> onnx.ModelProto:
    """The same graph with the float16 initializers behind Casts turned into the float32 constants the
    Casts produce."""
    m = onnx.ModelProto()
    m.CopyFrom(model)
    g = m.graph
    halves = {i.name: i for i in g.initializer if i.data_type == TensorProto.FLOAT16}
    casts = [n for n in g.node if n.op_type == "Cast" and len(n.input) == 1 and n.input[0] in halves]
    if not casts:
        return m
    out = [i for i in g.initializer if i.name not in halves]
    for n in casts:
        a = numpy_helper.to_array(halves[n.input[0]]).astype(np.float32)
        out.append(numpy_helper.from_array(a, n.output[0]))
    del g.initializer[:]
    g.initializer.extend(out)
    nodes = [n for n in g.node if n not in casts]
    del g.node[:]
    g.node.extend(nodes)
    return m


def load_for_opencv(path: str):
    """cv2.dnn network of an ONNX file, float16 weights upcast."""
    import cv2

    m = upcast(onnx.load(path))
    return cv2.dnn.readNetFromONNX(m.SerializeToString())
