"""Small-cell protection for linked published tables.

A family is every cell a set of views publishes (counts by value, by cohort, their totals) and
the sums that tie them: each group says ``total = sum(members)``.  A reader who sees the shown
cells and knows the sums can solve for hidden ones, so hiding the small cells (primary
suppression) is not enough: more cells are hidden (complementary suppression) until no hidden
cell has a single possible value.

The test of that is linear algebra: with the shown cells moved to the right-hand side, a hidden
cell is determined exactly when its unit vector lies in the row space of the group equations
over the hidden cells, i.e. when every solution of the homogeneous system leaves it at zero.
Groups here are sums of non-negative counts (tables with margins and hierarchies), whose
solution directions are cycles of +1/-1; since every hidden cell is at least 1, each such
direction gives another non-negative integer table, so "not determined" means "not disclosed".

Cells fixed elsewhere (a margin shared by several families, protected once) keep their state.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence

import numpy as np

Key = Hashable
Group = tuple[Key, Sequence[Key]]


def determined(cells: Mapping[Key, float], groups: Iterable[Group], hidden: set[Key]) -> set[Key]:
    """The hidden cells whose value follows from the shown cells and the groups' sums.
    Solved per connected set of hidden cells (cells that share a group), which keeps each
    linear system small: the items of a heatmap, for one, never touch each other.  A hidden
    cell in no group is tied to nothing and stays unknown."""
    groups = list(groups)
    in_group = [[k for k in (total, *members) if k in hidden] for total, members in groups]
    out: set[Key] = set()
    for indexes in _components(in_group, hidden).values():
        part = {k for i in indexes for k in in_group[i]}
        out |= _solve([groups[i] for i in indexes], part)
    return out


def _components(in_group: list[list[Key]], hidden: set[Key]) -> dict[Key, list[int]]:
    """The groups (by index) that share hidden cells, joined by union-find: one list per
    connected set, keyed by its root.  ``in_group`` holds each group's hidden cells; groups
    with none belong to no set."""
    parent: dict[Key, Key] = {k: k for k in hidden}

    def root(k: Key) -> Key:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for keys in in_group:
        for k in keys[1:]:
            a, b = root(keys[0]), root(k)
            if a != b:
                parent[b] = a
    components: dict[Key, list[int]] = {}
    for index, keys in enumerate(in_group):
        if keys:
            components.setdefault(root(keys[0]), []).append(index)
    return components


def _solve(groups: list[Group], hidden: set[Key]) -> set[Key]:
    hidden_list = sorted(hidden, key=repr)
    column = {key: i for i, key in enumerate(hidden_list)}
    rows = []
    for total, members in groups:
        row = np.zeros(len(hidden_list))
        for key, sign in ((total, -1.0), *((m, 1.0) for m in members)):
            if key in column:
                row[column[key]] += sign
        rows.append(row)
    matrix = np.array(rows)
    _u, singular, vt = np.linalg.svd(matrix)
    rank = int((singular > 1e-9 * max(1.0, singular[0])).sum()) if singular.size else 0
    null = vt[rank:].T  # columns span every direction the hidden cells can move together
    if null.shape[1] == 0:
        return set(hidden_list)
    free = np.abs(null).max(axis=1) > 1e-9
    return {key for key, i in column.items() if not free[i]}


def protect(
    cells: Mapping[Key, float],
    groups: Sequence[Group],
    *,
    limit: int,
    fixed: Mapping[Key, bool] | None = None,
) -> set[Key]:
    """The cells to hide: every count from 1 to ``limit - 1``, the fixed ones marked hidden,
    and as few others as the greedy rule needs so that none of them is determined.  Zero is
    shown (it reveals no one) and never used as a complement (it would reveal itself)."""
    fixed = dict(fixed or {})
    hidden = _primary(cells, limit, fixed)
    lines = [[total, *members] for total, members in groups]
    for _round in range(len(cells) + 1):
        if _complete_lines(lines, cells, hidden, fixed):
            continue
        leaks = determined(cells, groups, hidden)
        if not leaks:
            break
        if not _cover_leaks(leaks, lines, cells, hidden, fixed):
            raise ValueError("no complement left: the fixed cells disclose a hidden one")
    return hidden


def _primary(cells: Mapping[Key, float], limit: int, fixed: Mapping[Key, bool]) -> set[Key]:
    """The cells hidden for their own sake: the fixed ones marked hidden, and every free count
    from 1 to ``limit - 1``."""
    hidden = {k for k, hide in fixed.items() if hide and k in cells}
    hidden |= {k for k, v in cells.items() if k not in fixed and 0 < v < limit}
    return hidden


def _complement(
    line: Sequence[Key], cells: Mapping[Key, float], hidden: set[Key], fixed: Mapping[Key, bool]
) -> bool:
    """Hide the smallest shown, non-zero, free cell of a line; False when there is none."""
    options = sorted(
        (cells[k], repr(k), k)
        for k in line
        if k not in hidden and k not in fixed and cells.get(k, 0) > 0
    )
    if not options:
        return False
    hidden.add(options[0][2])
    return True


def _complete_lines(
    lines: list[list[Key]],
    cells: Mapping[Key, float],
    hidden: set[Key],
    fixed: Mapping[Key, bool],
) -> bool:
    """Give a complement to every line (a total and its members) with a single hidden cell,
    which its sum would give away; True when any cell was hidden."""
    changed = False
    for line in lines:
        if sum(1 for k in line if k in hidden) == 1:
            changed |= _complement(line, cells, hidden, fixed)
    return changed


def _cover_leaks(
    leaks: set[Key],
    lines: list[list[Key]],
    cells: Mapping[Key, float],
    hidden: set[Key],
    fixed: Mapping[Key, bool],
) -> bool:
    """For each determined cell, hide a complement in the first of its lines that has one;
    True when any cell was hidden."""
    changed = False
    for key in sorted(leaks, key=repr):
        for line in lines:
            if key in line and _complement(line, cells, hidden, fixed):
                changed = True
                break
    return changed
