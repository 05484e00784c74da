"""sklearn decision-tree classifiers (a DecisionTreeClassifier, or a RandomForestClassifier /
ExtraTreesClassifier of them) as one ai.onnx.ml TreeEnsembleClassifier node, without skl2onnx.

sklearn sends a sample left when X[feature] <= threshold, X cast to float32 and the threshold a
float64 (a midpoint between two float32 training values). ONNX stores thresholds as float32, so
each is rounded DOWN to the largest float32 not above it: for every float32 x, x <= t64 exactly
when x <= that float32, so the trees split every float32 input as sklearn does. Rounding to the
nearest float32 instead can land on the upper float32 of the pair and send it the wrong way.

A forest's predict_proba is the mean of its trees' leaf class distributions, so every leaf
carries its normalised class counts divided by the number of trees, and the node sums them.
"""
import numpy as np
from onnx import helper, numpy_helper

ML_DOMAIN = 'ai.onnx.ml'


def float32_at_or_below(t):
    """The largest float32 <= t for each float64 threshold t."""
    t = np.asarray(t, dtype=np.float64)
    f = t.astype(np.float32)
    above = f.astype(np.float64) > t
    f[above] = np.nextafter(f[above], np.float32(-np.inf))
    return f


def _trees(model):
    """The fitted trees of a forest, or the single tree of a decision tree."""
    if hasattr(model, 'estimators_'):
        return [e.tree_ for e in model.estimators_]
    if hasattr(model, 'tree_'):
        return [model.tree_]
    raise TypeError(f'{type(model).__name__} is not a fitted sklearn tree classifier (no tree_ or estimators_)')


def tree_ensemble_classifier(model, input_name, label_name, proba_name, node_name='forest'):
    """Nodes and initializers reproducing model.predict_proba and model.predict on a float [N, n_features] input:
    proba_name (float [N, classes], columns in model.classes_ order) and label_name (int64 [N], the class of
    largest probability, the first on a tie as numpy's argmax).

    The label is taken from the probabilities (ArgMax, then the class at that index), not from the tree
    node's own label output: with two classes onnxruntime labels a row positive whenever its class-1
    score is above 0 (its rule for margin scores), and reports class indices rather than the labels.
    """
    classes = np.asarray(model.classes_)
    if classes.dtype.kind not in 'iub':
        raise TypeError(f'class labels must be integers, got {classes.dtype} ({classes[:3]}...)')
    if getattr(model, 'n_outputs_', 1) != 1:
        raise ValueError('multi-output forests are not supported: one node holds one target')
    trees = _trees(model)
    scale = 1.0 / len(trees)
    a = {k: [] for k in ['nodes_treeids', 'nodes_nodeids', 'nodes_featureids', 'nodes_values', 'nodes_modes',
                         'nodes_truenodeids', 'nodes_falsenodeids', 'nodes_missing_value_tracks_true',
                         'class_treeids', 'class_nodeids', 'class_ids', 'class_weights']}
    for tid, t in enumerate(trees):
        n = t.node_count
        leaf = t.children_left == -1  # sklearn's TREE_LEAF
        thr = float32_at_or_below(t.threshold)
        a['nodes_treeids'] += [tid] * n
        a['nodes_nodeids'] += list(range(n))
        a['nodes_featureids'] += np.where(leaf, 0, t.feature).tolist()
        a['nodes_values'] += np.where(leaf, 0, thr).astype(np.float32).tolist()
        a['nodes_modes'] += ['LEAF' if lf else 'BRANCH_LEQ' for lf in leaf]
        a['nodes_truenodeids'] += np.where(leaf, 0, t.children_left).tolist()
        a['nodes_falsenodeids'] += np.where(leaf, 0, t.children_right).tolist()
        # sklearn 1.2 refuses NaN; here a NaN fails every <= test and goes right (callers guard NaN themselves).
        a['nodes_missing_value_tracks_true'] += [0] * n
        value = t.value[:, 0, :]  # [nodes, classes]: class counts (weighted) reaching each node
        for node in np.nonzero(leaf)[0]:
            total = value[node].sum()
            dist = value[node] / (total if total > 0 else 1.0)
            # Every class gets a weight, zeros too, so onnxruntime sums each class's column as given
            # rather than deriving one column from the other (its path for a two-class ensemble
            # with one weighted class).
            for c in range(len(classes)):
                a['class_treeids'].append(tid)
                a['class_nodeids'].append(int(node))
                a['class_ids'].append(c)
                a['class_weights'].append(float(np.float32(dist[c] * scale)))
    trees_node = helper.make_node(
        'TreeEnsembleClassifier', [input_name], [f'{node_name}_ort_label', proba_name], name=node_name,
        domain=ML_DOMAIN, classlabels_int64s=list(range(len(classes))), post_transform='NONE', **a)
    labels = numpy_helper.from_array(classes.astype(np.int64), f'{node_name}_classes')
    nodes = [
        trees_node,
        helper.make_node('ArgMax', [proba_name], [f'{node_name}_argmax'], axis=1, keepdims=0),
        helper.make_node('Gather', [labels.name, f'{node_name}_argmax'], [label_name], axis=0),
    ]
    return nodes, [labels]


def near_threshold_rows(model, x, rng, count):
    """count rows of x with one feature moved onto a split threshold of the model, or the float32 just
    below or above it: the inputs on which a float rounding slip would send a sample the wrong way."""
    trees = _trees(model)
    rows = x[rng.integers(0, len(x), count)].astype(np.float32).copy()
    for r in rows:
        t = trees[rng.integers(len(trees))]
        inner = np.nonzero(t.children_left != -1)[0]
        node = inner[rng.integers(len(inner))]
        at = float32_at_or_below(t.threshold[node])
        r[t.feature[node]] = [at, np.nextafter(at, np.float32(np.inf)), np.nextafter(at, np.float32(-np.inf))][
            rng.integers(3)]
    return rows
