"""The one wording of the core's range checks."""

import pytest

from assistant.checks import check_bounds


@pytest.mark.parametrize(
    ("value", "bounds", "message"),
    [
        (0, {"gt": 0}, "n must be greater than 0. Currently, it is 0."),
        (-1, {"ge": 0}, "n must be at least 0. Currently, it is -1."),
        (1.5, {"ge": 0, "le": 1}, "n must be between 0 and 1. Currently, it is 1.5."),
        (3, {"le": 2}, "n must be at most 2. Currently, it is 3."),
    ],
)
def test_out_of_range_names_value_and_bound(value: float, bounds: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError) as caught:
        check_bounds("n", value, **bounds)
    assert str(caught.value) == message


def test_values_on_an_inclusive_bound_pass() -> None:
    check_bounds("n", 0, ge=0, le=1)
    check_bounds("n", 1, ge=0, le=1)
    check_bounds("n", 0.001, gt=0)
