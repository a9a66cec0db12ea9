"""The rule contract (idempotence, removal only, accounting, survival, robustness) for every rule."""

import pytest

from cleaner.registry import RULES
from cleaner.testing import check_rule


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_contract(rule):
    check_rule(rule, max_examples=40)


def test_whole_rule_set_contract():
    # The rules together (the default pipeline), not only one at a time.
    from cleaner.registry import RULES as all_rules
    from cleaner.testing import check_rule as run

    run(all_rules[-1], max_examples=80, with_rules=all_rules[:-1])
