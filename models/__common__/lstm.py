"""Shared pieces of Vigil's LSTM models: windows, the autoencoder, the RUL regressor, ONNX export checks."""
import hashlib

import numpy as np
import torch
from torch import nn


def windows(x, window, stride=1):
    """All windows of one run [n, tags] as [count, window, tags]; window k ends at row k*stride + window - 1."""
    if len(x) < window:
        return np.zeros((0, window, x.shape[1]), dtype=x.dtype)
    v = np.lib.stride_tricks.sliding_window_view(x, window, axis=0)  # [n-W+1, tags, W]
    return np.ascontiguousarray(v[::stride].transpose(0, 2, 1))


class LstmAutoencoder(nn.Module):
    """Encoder LSTM to one state vector, repeated over the window, decoded by a second LSTM (pump-ae's shape)."""

    def __init__(self, tags, hidden):
        super().__init__()
        self.enc = nn.LSTM(tags, hidden, batch_first=True)
        self.dec = nn.LSTM(hidden, hidden, batch_first=True)
        self.out = nn.Linear(hidden, tags)

    def forward(self, x):
        _, (h, _) = self.enc(x)
        z = h[-1].unsqueeze(1).repeat(1, x.shape[1], 1)
        y, _ = self.dec(z)
        return self.out(y)


class LstmRegressor(nn.Module):
    """An LSTM over the window, its last state through a small dense head to one number."""

    def __init__(self, tags, hidden, dense=16, dropout=0.1):
        super().__init__()
        self.lstm = nn.LSTM(tags, hidden, batch_first=True)
        self.head = nn.Sequential(nn.Linear(hidden, dense), nn.ReLU(), nn.Dropout(dropout), nn.Linear(dense, 1))

    def forward(self, x):
        y, _ = self.lstm(x)
        return self.head(y[:, -1]).squeeze(-1)


class ConvLstmRegressor(nn.Module):
    """A 1D convolution over time (learned smoothing and sensor mixing; stride 2 halves the steps the LSTM
    walks, which is where a CPU spends its time), then LSTM layers, the last state through a dense head.
    No padding: with an even window, kernel 4 and stride 2 the last step covers exactly the window's last 4 rows."""

    def __init__(self, tags, conv=32, hidden=64, layers=1, dense=32, dropout=0.2, kernel=4, stride=2):
        super().__init__()
        self.conv = nn.Conv1d(tags, conv, kernel, stride=stride)
        self.lstm = nn.LSTM(conv, hidden, num_layers=layers, batch_first=True, dropout=dropout if layers > 1 else 0.0)
        self.head = nn.Sequential(nn.Linear(hidden, dense), nn.ReLU(), nn.Dropout(dropout), nn.Linear(dense, 1))

    def forward(self, x):
        z = torch.relu(self.conv(x.transpose(1, 2))).transpose(1, 2)
        y, _ = self.lstm(z)
        return self.head(y[:, -1]).squeeze(-1)


class Ensemble(nn.Module):
    """Members run on the same window; outputs are their mean and their (population) standard deviation, [batch] each.
    Scaled targets are multiplied back to the target unit inside the graph, so the app reads life directly."""

    def __init__(self, members, unit_scale):
        super().__init__()
        self.members = nn.ModuleList(members)
        self.unit_scale = unit_scale

    def forward(self, x):
        y = torch.stack([m(x) for m in self.members], dim=1) * self.unit_scale
        mean = y.mean(dim=1)
        std = ((y - mean.unsqueeze(1)) ** 2).mean(dim=1).sqrt()
        return mean, std


def sha256(path):
    return hashlib.sha256(open(path, 'rb').read()).hexdigest()
