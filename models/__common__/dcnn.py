"""The deep 1-D CNN of Li, Ding and Sun 2018 ("Remaining useful life estimation in prognostics using deep
convolution neural networks", Reliability Engineering & System Safety 172), a RUL regressor over a window."""
import torch
from torch import nn


class Dcnn(nn.Module):
    """Convolutions over time only, each sensor through the same kernels (a [window, tags] image with kernels
    [kernel, 1]): the network learns one way to smooth and difference a sensor's trend and applies it to all of
    them, mixing sensors only in the dense layer. Li et al.: 4 layers of 10 filters of 10 steps, one of 1 filter
    of 3 steps, tanh, zero 'same' padding in time, then dropout 0.5 and a dense layer of 100.
    Input [batch, window, tags], output [batch]."""

    def __init__(self, tags, window, filters=10, kernel=10, layers=4, last_kernel=3, dense=100, dropout=0.5):
        super().__init__()
        convs, channels = [], 1
        for k, out in [(kernel, filters)] * layers + [(last_kernel, 1)]:
            # 'same' in time for an even kernel too: (k-1)//2 rows in front, the rest behind, none across sensors.
            convs += [nn.ZeroPad2d((0, 0, (k - 1) // 2, k // 2)), nn.Conv2d(channels, out, (k, 1)), nn.Tanh()]
            channels = out
        self.convs = nn.Sequential(*convs)
        self.head = nn.Sequential(nn.Flatten(), nn.Dropout(dropout), nn.Linear(window * tags, dense), nn.Tanh(),
                                  nn.Linear(dense, 1))
        for m in self.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                nn.init.xavier_normal_(m.weight)  # as Li et al.
                nn.init.zeros_(m.bias)

    def forward(self, x):
        return self.head(self.convs(x.unsqueeze(1))).squeeze(-1)
