"""What a regressor sees of a window, inside its ONNX graph: the app always feeds min-max scaled windows (the
card's scaler), so another per-tag scaling or a smoothing a recipe wants is done here, in the graph, and the
card contract stays the same."""
import numpy as np
import torch
from torch import nn


def ema_matrix(window, alpha):
    """[window, window] lower-triangular weights: row t is the exponential moving average at step t of a window
    started at its first row (s_0 = x_0, s_t = alpha x_t + (1 - alpha) s_(t-1)). Only the window is smoothed,
    since the app hands the model nothing older; training windows are smoothed the same way."""
    s = np.zeros((window, window))
    for t in range(window):
        s[t, 0] = (1 - alpha) ** t
        for j in range(1, t + 1):
            s[t, j] = alpha * (1 - alpha) ** (t - j)
    return s.astype(np.float32)


class WindowFront(nn.Module):
    """x [batch, window, tags] -> (x * gain + offset) per tag, then the EMA over the window when alpha is given."""

    def __init__(self, gain, offset, window, alpha=None):
        super().__init__()
        self.register_buffer('gain', torch.as_tensor(np.asarray(gain, dtype=np.float32)))
        self.register_buffer('offset', torch.as_tensor(np.asarray(offset, dtype=np.float32)))
        self.smooth = alpha is not None
        if self.smooth:
            self.register_buffer('ema', torch.from_numpy(ema_matrix(window, alpha)))

    def forward(self, x):
        x = x * self.gain + self.offset
        return torch.matmul(self.ema, x) if self.smooth else x


class FrontedRegressor(nn.Module):
    """A regressor behind its front, exported as one member of the ensemble."""

    def __init__(self, front, net):
        super().__init__()
        self.front = front
        self.net = net

    def forward(self, x):
        return self.net(self.front(x))
