"""The programme's state machines name every state of their model, and nothing else."""

from rabta.programme.models import ApplicationState, ExcuseState
from rabta.programme.states import APPLICATION, EXCUSE


def test_the_application_machine_covers_every_application_state():
    assert APPLICATION.states == frozenset(ApplicationState.values)


def test_the_excuse_machine_covers_every_excuse_state():
    assert EXCUSE.states == frozenset(ExcuseState.values)


def test_only_the_applicant_confirms_declines_or_withdraws():
    offered = ApplicationState.OFFERED
    assert APPLICATION.allowed(offered, "applicant") == ["seated", "declined", "withdrawn"]
    assert APPLICATION.allowed(offered, "system") == ["expired"]
