"""Terms statistically distinctive of one group of texts against the others.

Weighted log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008,
"Fightin' Words", section 3.5.1). For group ``i`` against all other groups ``j`` and term
``w`` with counts ``y``, group totals ``n`` and prior pseudo-counts ``a_w`` (``a0`` their sum)::

    delta_w = log((y_iw + a_w) / (n_i + a0 - y_iw - a_w))
            - log((y_jw + a_w) / (n_j + a0 - y_jw - a_w))
    var_w  ~= 1 / (y_iw + a_w) + 1 / (y_jw + a_w)
    z_w     = delta_w / sqrt(var_w)

The prior shrinks the estimates of rare terms toward the background rate, so a word used once
by one outlet does not look distinctive; the z-score accounts for the remaining variance.
Works over any grouping of token streams: outlets in a story, stories in a thread, outlets
over all stories.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

import numpy as np

#: 95% two-sided significance, the usual cut-off for "distinctive".
Z_THRESHOLD = 1.96
#: Pseudo-count of a term absent from an explicit prior, so its log-odds stay finite.
MISSING_PRIOR = 0.5


def log_odds_z(
    groups: Mapping[str, Iterable[str]], prior: Mapping[str, int] | None = None
) -> tuple[list[str], list[str], np.ndarray]:
    """Z-scores of every term for every group against the rest.

    Args:
        groups: group name -> its token stream.
        prior: background counts per term (e.g. from a large corpus); None uses the pooled
            counts of ``groups`` themselves.

    Returns:
        ``(group names, vocabulary, z)`` with ``z[g, w]`` the z-score of term ``w`` for group
        ``g``; positive means the group uses the term more than the others.
    """
    names = list(groups)
    counters = [Counter(tokens) for tokens in groups.values()]
    vocabulary = sorted(set().union(*counters)) if counters else []
    if len(names) < 2 or not vocabulary:
        return names, vocabulary, np.zeros((len(names), len(vocabulary)))
    index = {term: k for k, term in enumerate(vocabulary)}
    counts = np.zeros((len(names), len(vocabulary)))
    for g, counter in enumerate(counters):
        for term, count in counter.items():
            counts[g, index[term]] = count
    pooled = counts.sum(axis=0)
    if prior is None:
        alpha, alpha0 = pooled, float(pooled.sum())
    else:
        alpha = np.array([float(prior.get(term, 0)) or MISSING_PRIOR for term in vocabulary])
        alpha0 = float(sum(prior.values())) + MISSING_PRIOR * sum(
            1 for term in vocabulary if not prior.get(term, 0)
        )
    totals = counts.sum(axis=1, keepdims=True)
    rest = pooled - counts
    rest_totals = totals.sum() - totals
    with np.errstate(divide="ignore", invalid="ignore"):
        own = np.log(counts + alpha) - np.log(totals + alpha0 - counts - alpha)
        other = np.log(rest + alpha) - np.log(rest_totals + alpha0 - rest - alpha)
        variance = 1.0 / (counts + alpha) + 1.0 / (rest + alpha)
        z = (own - other) / np.sqrt(variance)
    return names, vocabulary, np.nan_to_num(z, nan=0.0, posinf=0.0, neginf=0.0)


def distinctive_terms(
    groups: Mapping[str, Iterable[str]],
    prior: Mapping[str, int] | None = None,
    top: int = 10,
    *,
    min_z: float = Z_THRESHOLD,
) -> dict[str, list[tuple[str, float]]]:
    """The terms most distinctive of each group against all the others.

    Args:
        groups: group name -> token stream (e.g. outlet -> content stems of its articles).
        prior: background term counts; None uses the pooled counts of ``groups``.
        top: most terms returned per group.
        min_z: least z-score returned (1.96: significant at 5%, two-sided).

    Returns:
        group -> ``[(term, z), ...]``, highest z first (ties by term); every group is a key,
        with an empty list when nothing passes or there is no other group to compare with.
    """
    names, vocabulary, z = log_odds_z(groups, prior)
    result: dict[str, list[tuple[str, float]]] = {}
    for g, name in enumerate(names):
        passing = [k for k in np.flatnonzero(z[g] >= min_z)] if vocabulary else []
        passing.sort(key=lambda k: (-z[g, k], vocabulary[k]))
        result[name] = [(vocabulary[k], round(float(z[g, k]), 3)) for k in passing[:top]]
    return result
