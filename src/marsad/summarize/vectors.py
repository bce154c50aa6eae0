"""Bag-of-stems term matrices, TF-IDF weighting and similarities for story summaries.

Most stories are one to a few articles, re-summarised every time they grow; for those,
SciPy's per-call overhead costs more than the arithmetic, so small matrices are dense
NumPy arrays and larger ones CSR. Every function here accepts either.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeAlias

import numpy as np
import numpy.typing as npt
from scipy import sparse

FloatArray: TypeAlias = npt.NDArray[np.float64]
Matrix: TypeAlias = FloatArray | sparse.csr_matrix

#: A term matrix is dense when rows * rows * columns (the work of its Gram matrix) is at
#: most this. Above it OpenBLAS multithreads the product, and on a busy machine thread
#: hand-offs cost milliseconds where sparse products take tens of microseconds.
DENSE_GRAM_WORK = 200_000


def term_counts(bags: Sequence[Sequence[str]]) -> Matrix:
    """Return the bag-by-term count matrix; columns are numbered in order of first use."""
    vocab: dict[str, int] = {}
    cols = np.fromiter(
        (vocab.setdefault(stem, len(vocab)) for bag in bags for stem in bag), dtype=np.int64
    )
    rows = np.repeat(np.arange(len(bags), dtype=np.int64), [len(bag) for bag in bags])
    shape = (len(bags), max(len(vocab), 1))
    if shape[0] * shape[0] * shape[1] <= DENSE_GRAM_WORK:
        flat = np.bincount(rows * shape[1] + cols, minlength=shape[0] * shape[1])
        return flat.reshape(shape).astype(np.float64)
    counts = sparse.csr_matrix((np.ones(len(cols)), (rows, cols)), shape=shape)
    counts.sum_duplicates()  # repeated (row, col) pairs become counts
    return counts


def document_frequency(counts: Matrix) -> FloatArray:
    """Return, per column, how many rows contain the term."""
    if isinstance(counts, np.ndarray):
        return np.asarray((counts > 0).sum(axis=0), dtype=np.float64)
    return np.bincount(counts.indices, minlength=counts.shape[1]).astype(np.float64)


def smoothed_idf(counts: Matrix) -> FloatArray:
    """Return ``1 + ln((1 + n) / (1 + df))`` per column: rare terms weigh more, none is 0."""
    df = document_frequency(counts)
    return np.asarray(np.log((1.0 + counts.shape[0]) / (1.0 + df)) + 1.0, dtype=np.float64)


def map_values(matrix: Matrix, values: FloatArray) -> Matrix:
    """Return a copy of ``matrix`` whose non-zero entries are replaced by ``values(entry)``.

    ``values`` is given as the array of new non-zero entries in row-major order, which is
    the order of both ``matrix[matrix != 0]`` and CSR data with sorted indices.
    """
    if isinstance(matrix, np.ndarray):
        out = np.zeros_like(matrix)
        out[matrix != 0] = values
        return out
    out_csr = matrix.copy()
    out_csr.data = values
    return out_csr


def nonzero_entries(matrix: Matrix) -> tuple[FloatArray, npt.NDArray[np.int64]]:
    """Return the non-zero entries and their column indices in row-major order."""
    if isinstance(matrix, np.ndarray):
        _, cols = np.nonzero(matrix)
        return matrix[matrix != 0], cols.astype(np.int64)
    matrix.sort_indices()
    return np.asarray(matrix.data, dtype=np.float64), matrix.indices.astype(np.int64)


def presence(counts: Matrix) -> Matrix:
    """Return the 0/1 matrix of which terms occur in which rows."""
    entries, _ = nonzero_entries(counts)
    return map_values(counts, np.ones_like(entries))


def weigh(counts: Matrix, idf: FloatArray, *, sublinear: bool = True) -> Matrix:
    """Return ``tf * idf`` per entry, with ``tf = 1 + ln(count)`` when ``sublinear``."""
    entries, cols = nonzero_entries(counts)
    tf = 1.0 + np.log(entries) if sublinear else entries
    return map_values(counts, tf * idf[cols])


def row_norms(matrix: Matrix) -> FloatArray:
    """Return the Euclidean norm of every row."""
    if isinstance(matrix, np.ndarray):
        return np.asarray(np.sqrt((matrix * matrix).sum(axis=1)), dtype=np.float64)
    squares = matrix.multiply(matrix)
    return np.asarray(np.sqrt(np.asarray(squares.sum(axis=1)).ravel()), dtype=np.float64)


def normalise_rows(matrix: Matrix) -> Matrix:
    """Return the matrix with every non-empty row scaled to unit length."""
    norms = row_norms(matrix)
    norms[norms == 0.0] = 1.0
    if isinstance(matrix, np.ndarray):
        return np.asarray(matrix / norms[:, np.newaxis], dtype=np.float64)
    scaled = matrix.copy()
    scaled.data = scaled.data / np.repeat(norms, np.diff(scaled.indptr))
    return scaled


def tfidf(counts: Matrix, idf: FloatArray) -> Matrix:
    """Return L2-normalised TF-IDF rows with sublinear term frequency."""
    return normalise_rows(weigh(counts, idf))


def gram(left: Matrix, right: Matrix) -> FloatArray:
    """Return the dense matrix of row-by-row dot products ``left @ right.T``."""
    product = left @ right.T
    if isinstance(product, np.ndarray):
        return np.asarray(product, dtype=np.float64)
    return np.asarray(product.toarray(), dtype=np.float64)


def centroid_cosine(vectors: Matrix) -> FloatArray:
    """Return each (unit or empty) row's cosine to the mean of all rows."""
    centroid = np.asarray(vectors.sum(axis=0), dtype=np.float64).ravel()
    norm = float(np.linalg.norm(centroid))
    if norm == 0.0:
        return np.zeros(vectors.shape[0])
    return np.asarray(vectors @ (centroid / norm), dtype=np.float64).ravel()
