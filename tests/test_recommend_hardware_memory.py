"""A catalog device without a memory figure (a board sold in several sizes) fails in one line
that names the field, how to give it, and the variants the catalog knows with their memory."""

from __future__ import annotations

import pytest

from advisor.errors import InputError


def test_a_device_without_memory_names_its_sized_variants() -> None:
    from advisor.recommend import recommend

    with pytest.raises(InputError) as err:
        recommend({"use_case": {"task": "chat"}, "hardware": {"name": "Raspberry Pi 5"}}, with_prompts=False)
    msg = str(err.value)
    assert msg.startswith("hardware.memory_gb:") and "--memory-gb" in msg
    assert "Raspberry Pi 5 CPU 8GB" in msg and "(RAM unspecified)" not in msg.split("variant")[1]
    sized = recommend({"use_case": {"task": "chat"}, "hardware": {"name": "Raspberry Pi 5", "memory_gb": 8}},
                      with_prompts=False)
    assert sized.candidates
