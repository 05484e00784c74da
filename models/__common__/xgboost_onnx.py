"""An XGBoost booster as ONNX nodes: one ai.onnx.ml TreeEnsembleRegressor summing the trees'
leaves onto the base margin, then Sigmoid for binary:logistic.

Written here rather than taken from onnxmltools (not packaged for Debian, and no PyPI here).
It reads the booster's own JSON model (save_raw(raw_format='json')), where each tree is arrays:
left_children / right_children (-1 at a leaf), split_indices (the feature), split_conditions
(the threshold, or at a leaf the leaf's value, learning rate included), default_left (where a
missing value goes). XGBoost sends a row left ("yes") when feature < threshold, in float32:
BRANCH_LT on float32 thresholds, which is what ONNX's tree ensemble compares with.

    nodes, inits = xgboost_nodes(booster, 'features', 'p_xgb', prefix='xgb_')

gives nodes reading a float [batch, features] tensor and writing P(class 1) [batch, 1].
"""
import json
import math

import numpy as np
from onnx import helper

ML_DOMAIN = 'ai.onnx.ml'


def booster_json(booster):
    """The booster's model as a dict, refusing what this converter cannot express."""
    model = json.loads(booster.save_raw(raw_format='json'))
    learner = model['learner']
    gb = learner['gradient_booster']
    if gb['name'] != 'gbtree':
        raise ValueError(f'xgboost_onnx: booster is "{gb["name"]}"; only gbtree converts')
    param = learner['learner_model_param']
    if int(param.get('num_class', '0')) > 1 or int(param.get('num_target', '1')) != 1:
        raise ValueError(f'xgboost_onnx: {param} is multi-output; only one margin per row converts')
    objective = learner['objective']['name']
    if objective not in ('binary:logistic', 'reg:squarederror'):
        raise ValueError(f'xgboost_onnx: objective "{objective}" is not binary:logistic or reg:squarederror')
    for tree in gb['model']['trees']:
        if any(tree['split_type']):
            raise ValueError(f'xgboost_onnx: tree {tree["id"]} has categorical splits, which do not convert')
    return model


def base_margin(model):
    """XGBoost's base_score is kept in output space; the trees add to it in margin space."""
    b = float(model['learner']['learner_model_param']['base_score'])
    if model['learner']['objective']['name'] == 'binary:logistic':
        return math.log(b / (1 - b))
    return b


def tree_arrays(model):
    """The ONNX TreeEnsembleRegressor attributes for every tree, walking each from its root
    (pruned nodes stay in xgboost's arrays but are unreachable, so they are left out)."""
    a = {k: [] for k in ['nodes_treeids', 'nodes_nodeids', 'nodes_featureids', 'nodes_values', 'nodes_modes',
                         'nodes_truenodeids', 'nodes_falsenodeids', 'nodes_missing_value_tracks_true',
                         'target_treeids', 'target_nodeids', 'target_ids', 'target_weights']}
    for t, tree in enumerate(model['learner']['gradient_booster']['model']['trees']):
        left, right = tree['left_children'], tree['right_children']
        stack = [0]
        while stack:
            i = stack.pop()
            a['nodes_treeids'].append(t)
            a['nodes_nodeids'].append(i)
            # float32 as xgboost holds it: the JSON writes the shortest decimal of each float32.
            value = float(np.float32(tree['split_conditions'][i]))
            if left[i] == -1:
                a['nodes_featureids'].append(0)
                a['nodes_values'].append(0.0)
                a['nodes_modes'].append('LEAF')
                a['nodes_truenodeids'].append(0)
                a['nodes_falsenodeids'].append(0)
                a['nodes_missing_value_tracks_true'].append(0)
                a['target_treeids'].append(t)
                a['target_nodeids'].append(i)
                a['target_ids'].append(0)
                a['target_weights'].append(value)
            else:
                a['nodes_featureids'].append(int(tree['split_indices'][i]))
                a['nodes_values'].append(value)
                a['nodes_modes'].append('BRANCH_LT')
                a['nodes_truenodeids'].append(left[i])
                a['nodes_falsenodeids'].append(right[i])
                a['nodes_missing_value_tracks_true'].append(int(tree['default_left'][i]))
                stack += [right[i], left[i]]
    return a


def xgboost_nodes(booster, features, output, prefix='xgb_'):
    """ONNX nodes (default domain and ai.onnx.ml) from `features` [batch, F] float to `output`
    [batch, 1]: P(1) for binary:logistic, the prediction for reg:squarederror. No initializers
    are needed; the second value is kept for symmetry with other builders."""
    model = booster_json(booster)
    margin = f'{prefix}margin'
    logistic = model['learner']['objective']['name'] == 'binary:logistic'
    nodes = [helper.make_node('TreeEnsembleRegressor', [features], [margin if logistic else output],
                              name=f'{prefix}trees', domain=ML_DOMAIN, n_targets=1, aggregate_function='SUM',
                              post_transform='NONE', base_values=[base_margin(model)], **tree_arrays(model))]
    if logistic:
        nodes.append(helper.make_node('Sigmoid', [margin], [output], name=f'{prefix}sigmoid'))
    return nodes, []


def xgboost_model(booster, n_features, input_name='features', output_name='p'):
    """A standalone ONNX model of the booster: input [batch, n_features] float, output [batch, 1]."""
    nodes, inits = xgboost_nodes(booster, input_name, output_name)
    graph = helper.make_graph(
        nodes, 'xgboost', [helper.make_tensor_value_info(input_name, 1, ['batch', n_features])],
        [helper.make_tensor_value_info(output_name, 1, ['batch', 1])], inits)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid('', 17), helper.make_opsetid(ML_DOMAIN, 3)],
                             producer_name='vigil xgboost_onnx')
