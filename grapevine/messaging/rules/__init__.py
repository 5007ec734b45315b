"""The method's rules as they apply to a message: one small module per rule.

Each module has ``KINDS`` (the message kinds it reads) and ``check(message, context)``,
which returns its findings. ``grapevine.messaging.checks`` runs them through ``REGISTRY``.
"""

from __future__ import annotations

from grapevine.messaging.rules import gaps, r1, r4, r7, r8, r11, r12, r14, r15

#: In the order findings are shown: the gaps to fill first, then the rules by number.
REGISTRY = (gaps, r1, r4, r7, r8, r11, r12, r14, r15)

__all__ = ["REGISTRY"]
