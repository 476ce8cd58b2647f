"""Goal Attainment Scaling (Kiresuk & Sherman, 1968)."""

import math

DEFAULT_RHO = 0.3


def t_score(attainments: list[tuple[float, int]], rho: float = DEFAULT_RHO) -> float | None:
    """The GAS T-score of (weight, attained level -2..+2) pairs; 50 means as expected.

    T = 50 + 10 * sum(w*x) / sqrt((1 - rho) * sum(w^2) + rho * (sum w)^2)
    """
    if not attainments:
        return None
    weighted = sum(w * x for w, x in attainments)
    squares = sum(w * w for w, _ in attainments)
    total = sum(w for w, _ in attainments)
    return 50 + 10 * weighted / math.sqrt((1 - rho) * squares + rho * total * total)
