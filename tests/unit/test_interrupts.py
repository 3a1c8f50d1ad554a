"""A Ctrl-C during work that must not be cut (a batch's commit) waits for it to end."""

import os
import signal

import pytest

from questrya.common.interrupts import held_interrupts


def test_a_ctrl_c_during_the_block_is_raised_once_it_is_over() -> None:
    done = []
    with pytest.raises(KeyboardInterrupt), held_interrupts():
        os.kill(os.getpid(), signal.SIGINT)
        done.append("the rest of the block")

    assert done == ["the rest of the block"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_without_a_ctrl_c_the_block_just_runs() -> None:
    with held_interrupts():
        value = 1 + 1

    assert value == 2
