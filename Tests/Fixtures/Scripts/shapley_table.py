"""Shapley values from a table of coalition values, shared by the fixture scripts.

`value[mask]` is the fit of the coalition whose players are the set bits of `mask` (g players);
player j's value is Σ over coalitions S without j of |S|!(g−|S|−1)!/g! · (v(S ∪ {j}) − v(S)).
"""
import math


def shapley_from_table(value, g):
    phi = []
    for j in range(g):
        total = 0.0
        for mask in range(1 << g):
            if mask >> j & 1: continue
            k = bin(mask).count("1")
            total += math.factorial(k) * math.factorial(g - k - 1) / math.factorial(g) * (value[mask | 1 << j] - value[mask])
        phi.append(total)
    return phi
